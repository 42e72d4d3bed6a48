import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  TABLE_NAME,
} from '../../local/constants';

/** One stored item, unmarshalled. */
export type StoredItem = Record<string, unknown> & { pk: string; sk: string };

/**
 * Every item of the table, read straight from DynamoDB Local (not through the fault proxy). A Scan
 * is fine here: tests count what was stored; request paths never scan.
 */
export async function scanTable(dynamodbUrl: string): Promise<StoredItem[]> {
  const client = new DynamoDBClient({
    endpoint: dynamodbUrl,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
  try {
    const items: StoredItem[] = [];
    for await (const page of paginateScan({ client }, { TableName: TABLE_NAME, ConsistentRead: true })) {
      for (const item of page.Items ?? []) items.push(unmarshall(item) as StoredItem);
    }
    return items;
  } finally {
    client.destroy();
  }
}

/** How many items of each kind (the `pk` prefix before `#`, plus `sk` where one pk holds several kinds). */
export interface Census {
  readonly applications: number;
  /** `IDEM#` records: change requests only (an application is its own idempotency record). */
  readonly idempotency: number;
  readonly merchants: number;
  readonly reviewTasks: number;
  readonly changeRequests: number;
  readonly transfers: number;
  readonly terminals: number;
  /** Send records of notices (one-time codes' own records are left out: they are not notices). */
  readonly sends: number;
}

/** Counts the stored objects the reliability tests reason about. */
export async function census(dynamodbUrl: string): Promise<Census> {
  const items = await scanTable(dynamodbUrl);
  const count = (pk: string, sk: string) =>
    items.filter((item) => item.pk.startsWith(pk) && (sk === '' || item.sk === sk)).length;
  return {
    applications: count('APP#', 'APP'),
    idempotency: count('IDEM#', ''),
    merchants: count('MER#', 'MER'),
    reviewTasks: count('TASK#', 'TASK'),
    changeRequests: count('CHANGE#', 'CHANGE'),
    transfers: count('TRANSFER#', 'TRANSFER'),
    terminals: count('TERM#', 'TERM'),
    sends: count('SEND#', '') - count('SEND#otc#', ''),
  };
}

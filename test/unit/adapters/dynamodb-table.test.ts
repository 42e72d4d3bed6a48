import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConditionFailedError, DynamoTable } from '../../../shared/adapters/dynamodb-table';

/* Error paths DynamoDB Local cannot be made to produce on demand. */

const ddb = mockClient(DynamoDBClient);
const table = new DynamoTable(new DynamoDBClient({ region: 'us-east-1' }), 'unit');

afterEach(() => ddb.reset());

describe('DynamoTable.transact', () => {
  it('reports which conditions failed, so a caller can tell a duplicate from a stale write', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const error = await table
      .transact([
        { put: { pk: 'a', sk: 'b' } },
        { put: { pk: 'c', sk: 'd' }, condition: 'attribute_not_exists(pk)' },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect((error as ConditionFailedError).failedIndexes).toEqual([1]);
  });

  it('lets throttling through untouched (the caller maps it to a 5xx without details)', async () => {
    ddb
      .on(TransactWriteItemsCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(table.transact([{ put: { pk: 'a', sk: 'b' } }])).rejects.toBeInstanceOf(
      ProvisionedThroughputExceededException,
    );
  });

  it('does not treat a cancellation without a failed condition as a condition failure', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'conflict',
        $metadata: {},
        CancellationReasons: [{ Code: 'TransactionConflict' }],
      }),
    );
    await expect(table.transact([{ put: { pk: 'a', sk: 'b' } }])).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
  });
});

import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { readTableName } from '../config/env';
import type { TableKey } from '../keys';

/** The most keys one BatchGetItem request takes (a DynamoDB limit). */
export const BATCH_GET_MAX = 100;
/** Requests of one batchGet before unprocessed keys are an error (DynamoDB asks for retries with backoff). */
const BATCH_GET_ATTEMPTS = 8;

/** A plain item as the repositories read and write it. */
export type Item = Record<string, unknown>;

/** A condition failed: the invariant it guards would have been broken. */
export class ConditionFailedError extends Error {
  override readonly name = 'ConditionFailedError';
  /** For transactions: index of each item whose condition failed. */
  constructor(readonly failedIndexes: readonly number[] = []) {
    super('A conditional write failed');
  }
}

/**
 * A transaction cancelled only because another transaction was writing one of its items at the
 * same time (no condition failed): nothing was written, and trying again is safe.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}

/**
 * Runs a conditional write and tells whether its condition held: `false` when DynamoDB refused it
 * for a failed condition (the invariant held), any other error is thrown.
 */
export async function succeeds(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
}

/** One write of a transaction, in plain values (marshalled here). */
export type TransactionWrite =
  | {
      readonly put: Item;
      readonly condition?: string;
      readonly names?: Record<string, string>;
      readonly values?: Item;
    }
  | {
      readonly update: TableKey;
      readonly expression: string;
      readonly condition?: string;
      readonly names?: Record<string, string>;
      readonly values?: Item;
    }
  | {
      readonly conditionCheck: TableKey;
      readonly condition: string;
      readonly names?: Record<string, string>;
      readonly values?: Item;
    }
  | {
      readonly delete: TableKey;
      readonly condition?: string;
      readonly names?: Record<string, string>;
      readonly values?: Item;
    };

const MARSHALL = { removeUndefinedValues: true, convertClassInstanceToMap: false } as const;

function attrValues(values: Item | undefined): Record<string, AttributeValue> | undefined {
  return values && Object.keys(values).length > 0 ? marshall(values, MARSHALL) : undefined;
}

/**
 * Thin typed access to the one table over the low-level client with `util-dynamodb` marshalling
 * (the DocumentClient would add ~550 KB and ~90 ms to each cold start). Every read on a request
 * path is a GetItem, a Query or a BatchGetItem of known keys: this class has no Scan on purpose.
 */
export class DynamoTable {
  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** Strongly consistent read of one item. */
  async get<T extends Item>(key: TableKey): Promise<T | undefined> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall(key),
        ConsistentRead: true,
      }),
    );
    return out.Item ? (unmarshall(out.Item) as T) : undefined;
  }

  /** Put with an optional condition; a failed condition throws {@link ConditionFailedError}. */
  async put(item: Item, condition?: string, values?: Item, names?: Record<string, string>): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(item, MARSHALL),
          ConditionExpression: condition,
          ExpressionAttributeValues: attrValues(values),
          ExpressionAttributeNames: names,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConditionFailedError();
      throw error;
    }
  }

  /**
   * Puts `item` only if no item has its key: `undefined` when written, otherwise the item that holds
   * the key. DynamoDB returns that item with the refusal (`ReturnValuesOnConditionCheckFailure`),
   * so a taken key costs no second request.
   */
  async putIfAbsent(item: Item & TableKey): Promise<Item | undefined> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(item, MARSHALL),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (error.Item) return unmarshall(error.Item);
      // An endpoint that ignores ReturnValuesOnConditionCheckFailure: read the holder instead.
      const holder = await this.get({ pk: item.pk, sk: item.sk });
      if (!holder) throw new ConditionFailedError();
      return holder;
    }
  }

  /** UpdateItem returning the new item. */
  async update<T extends Item>(
    key: TableKey,
    expression: string,
    options: { condition?: string; values?: Item; names?: Record<string, string> } = {},
  ): Promise<T> {
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(key),
          UpdateExpression: expression,
          ConditionExpression: options.condition,
          ExpressionAttributeValues: attrValues(options.values),
          ExpressionAttributeNames: options.names,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return unmarshall(out.Attributes ?? {}) as T;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConditionFailedError();
      throw error;
    }
  }

  /**
   * Deletes the item of `key` (nothing happens when there is none), with an optional condition; a
   * failed condition throws {@link ConditionFailedError}.
   */
  async delete(key: TableKey, condition?: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall(key),
          ConditionExpression: condition,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConditionFailedError();
      throw error;
    }
  }

  /** All-or-nothing writes; a failed condition throws {@link ConditionFailedError} with its indexes. */
  async transact(writes: readonly TransactionWrite[], clientRequestToken?: string): Promise<void> {
    const items: TransactWriteItem[] = writes.map((write) => {
      const common = {
        TableName: this.tableName,
        ConditionExpression: write.condition,
        ExpressionAttributeNames: write.names,
        ExpressionAttributeValues: attrValues(write.values),
      };
      if ('put' in write) return { Put: { ...common, Item: marshall(write.put, MARSHALL) } };
      if ('update' in write) {
        return { Update: { ...common, Key: marshall(write.update), UpdateExpression: write.expression } };
      }
      if ('delete' in write) return { Delete: { ...common, Key: marshall(write.delete) } };
      return {
        ConditionCheck: {
          ...common,
          Key: marshall(write.conditionCheck),
          ConditionExpression: write.condition,
        },
      };
    });
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: items,
          ClientRequestToken: clientRequestToken,
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const failed = (error.CancellationReasons ?? [])
          .map((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? index : -1))
          .filter((index) => index >= 0);
        if (failed.length > 0) throw new ConditionFailedError(failed);
      }
      throw error;
    }
  }

  /**
   * Reads of the items at `itemKeys` (at most {@link BATCH_GET_MAX} a call), in the order of the
   * keys; a key without an item is left out. Strongly consistent unless `consistent: false` (half
   * the read units, for a listing that is no fresher than the index it follows). What DynamoDB leaves
   * unprocessed (throttling, the 16 MB answer limit) is asked for again after a short, growing
   * pause, so the answer is complete or the call throws.
   */
  async batchGet<T extends Item>(
    itemKeys: readonly TableKey[],
    options: { readonly consistent?: boolean } = {},
  ): Promise<T[]> {
    if (itemKeys.length === 0) return [];
    if (itemKeys.length > BATCH_GET_MAX) throw new Error(`batchGet takes at most ${BATCH_GET_MAX} keys`);
    const found = new Map<string, T>();
    let pending: Record<string, AttributeValue>[] = itemKeys.map((key) =>
      marshall({ pk: key.pk, sk: key.sk }),
    );
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= BATCH_GET_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed after retries');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const out = await this.client.send(
        new BatchGetItemCommand({
          RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: options.consistent ?? true } },
        }),
      );
      for (const raw of out.Responses?.[this.tableName] ?? []) {
        const item = unmarshall(raw) as T;
        found.set(`${String(item.pk)}\n${String(item.sk)}`, item);
      }
      pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return itemKeys.flatMap((key) => {
      const item = found.get(`${key.pk}\n${key.sk}`);
      return item ? [item] : [];
    });
  }

  /** One page of a key-condition query (base table or an index). */
  async query<T extends Item>(params: {
    index?: string;
    keyCondition: string;
    values: Item;
    names?: Record<string, string>;
    limit?: number;
    startKey?: Record<string, unknown>;
    forward?: boolean;
  }): Promise<{ items: T[]; lastKey?: Record<string, unknown> }> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: params.index,
        KeyConditionExpression: params.keyCondition,
        ExpressionAttributeValues: marshall(params.values, MARSHALL),
        ExpressionAttributeNames: params.names,
        Limit: params.limit,
        ExclusiveStartKey: params.startKey ? marshall(params.startKey) : undefined,
        ScanIndexForward: params.forward ?? true,
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => unmarshall(item) as T),
      lastKey: out.LastEvaluatedKey ? unmarshall(out.LastEvaluatedKey) : undefined,
    };
  }
}

/** The table of this deployment, from `TABLE_NAME`, created once per module (cold start). */
export function tableFromEnv(): DynamoTable {
  return new DynamoTable(new DynamoDBClient({}), readTableName());
}

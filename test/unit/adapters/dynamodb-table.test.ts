import {
  BatchGetItemCommand,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BATCH_GET_MAX, ConditionFailedError, DynamoTable } from '../../../shared/adapters/dynamodb-table';

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

describe('DynamoTable.batchGet', () => {
  const S = (value: string) => ({ S: value });
  const item = (id: string) => ({ pk: S(`TASK#${id}`), sk: S('TASK'), taskId: S(id) });
  const key = (id: string) => ({ pk: `TASK#${id}`, sk: 'TASK' });

  it('asks again for the keys DynamoDB left unprocessed and answers in the order of the keys', async () => {
    ddb
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { unit: [item('3'), item('1')] },
        UnprocessedKeys: { unit: { Keys: [{ pk: S('TASK#2'), sk: S('TASK') }] } },
      })
      .resolvesOnce({ Responses: { unit: [item('2')] } });
    const got = await table.batchGet<{ taskId: string }>([key('1'), key('2'), key('3'), key('4')]);
    expect(got.map((found) => found.taskId)).toEqual(['1', '2', '3']);
    const calls = ddb.commandCalls(BatchGetItemCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input.RequestItems?.unit).toMatchObject({ ConsistentRead: true });
    expect(calls[1]?.args[0].input.RequestItems?.unit?.Keys).toEqual([{ pk: S('TASK#2'), sk: S('TASK') }]);
  });

  it('gives up with an error when keys stay unprocessed, never with a short answer', async () => {
    ddb.on(BatchGetItemCommand).resolves({
      Responses: { unit: [] },
      UnprocessedKeys: { unit: { Keys: [{ pk: S('TASK#1'), sk: S('TASK') }] } },
    });
    vi.useFakeTimers();
    try {
      const answer = table.batchGet([key('1')]).catch((error: unknown) => error);
      await vi.runAllTimersAsync();
      expect(await answer).toMatchObject({ message: expect.stringMatching(/unprocessed/) });
      expect(ddb.commandCalls(BatchGetItemCommand).length).toBeGreaterThan(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends nothing for no keys and refuses more than one request takes', async () => {
    expect(await table.batchGet([])).toEqual([]);
    expect(ddb.commandCalls(BatchGetItemCommand)).toHaveLength(0);
    const many = Array.from({ length: BATCH_GET_MAX + 1 }, (_, index) => key(String(index)));
    await expect(table.batchGet(many)).rejects.toThrow(/at most/);
  });
});

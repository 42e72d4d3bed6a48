import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoTable } from '../../../shared/adapters/dynamodb-table';
import { httpRoute, isThrottling, RETRY_AFTER_SECONDS } from '../../../shared/http/http-route';

/* Throttling that outlasts the SDK's retries, and the create's single conditional Put. */

const ddb = mockClient(DynamoDBClient);
const table = new DynamoTable(new DynamoDBClient({ region: 'us-east-1' }), 'unit');
afterEach(() => ddb.reset());

const route = httpRoute(async () => {
  await table.putIfAbsent({ pk: 'APP#X', sk: 'APP' });
  await table.transact([{ put: { pk: 'a', sk: 'b' } }]);
  return { statusCode: 201, body: { ok: true } };
});

async function call() {
  const event = {
    httpMethod: 'POST',
    resource: '/v1/applications',
    headers: {},
    body: null,
    requestContext: { requestId: 'req-1' },
  } as unknown as APIGatewayProxyEvent;
  const res = await route(event, { awsRequestId: 'aws-1' } as Context);
  return { status: res.statusCode, headers: res.headers ?? {}, json: JSON.parse(res.body) };
}

const meta = { $metadata: { httpStatusCode: 400 } };

describe('persistent DynamoDB throttling → 503 SERVICE_UNAVAILABLE with Retry-After', () => {
  const throttles: [string, Error][] = [
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ message: 'table unit arn:aws:dynamodb over', ...meta }),
    ],
    ['ThrottlingException', new ThrottlingException({ message: 'Rate of requests exceeds', ...meta })],
    ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'account limit', ...meta })],
    [
      'an SDK throttling error after its retries',
      Object.assign(new Error('slow down'), { name: 'SlowDownish', $retryable: { throttling: true } }),
    ],
  ];
  for (const [name, error] of throttles) {
    it(`maps ${name} to a generic 503`, async () => {
      ddb.on(PutItemCommand).rejects(error);
      const res = await call();
      expect(res.status).toBe(503);
      expect(res.headers['Retry-After']).toBe(String(RETRY_AFTER_SECONDS));
      expect(res.json.error).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: expect.any(String),
        requestId: 'req-1',
      });
      expect(JSON.stringify(res.json)).not.toMatch(/dynamodb|throughput|rate|limit|slow/i);
    });
  }

  it('maps a transaction cancelled for capacity to 503, a cancelled-for-conflict one stays 500', async () => {
    ddb.on(PutItemCommand).resolves({});
    ddb.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        ...meta,
        CancellationReasons: [{ Code: 'ThrottlingError' }],
      }),
    );
    expect((await call()).status).toBe(503);
    ddb.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        ...meta,
        CancellationReasons: [{ Code: 'TransactionConflict' }],
      }),
    );
    const conflict = await call();
    expect(conflict.status).toBe(500);
    expect(conflict.headers['Retry-After']).toBeUndefined();
  });

  it('leaves other failures a 500 INTERNAL_ERROR without Retry-After', async () => {
    ddb.on(PutItemCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    const res = await call();
    expect(res.status).toBe(500);
    expect(res.json.error.code).toBe('INTERNAL_ERROR');
    expect(res.headers['Retry-After']).toBeUndefined();
    expect(isThrottling(new Error('ProvisionedThroughputExceededException'))).toBe(false);
    expect(isThrottling(undefined)).toBe(false);
  });
});

describe('DynamoTable.putIfAbsent', () => {
  it('is one conditional PutItem that asks for the holder on refusal', async () => {
    ddb.on(PutItemCommand).resolves({});
    expect(await table.putIfAbsent({ pk: 'APP#X', sk: 'APP', n: 1 })).toBeUndefined();
    const input = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('returns the item holding the key from the refusal itself, without a read', async () => {
    ddb.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        ...meta,
        Item: marshall({ pk: 'APP#X', sk: 'APP', requestHash: 'h1' }),
      }),
    );
    expect(await table.putIfAbsent({ pk: 'APP#X', sk: 'APP' })).toEqual({
      pk: 'APP#X',
      sk: 'APP',
      requestHash: 'h1',
    });
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('reads the holder when the endpoint did not return it', async () => {
    ddb
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', ...meta }));
    ddb.on(GetItemCommand).resolves({ Item: marshall({ pk: 'APP#X', sk: 'APP', requestHash: 'h2' }) });
    expect(await table.putIfAbsent({ pk: 'APP#X', sk: 'APP' })).toMatchObject({ requestHash: 'h2' });
  });
});

import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { accessesOf, allows, enforceManifestAccess, scopedLoader } from '../../../local/access-control';
import type { HandlerLoader, LambdaHandler } from '../../../local/lambda-runtime';
import { EnvelopeFieldCipher, LocalDataKeySource } from '../../../shared/adapters/field-cipher';
import { LocalKeyedHasher } from '../../../shared/adapters/keyed-hasher';
import type { FunctionEntry } from '../../../shared/manifest/types';

const S = (value: string) => ({ S: value });

const READER: FunctionEntry = {
  name: 'reader',
  trigger: { kind: 'route', method: 'GET', path: '/v1/r', auth: 'public' },
  table: { read: ['application'] },
  fieldCipher: 'key-id',
};
const WRITER: FunctionEntry = {
  name: 'writer',
  trigger: { kind: 'task', process: 'onboarding' },
  table: { write: ['application'] },
  fieldCipher: 'decrypt',
  capabilities: ['addressHmac'],
};

/** Runs `body` as an invocation of `name`, the way the local stack calls handlers. */
async function invokeAs(name: string, body: () => Promise<unknown>): Promise<unknown> {
  const loader = { load: async (): Promise<LambdaHandler> => body } as unknown as HandlerLoader;
  const handler = await scopedLoader(loader).load(name);
  return handler({}, {} as never);
}

// Denied calls never leave the process: this endpoint is never reached.
const client = new DynamoDBClient({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  maxAttempts: 1,
});

let undo: (() => void) | undefined;
afterEach(() => {
  undo?.();
  undo = undefined;
});

describe('local access control (what IAM allows in AWS)', () => {
  it('reads the item accesses of each command, with their key family', () => {
    expect(accessesOf(new GetItemCommand({ TableName: 't', Key: { pk: S('APP#1'), sk: S('APP') } }))).toEqual(
      [{ action: 'GetItem', family: 'application', key: 'APP#1' }],
    );
    expect(
      accessesOf(
        new QueryCommand({
          TableName: 't',
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :q',
          ExpressionAttributeValues: { ':q': S('REVIEWQ#PENDING') },
        }),
      ),
    ).toEqual([{ action: 'Query', family: 'reviewQueue', key: 'REVIEWQ#PENDING' }]);
    expect(
      accessesOf(
        new QueryCommand({
          TableName: 't',
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :partition',
          ExpressionAttributeValues: { ':partition': S('REVIEWEQ#PENDING') },
        }),
      ),
    ).toEqual([{ action: 'Query', family: 'reviewEscalatedQueue', key: 'REVIEWEQ#PENDING' }]);
    // A batch is as many reads as keys, each checked on its own (a foreign key refuses the batch).
    expect(
      accessesOf(
        new BatchGetItemCommand({
          RequestItems: {
            t: {
              Keys: [
                { pk: S('TASK#1'), sk: S('TASK') },
                { pk: S('WAIT#1'), sk: S('WAIT') },
              ],
            },
          },
        }),
      ).map((access) => [access.action, access.family]),
    ).toEqual([
      ['BatchGetItem', 'reviewTask'],
      ['BatchGetItem', 'reviewWait'],
    ]);
    expect(
      accessesOf(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 't', Item: { pk: S('TERM#1'), sk: S('TERM') } } },
            {
              ConditionCheck: {
                TableName: 't',
                Key: { pk: S('TASK#1'), sk: S('TASK') },
                ConditionExpression: 'x',
              },
            },
          ],
        }),
      ).map((access) => [access.action, access.family]),
    ).toEqual([
      ['PutItem', 'terminal'],
      ['ConditionCheckItem', 'reviewTask'],
    ]);
  });

  it('allows reads of read or written families, writes of written ones only', () => {
    const get = { action: 'GetItem', family: 'application', key: 'APP#1' } as const;
    const put = { action: 'PutItem', family: 'application', key: 'APP#1' } as const;
    expect([allows(READER, get), allows(READER, put), allows(WRITER, get), allows(WRITER, put)]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(allows(WRITER, { action: 'GetItem', family: 'terminal', key: 'TERM#1' })).toBe(false);
    expect(allows(undefined, get)).toBe(false);
  });

  it("refuses an invocation's access outside its entry before any request is sent", async () => {
    undo = enforceManifestAccess([READER, WRITER]);
    const put = () =>
      client.send(new PutItemCommand({ TableName: 't', Item: { pk: S('APP#1'), sk: S('APP') } }));
    await expect(invokeAs('reader', put)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(/reader is not authorized to perform dynamodb:PutItem on APP#1/),
    });
    await expect(invokeAs('unknown-function', put)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('lets a function open encrypted fields only with fieldCipher decrypt, and seal them only with a cipher use', async () => {
    undo = enforceManifestAccess([READER, WRITER]);
    const cipher = new EnvelopeFieldCipher(new LocalDataKeySource('unit'));
    const sealed = await invokeAs('writer', () => cipher.encrypt('110101199003077777', 'ctx'));
    expect(await invokeAs('writer', () => cipher.decrypt(sealed as string, 'ctx'))).toBe(
      '110101199003077777',
    );
    await expect(invokeAs('reader', () => cipher.decrypt(sealed as string, 'ctx'))).rejects.toThrow(
      /kms:Decrypt/,
    );
    await expect(invokeAs('reader', () => cipher.encrypt('x', 'ctx'))).rejects.toThrow(/kms:GenerateDataKey/);
    // Outside an invocation (the stack's own calls) nothing is checked.
    expect(await cipher.decrypt(sealed as string, 'ctx')).toBe('110101199003077777');
  });

  it('lets a function compute keyed hashes only with the HMAC keys of its capabilities', async () => {
    undo = enforceManifestAccess([READER, WRITER]);
    const hasher = new LocalKeyedHasher('unit');
    await expect(
      invokeAs('writer', () => hasher.mac('notification-address:SMS', '13800138000')),
    ).resolves.toMatch(/^[\w-]{43}$/);
    // The same function has no identity key: no ID-number hashes from an address-hashing role.
    await expect(invokeAs('writer', () => hasher.mac('uniq-legal-person-id', 'x'))).rejects.toThrow(
      /writer is not authorized to compute identity keyed hashes.*'identityHmac'/,
    );
    await expect(invokeAs('reader', () => hasher.mac('activation-code', 'x'))).rejects.toThrow(
      /activationCodeHmac/,
    );
    expect(await hasher.mac('one-time-code', 'x')).toMatch(/^[\w-]{43}$/);
  });

  it('undoes the check when the last stack stops', async () => {
    const first = enforceManifestAccess([READER]);
    const second = enforceManifestAccess([READER]);
    first();
    const cipher = new EnvelopeFieldCipher(new LocalDataKeySource('unit'));
    await expect(invokeAs('reader', () => cipher.encrypt('x', 'ctx'))).rejects.toThrow(/GenerateDataKey/);
    second();
    await expect(invokeAs('reader', () => cipher.encrypt('x', 'ctx'))).resolves.toMatch(/^fc1\./);
  });
});

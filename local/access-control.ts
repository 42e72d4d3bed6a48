import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EnvelopeFieldCipher } from '../shared/adapters/field-cipher';
import { LocalKeyedHasher } from '../shared/adapters/keyed-hasher';
import type { HmacKey } from '../shared/config/env';
import { KEY_FAMILIES, type KeyFamily } from '../shared/keys';
import { type FunctionEntry, HMAC_CAPABILITIES } from '../shared/manifest/types';
import { MAC_PURPOSE_KEYS, type MacPurpose } from '../shared/ports';
import type { HandlerLoader, LambdaHandler } from './lambda-runtime';

/*
 * What IAM does in AWS, done in `npm run dev` and the tests: a function may touch only the key
 * families its manifest entry names (`table.read`, `table.write`), and may open an encrypted field
 * only if its entry says `fieldCipher: 'decrypt'` (seal one only with a `fieldCipher` at all), and
 * may compute a keyed hash only with the HMAC keys of its capabilities. So every integration test
 * proves that the grants CDK derives from the same entries (dynamodb:LeadingKeys, kms:Decrypt on
 * the field key, kms:GenerateMac on each purpose's key) are enough.
 */

/** The function whose invocation is running (set around each handler call). */
const invocation = new AsyncLocalStorage<string>();

/**
 * The name of the function whose invocation is running here, `undefined` outside one (the local
 * stack's own calls). Lets `npm run bench` attribute DynamoDB units to the function that used them.
 */
export function invokedFunction(): string | undefined {
  return invocation.getStore();
}

/** One item-level access, as IAM authorizes it. */
export interface TableAccessRequest {
  readonly action:
    | 'GetItem'
    | 'BatchGetItem'
    | 'Query'
    | 'ConditionCheckItem'
    | 'PutItem'
    | 'UpdateItem'
    | 'DeleteItem';
  readonly family: KeyFamily | undefined;
  /** The partition key value (for the message). */
  readonly key: string;
}

const READ_ACTIONS: ReadonlySet<TableAccessRequest['action']> = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'ConditionCheckItem',
]);

/** The key family of a partition key value. */
export function familyOf(partitionKey: string): KeyFamily | undefined {
  return (Object.entries(KEY_FAMILIES) as [KeyFamily, string][]).find(([, prefix]) =>
    partitionKey.startsWith(prefix),
  )?.[0];
}

const stringOf = (value: AttributeValue | undefined) => (value && 'S' in value ? (value.S ?? '') : '');

/** The partition-key value a Query's key condition names (`pk = :v`, or an index's `gsi1pk = :v`, `gsi3pk = :v`, …). */
function queriedKey(input: QueryCommand['input']): string {
  const match = /\b(?:pk|gsi\d+pk)\s*=\s*(:\w+)/.exec(input.KeyConditionExpression ?? '');
  return stringOf(match ? input.ExpressionAttributeValues?.[match[1] as string] : undefined);
}

/** The item-level accesses one DynamoDB command makes (none for commands outside the item API). */
export function accessesOf(command: unknown): TableAccessRequest[] {
  const request = (action: TableAccessRequest['action'], key: string): TableAccessRequest => ({
    action,
    family: familyOf(key),
    key,
  });
  if (command instanceof GetItemCommand) return [request('GetItem', stringOf(command.input.Key?.pk))];
  if (command instanceof BatchGetItemCommand) {
    // IAM checks every key of every table in the batch against the leading-key condition.
    return Object.values(command.input.RequestItems ?? {}).flatMap((table) =>
      (table.Keys ?? []).map((key) => request('BatchGetItem', stringOf(key.pk))),
    );
  }
  if (command instanceof QueryCommand) return [request('Query', queriedKey(command.input))];
  if (command instanceof PutItemCommand) return [request('PutItem', stringOf(command.input.Item?.pk))];
  if (command instanceof UpdateItemCommand) return [request('UpdateItem', stringOf(command.input.Key?.pk))];
  if (command instanceof DeleteItemCommand) return [request('DeleteItem', stringOf(command.input.Key?.pk))];
  if (command instanceof TransactWriteItemsCommand) {
    return (command.input.TransactItems ?? []).map((item) => {
      if (item.Put) return request('PutItem', stringOf(item.Put.Item?.pk));
      if (item.Update) return request('UpdateItem', stringOf(item.Update.Key?.pk));
      if (item.Delete) return request('DeleteItem', stringOf(item.Delete.Key?.pk));
      return request('ConditionCheckItem', stringOf(item.ConditionCheck?.Key?.pk));
    });
  }
  return [];
}

/** Whether the entry lets its function make `access`: reads of read or written families, writes of written ones. */
export function allows(entry: FunctionEntry | undefined, access: TableAccessRequest): boolean {
  if (!entry?.table || access.family === undefined) return false;
  const written = entry.table.write ?? [];
  if (written.includes(access.family)) return true;
  return READ_ACTIONS.has(access.action) && (entry.table.read ?? []).includes(access.family);
}

/** The error DynamoDB answers for an access IAM does not allow. */
class AccessDeniedException extends DynamoDBServiceException {
  constructor(functionName: string, access: TableAccessRequest) {
    super({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message:
        `${functionName} is not authorized to perform dynamodb:${access.action} on ${access.key} ` +
        `(key family ${access.family ?? 'unknown'}): add it to table.${READ_ACTIONS.has(access.action) ? 'read' : 'write'} ` +
        'of its entry in shared/manifest/',
    });
  }
}

type Send = DynamoDBClient['send'];

/** What KMS answers a role without kms:GenerateDataKey (seal) or kms:Decrypt (open) on the field key. */
class KmsAccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
  constructor(functionName: string, use: 'encrypt' | 'decrypt') {
    super(
      `${functionName} is not authorized to ${use === 'decrypt' ? 'open (kms:Decrypt)' : 'seal (kms:GenerateDataKey)'} ` +
        `an encrypted field: set fieldCipher: '${use}' in its entry in shared/manifest/`,
    );
  }
}

/** What KMS answers a role without kms:GenerateMac on the HMAC key of a purpose. */
class HmacAccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
  constructor(functionName: string, key: HmacKey) {
    super(
      `${functionName} is not authorized to compute ${key} keyed hashes (kms:GenerateMac): add ` +
        `'${HMAC_CAPABILITIES[key]}' to the capabilities of its entry in shared/manifest/`,
    );
  }
}

/** Entries by function name, and how many stacks of this process asked for the check. */
let enforced:
  | {
      readonly byName: Map<string, FunctionEntry>;
      readonly original: Send;
      users: number;
      restoreCipher: () => void;
      restoreHasher: () => void;
    }
  | undefined;

/**
 * Checks every DynamoDB item access and every field sealed or opened during a function's
 * invocation against its manifest entry (calls outside an invocation, such as the local stack's
 * own, pass). Returns the undo; the check stays while any local stack of this process uses it.
 */
export function enforceManifestAccess(entries: readonly FunctionEntry[]): () => void {
  const prototype = DynamoDBClient.prototype as unknown as { send: Send };
  if (enforced) enforced.users += 1;
  else {
    const state = {
      byName: new Map(entries.map((entry) => [entry.name, entry])),
      original: prototype.send,
      users: 1,
      restoreCipher: () => {},
      restoreHasher: () => {},
    };
    enforced = state;
    prototype.send = function (this: DynamoDBClient, command: unknown, ...rest: unknown[]) {
      const functionName = invocation.getStore();
      if (functionName !== undefined) {
        for (const access of accessesOf(command)) {
          if (!allows(state.byName.get(functionName), access))
            return Promise.reject(new AccessDeniedException(functionName, access));
        }
      }
      return (state.original as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    } as unknown as Send;
    const cipher = EnvelopeFieldCipher.prototype;
    const { encrypt, decrypt } = cipher;
    state.restoreCipher = () => Object.assign(cipher, { encrypt, decrypt });
    const checked = (use: 'encrypt' | 'decrypt', operation: typeof encrypt) =>
      function (this: EnvelopeFieldCipher, text: string, context: string) {
        const functionName = invocation.getStore();
        if (functionName !== undefined) {
          const granted = state.byName.get(functionName)?.fieldCipher;
          if (granted !== 'decrypt' && (use === 'decrypt' || granted !== 'encrypt'))
            return Promise.reject(new KmsAccessDeniedException(functionName, use));
        }
        return operation.call(this, text, context);
      };
    cipher.encrypt = checked('encrypt', encrypt);
    cipher.decrypt = checked('decrypt', decrypt);
    const hasher = LocalKeyedHasher.prototype;
    const { mac } = hasher;
    state.restoreHasher = () => Object.assign(hasher, { mac });
    hasher.mac = function (this: LocalKeyedHasher, purpose: MacPurpose, value: string) {
      const functionName = invocation.getStore();
      if (functionName !== undefined) {
        const key = MAC_PURPOSE_KEYS[purpose];
        if (!state.byName.get(functionName)?.capabilities?.includes(HMAC_CAPABILITIES[key]))
          return Promise.reject(new HmacAccessDeniedException(functionName, key));
      }
      return mac.call(this, purpose, value);
    };
  }
  let undone = false;
  return () => {
    if (undone || !enforced) return;
    undone = true;
    enforced.users -= 1;
    if (enforced.users === 0) {
      prototype.send = enforced.original;
      enforced.restoreCipher();
      enforced.restoreHasher();
      enforced = undefined;
    }
  };
}

/** `loader`, with each handler call marked as an invocation of its function (for the check above). */
export function scopedLoader(loader: HandlerLoader): HandlerLoader {
  const load = loader.load.bind(loader);
  return Object.assign(Object.create(loader) as HandlerLoader, {
    load: async (functionName: string): Promise<LambdaHandler> => {
      const handler = await load(functionName);
      return (event, context) => invocation.run(functionName, () => handler(event, context));
    },
  });
}

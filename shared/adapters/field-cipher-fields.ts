import type { TableKey } from '../keys';
import type { FieldCipher } from '../ports';

/*
 * Which attributes of which items are encrypted field by field, and the one way they are sealed
 * and opened. The repositories call these in their marshalling, so use cases see plaintext and
 * the table sees ciphertext. Paths are dotted, from the item's top level.
 */

/** Application item: the legal person's ID number and the settlement account number. */
export const APPLICATION_FIELDS = ['body.legalPerson.idNumber', 'body.settlement.accountNumber'] as const;
/** Merchant item (no ID number is copied to the merchant; the licence number is public register data). */
export const MERCHANT_FIELDS = ['settlement.accountNumber'] as const;
/** Merchant version item: the merchant snapshot. */
export const MERCHANT_VERSION_FIELDS = MERCHANT_FIELDS.map((path) => `snapshot.${path}`);
/** Change-request item: the requested and the replaced settlement account. */
export const CHANGE_REQUEST_FIELDS = [
  'changes.settlement.accountNumber',
  'before.settlement.accountNumber',
] as const;

/**
 * The authenticated context of one field: the item's key and the field's path, so a ciphertext
 * cannot be replayed into another item (another applicant) or another field.
 */
export function fieldContext(key: TableKey, path: string): string {
  return `${key.pk}\u0000${key.sk}\u0000${path}`;
}

/** `item` with the string at each path replaced by `transform(value, path)`; other values as they are. */
async function mapFields<T>(
  item: T,
  paths: readonly string[],
  transform: (value: string, path: string) => Promise<string>,
): Promise<T> {
  let result: unknown = item;
  for (const path of paths) {
    const value = valueAt(result, path.split('.'));
    if (typeof value !== 'string') continue;
    result = withValueAt(result, path.split('.'), await transform(value, path));
  }
  return result as T;
}

function valueAt(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A copy of `value` with `replacement` at the path: the caller's (readonly) records are never mutated. */
function withValueAt(value: unknown, segments: readonly string[], replacement: string): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return replacement;
  const object = value as Record<string, unknown>;
  return { ...object, [head]: withValueAt(object[head], rest, replacement) };
}

/** `item` with the fields at `paths` encrypted under the context of `key`. */
export async function sealFields<T>(
  cipher: FieldCipher,
  key: TableKey,
  item: T,
  paths: readonly string[],
): Promise<T> {
  return mapFields(item, paths, (value, path) => cipher.encrypt(value, fieldContext(key, path)));
}

/** `item` with the fields at `paths` decrypted; a clear or foreign value there throws. */
export async function openFields<T>(
  cipher: FieldCipher,
  key: TableKey,
  item: T,
  paths: readonly string[],
): Promise<T> {
  return mapFields(item, paths, (value, path) => cipher.decrypt(value, fieldContext(key, path)));
}

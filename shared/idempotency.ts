import { sha256Hex } from './auth/tokens';
import { canonicalJson } from './domain/diff';
import { AppError, validationFailed } from './errors';

/*
 * Idempotent creation (`Idempotency-Key`, spec 4.1): the key's format, its scoped hash, the hash
 * of the body it was first sent with, and the refusal of a key reused with another body.
 */

/**
 * How long a change request's Idempotency-Key is remembered. An application's key is bound to it
 * for the application's lifetime instead: the application item is its own idempotency record.
 */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** The `Idempotency-Key` header's rule (spec 4.1): 8–128 printable ASCII characters. */
export const IDEMPOTENCY_KEY_RULE = { minLength: 8, maxLength: 128, pattern: /^[\x21-\x7e]+$/ } as const;

/** Checks the `Idempotency-Key` header ({@link IDEMPOTENCY_KEY_RULE}); 400 otherwise. */
export function checkIdempotencyKey(key: string | undefined): string {
  const { minLength, maxLength, pattern } = IDEMPOTENCY_KEY_RULE;
  if (key === undefined || key.length < minLength || key.length > maxLength || !pattern.test(key)) {
    throw validationFailed([
      {
        field: 'headers.Idempotency-Key',
        code: key === undefined ? 'REQUIRED' : 'INVALID_FORMAT',
        message: 'Send an Idempotency-Key header of 8 to 128 printable ASCII characters',
      },
    ]);
  }
  return key;
}

/**
 * The stored hash of a key in its scope (the route, and whose key it is where two callers may pick
 * the same one): `keyHash('create-change-request', merchantNo, key)`.
 */
export function keyHash(...scopeAndKey: readonly string[]): string {
  return sha256Hex(scopeAndKey.join('\u0000'));
}

/** The hash of a request body, equal for equal bodies whatever their key order. */
export function requestHashOf(body: unknown): string {
  return sha256Hex(canonicalJson(body));
}

/** The refusal of a key already used with another body. */
export function idempotencyKeyReused(): AppError {
  return new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another body');
}

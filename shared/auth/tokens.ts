import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 (hex) of a secret, for storage: tokens are stored only as hashes. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Constant-time comparison of two base64url MACs (keyed hashes). */
export function macsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64url');
  const right = Buffer.from(b, 'base64url');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** The bearer credential of the `Authorization` header, if any. */
export function bearerToken(headers: Readonly<Record<string, string>>): string | undefined {
  const value = headers.authorization;
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1];
}

/** JWTs have three dot-separated parts; merchant tokens `<applicationId>.<secret>` have two. */
export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}

/** Splits a merchant token into the application id and the secret. */
export function parseMerchantToken(token: string): { applicationId: string; secret: string } | undefined {
  const match = /^([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43,})$/.exec(token);
  return match?.[1] && match[2] ? { applicationId: match[1], secret: match[2] } : undefined;
}

/**
 * A fresh random merchant token `<applicationId>.<secret>` (256 random bits): the first token of
 * an application and every later one (rotation, sign-in, operator reissue). Nothing can derive it
 * again; only its SHA-256 is stored (and the first one, sealed, for replays of the create until it
 * is first used).
 */
export function newMerchantToken(applicationId: string): string {
  return `${applicationId}.${randomBytes(32).toString('base64url')}`;
}

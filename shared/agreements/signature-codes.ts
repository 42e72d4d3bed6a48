import { randomInt } from 'node:crypto';
import { macsEqual } from '../auth/tokens';
import { AppError } from '../errors';
import type { Clock, KeyedHasher } from '../ports';
import type { CodeCheck, OneTimeCodeStore } from '../ports/agreements';

/*
 * The one-time codes of agreement signatures, with the rules of spec section 6: 6 digits, stored
 * only as keyed hashes, valid 10 minutes, 5 wrong tries (each try reserved with a conditional write
 * before the comparison, so parallel guesses cannot exceed the limit), at most 5 codes an hour per
 * subject. Written against the small OneTimeCodeStore port so that the product's generic one-time
 * code mechanism can take its place without changing the signing use case.
 */

/** How long a code is valid. */
export const CODE_TTL_SECONDS = 600;
/** Wrong tries a code allows. */
export const CODE_MAX_TRIES = 5;
/** Codes one subject gets per clock hour. */
export const CODES_PER_HOUR = 5;

/** What the signature codes need. */
export interface SignatureCodeDeps {
  readonly codes: OneTimeCodeStore;
  readonly hasher: KeyedHasher;
  readonly clock: Clock;
}

function codeHash(hasher: KeyedHasher, merchantNo: string, code: string): Promise<string> {
  return hasher.mac('agreement-signature-code', `${merchantNo}:${code}`);
}

/** Seconds until the current UTC clock hour ends. */
function secondsToNextHour(now: Date): number {
  return 3600 - (Math.floor(now.getTime() / 1000) % 3600);
}

/**
 * Counts one code in the hour (429 `RATE_LIMITED` past {@link CODES_PER_HOUR}); call before
 * anything is sent.
 */
export async function reserveSignatureCode(deps: SignatureCodeDeps, merchantNo: string): Promise<void> {
  const now = deps.clock.now();
  const hour = now.toISOString().slice(0, 13);
  const expiresAt = Math.floor(now.getTime() / 1000) + 2 * 3600;
  if (!(await deps.codes.countIssue(merchantNo, hour, CODES_PER_HOUR, expiresAt))) {
    throw new AppError('RATE_LIMITED', `At most ${CODES_PER_HOUR} signature codes an hour: try again later`, {
      details: { retryAfterSeconds: secondsToNextHour(now) },
    });
  }
}

/** A new code for the merchant's signature (replacing any earlier one); the only place it is in clear. */
export async function newSignatureCode(
  deps: SignatureCodeDeps,
  merchantNo: string,
): Promise<{ code: string; expiresAt: string }> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(deps.clock.now().getTime() + CODE_TTL_SECONDS * 1000).toISOString();
  await deps.codes.putCode(merchantNo, { hash: await codeHash(deps.hasher, merchantNo, code), expiresAt });
  return { code, expiresAt };
}

/** Checks a presented code: used-up tries first, then expiry, then the code (one try reserved first). */
export async function checkSignatureCode(
  deps: SignatureCodeDeps,
  merchantNo: string,
  code: string,
): Promise<CodeCheck> {
  const stored = await deps.codes.getCode(merchantNo);
  if (!stored || stored.hash === 'USED') return { outcome: 'NONE' };
  if (stored.attempts >= CODE_MAX_TRIES) return { outcome: 'LOCKED' };
  if (stored.expiresAt <= deps.clock.now().toISOString()) return { outcome: 'EXPIRED' };
  const attempt = await deps.codes.reserveAttempt(merchantNo, stored.hash, CODE_MAX_TRIES);
  // The code was replaced, used, or its last try taken by a parallel request meanwhile.
  if (attempt === undefined) return { outcome: 'LOCKED' };
  if (macsEqual(await codeHash(deps.hasher, merchantNo, code), stored.hash)) return { outcome: 'MATCHED' };
  return { outcome: 'INVALID', attemptsLeft: Math.max(0, CODE_MAX_TRIES - attempt) };
}

/** Ends a code that matched: it cannot sign twice. */
export async function consumeSignatureCode(deps: SignatureCodeDeps, merchantNo: string): Promise<void> {
  const stored = await deps.codes.getCode(merchantNo);
  if (stored) await deps.codes.consume(merchantNo, stored.hash);
}

/** The API error of a code that did not match (spec 6 codes). */
export function codeError(check: Exclude<CodeCheck, { outcome: 'MATCHED' }>): AppError {
  switch (check.outcome) {
    case 'INVALID':
      return new AppError('VERIFICATION_CODE_INVALID', 'The signature code is not correct', {
        details: { attemptsLeft: check.attemptsLeft },
      });
    case 'LOCKED':
      return new AppError('VERIFICATION_LOCKED', 'Too many wrong codes: ask for a new signature code', {
        details: { attemptsLeft: 0 },
      });
    case 'EXPIRED':
    case 'NONE':
      return new AppError(
        'VERIFICATION_EXPIRED',
        'The signature code has expired or was never sent: ask for a new one',
      );
  }
}

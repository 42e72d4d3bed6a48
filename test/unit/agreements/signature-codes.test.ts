import { describe, expect, it } from 'vitest';
import {
  CODE_MAX_TRIES,
  CODES_PER_HOUR,
  checkSignatureCode,
  codeError,
  newSignatureCode,
  reserveSignatureCode,
} from '../../../shared/agreements/signature-codes';
import type { OneTimeCodeStore } from '../../../shared/ports/agreements';

/** The store's contract in memory: conditional counters as DynamoDB evaluates them. */
function memoryStore(): OneTimeCodeStore {
  const codes = new Map<string, { hash: string; expiresAt: string; attempts: number }>();
  const issued = new Map<string, number>();
  return {
    async countIssue(subject, hour, limit) {
      const count = issued.get(`${subject}#${hour}`) ?? 0;
      if (count >= limit) return false;
      issued.set(`${subject}#${hour}`, count + 1);
      return true;
    },
    async putCode(subject, code) {
      codes.set(subject, { ...code, attempts: 0 });
    },
    async getCode(subject) {
      const code = codes.get(subject);
      return code ? { ...code } : undefined;
    },
    async reserveAttempt(subject, hash, limit) {
      const code = codes.get(subject);
      if (!code || code.hash !== hash || code.attempts >= limit) return undefined;
      code.attempts += 1;
      return code.attempts;
    },
    async consume(subject, hash) {
      if (codes.get(subject)?.hash === hash) codes.set(subject, { hash: 'USED', expiresAt: '', attempts: 0 });
    },
  };
}

function deps(now: { value: Date }) {
  return {
    codes: memoryStore(),
    hasher: {
      mac: async (purpose: string, value: string) => Buffer.from(`${purpose}:${value}`).toString('base64url'),
    },
    clock: { now: () => now.value },
  };
}

const MERCHANT = '102110554110001';

describe('signature codes (spec 6 rules)', () => {
  it('matches the code sent, counts wrong ones, and locks after five even for the right code', async () => {
    const now = { value: new Date('2026-11-23T08:00:00Z') };
    const d = deps(now);
    const { code } = await newSignatureCode(d, MERCHANT);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = CODE_MAX_TRIES - 1; left >= 0; left--) {
      expect(await checkSignatureCode(d, MERCHANT, wrong)).toEqual({
        outcome: 'INVALID',
        attemptsLeft: left,
      });
    }
    const locked = await checkSignatureCode(d, MERCHANT, code);
    expect(locked).toEqual({ outcome: 'LOCKED' });
    expect(codeError(locked as { outcome: 'LOCKED' })).toMatchObject({
      statusCode: 409,
      code: 'VERIFICATION_LOCKED',
    });
    // A new code starts again.
    const fresh = await newSignatureCode(d, MERCHANT);
    expect(await checkSignatureCode(d, MERCHANT, fresh.code)).toEqual({ outcome: 'MATCHED' });
  });

  it('expires a code after 10 minutes and answers the same for none sent', async () => {
    const now = { value: new Date('2026-11-23T08:00:00Z') };
    const d = deps(now);
    expect(await checkSignatureCode(d, MERCHANT, '123456')).toEqual({ outcome: 'NONE' });
    const { code } = await newSignatureCode(d, MERCHANT);
    now.value = new Date('2026-11-23T08:10:00Z');
    const expired = await checkSignatureCode(d, MERCHANT, code);
    expect(expired).toEqual({ outcome: 'EXPIRED' });
    expect(codeError(expired as { outcome: 'EXPIRED' })).toMatchObject({
      statusCode: 409,
      code: 'VERIFICATION_EXPIRED',
    });
    expect(codeError({ outcome: 'INVALID', attemptsLeft: 3 })).toMatchObject({
      statusCode: 400,
      code: 'VERIFICATION_CODE_INVALID',
      details: { attemptsLeft: 3 },
    });
  });

  it('gives a merchant at most five codes an hour (429 with the seconds to wait)', async () => {
    const now = { value: new Date('2026-11-23T08:59:00Z') };
    const d = deps(now);
    for (let i = 0; i < CODES_PER_HOUR; i++) await reserveSignatureCode(d, MERCHANT);
    await expect(reserveSignatureCode(d, MERCHANT)).rejects.toMatchObject({
      statusCode: 429,
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 60 },
    });
    now.value = new Date('2026-11-23T09:00:00Z');
    await expect(reserveSignatureCode(d, MERCHANT)).resolves.toBeUndefined();
  });
});

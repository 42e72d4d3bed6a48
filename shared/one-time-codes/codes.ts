import { randomInt, randomUUID } from 'node:crypto';
import { macsEqual } from '../auth/tokens';
import { normalizedAddress } from '../domain/notification';
import { AppError, validationFailed } from '../errors';
import { logger } from '../logger';
import { type QuotaDeliveryDeps, type SendOutcome, sendOnce } from '../notifications/send-once';
import type { RenderedEmail, RenderedSms } from '../notifications/template-engine';
import type { Clock, KeyedHasher, Mailer, SmsSender } from '../ports';
import type { OneTimeCodeKey, OneTimeCodeStore } from './store';

/*
 * One-time codes: a 6-digit code that proves someone reads an address (a phone or a mailbox) now.
 * Contact verification (spec 6), signing in again (spec 11) and the agreement signature (spec 7)
 * all use these helpers with a purpose of their own:
 *
 *   const target = { purpose: 'agreement-signature', subject: merchantNo, channel: 'SMS', address: phone };
 *   const issued = await issueOneTimeCode(deps, target);              // 429 RATE_LIMITED past 5 an hour
 *   await sendOneTimeCode(deps, target, issued, {                     // exactly once, quota, suppression
 *     template: 'SIGNATURE_CODE',
 *     sms: (code) => renderSignatureSms(code),
 *   }).then(requireDelivered('legalPerson.phone'));
 *   ...
 *   await confirmOneTimeCode(deps, target, body.code);                // 400 / 409, or the code is used
 *
 * The rules (ONE_TIME_CODE_POLICY): a code lives 10 minutes and is stored only as a keyed hash
 * (the one-time-code HMAC key, bound to purpose, subject, channel, address and issue), so a table
 * export cannot be brute-forced and a code sent to one address never proves another; 5 wrong tries
 * lock it (each try is counted before the comparison, so concurrent guesses cannot test more than
 * 5); at most 5 codes per (purpose, subject, channel) in any hour, so at most 25 guesses an hour.
 */

/** The limits of a code; every purpose uses these unless it has a reason of its own. */
export interface OneTimeCodePolicy {
  /** How long a code is valid. */
  readonly ttlSeconds: number;
  /** Wrong tries before the code is locked (only a new code helps). */
  readonly maxAttempts: number;
  /** Codes per (purpose, subject, channel) in any hour. */
  readonly maxPerHour: number;
}

/** Spec 6: 10 minutes, 5 tries, 5 codes an hour. */
export const ONE_TIME_CODE_POLICY: OneTimeCodePolicy = { ttlSeconds: 600, maxAttempts: 5, maxPerHour: 5 };

/** Purposes are short kebab-case words: they are part of keys and of the keyed hash. */
const PURPOSE = /^[a-z][a-z0-9-]{0,31}$/;

/** A code's target: its key and the raw address it goes to (hashed into the code, never stored). */
export interface OneTimeCodeTarget extends OneTimeCodeKey {
  readonly address: string;
}

/** What issuing and confirming need. */
export interface OneTimeCodeDeps {
  readonly codes: OneTimeCodeStore;
  readonly hasher: KeyedHasher;
  readonly clock: Clock;
}

/** A code just issued: the code itself exists only here, for its message. */
export interface IssuedCode {
  readonly code: string;
  readonly issueId: string;
  readonly expiresAt: string;
}

function checkTarget(target: OneTimeCodeTarget): void {
  if (!PURPOSE.test(target.purpose)) throw new Error(`Not a one-time code purpose: ${target.purpose}`);
  if (target.subject === '' || target.subject.includes('#'))
    throw new Error('A one-time code subject is a non-empty id without #');
}

/** The code's keyed hash: bound to every part of its target, so it proves nothing else. */
function codeHash(
  hasher: KeyedHasher,
  target: OneTimeCodeTarget,
  issueId: string,
  code: string,
): Promise<string> {
  const parts = [
    target.purpose,
    target.subject,
    target.channel,
    normalizedAddress(target.channel, target.address),
    issueId,
    code,
  ];
  return hasher.mac('one-time-code', parts.join('\u0000'));
}

/**
 * Issues a new code for `target` (the previous one stops working, tries back to 5) and returns it
 * for its message. Past `maxPerHour` codes in the last hour: 429 `RATE_LIMITED` with
 * `retryAfterSeconds`, and the live code stays as it was.
 */
export async function issueOneTimeCode(
  deps: OneTimeCodeDeps,
  target: OneTimeCodeTarget,
  policy: OneTimeCodePolicy = ONE_TIME_CODE_POLICY,
): Promise<IssuedCode> {
  checkTarget(target);
  const now = deps.clock.now();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const issueId = randomUUID();
  const expiresAt = new Date(now.getTime() + policy.ttlSeconds * 1000);
  const result = await deps.codes.issue(
    target,
    { codeHash: await codeHash(deps.hasher, target, issueId, code), issueId, expiresAt },
    now,
    policy.maxPerHour,
  );
  if (!result.issued) {
    throw new AppError('RATE_LIMITED', `At most ${policy.maxPerHour} codes an hour: try again later`, {
      details: { retryAfterSeconds: result.retryAfterSeconds },
    });
  }
  return { code, issueId, expiresAt: expiresAt.toISOString() };
}

const CODE = /^\d{6}$/;

/**
 * Checks `code` against the live code of `target` and uses it up when it matches. The try is
 * counted before the comparison. Answers (as AppErrors): a malformed code 400
 * `VALIDATION_FAILED` (no try counted); a wrong one 400 `VERIFICATION_CODE_INVALID` with
 * `attemptsLeft`; every try used 409 `VERIFICATION_LOCKED`; none live (expired, used, never
 * issued) 409 `VERIFICATION_EXPIRED`.
 */
export async function confirmOneTimeCode(
  deps: OneTimeCodeDeps,
  target: OneTimeCodeTarget,
  code: unknown,
  policy: OneTimeCodePolicy = ONE_TIME_CODE_POLICY,
): Promise<void> {
  checkTarget(target);
  if (typeof code !== 'string' || !CODE.test(code)) {
    throw validationFailed([
      { field: 'code', code: 'INVALID_FORMAT', message: 'The code is the 6 digits of the message' },
    ]);
  }
  const now = deps.clock.now();
  const reserved = await deps.codes.reserveAttempt(target, now, policy.maxAttempts);
  if ('refused' in reserved) {
    if (reserved.refused === 'LOCKED') {
      throw new AppError('VERIFICATION_LOCKED', 'Too many wrong codes: request a new code');
    }
    throw new AppError('VERIFICATION_EXPIRED', 'This code is no longer valid: request a new code');
  }
  const presented = await codeHash(deps.hasher, target, reserved.issueId, code);
  const attemptsLeft = Math.max(0, policy.maxAttempts - reserved.attempts);
  if (!macsEqual(presented, reserved.codeHash)) {
    throw new AppError('VERIFICATION_CODE_INVALID', 'The code is not right', { details: { attemptsLeft } });
  }
  // Used once: of two right answers at the same moment, one wins.
  if (!(await deps.codes.consume(target, reserved.issueId, now))) {
    throw new AppError('VERIFICATION_EXPIRED', 'This code is no longer valid: request a new code');
  }
}

/** The message of a code: its template name (send records) and its SMS or email text. */
export interface CodeMessage {
  readonly template: string;
  readonly sms?: (code: IssuedCode) => RenderedSms;
  readonly email?: (code: IssuedCode) => RenderedEmail;
}

/** What sending a code needs: the exactly-once sender with the per-address quotas, and a provider. */
export type CodeDeliveryDeps = QuotaDeliveryDeps & {
  readonly sms?: SmsSender;
  readonly mailer?: Mailer;
};

/**
 * Sends an issued code through the exactly-once sender (one send record per issue; the address's
 * suppression and hourly quota apply; one attempt, since the caller answers at once). The outcome
 * says whether it went out; {@link requireDelivered} turns it into the caller's answer.
 */
export async function sendOneTimeCode(
  deps: CodeDeliveryDeps,
  target: OneTimeCodeTarget,
  issued: IssuedCode,
  message: CodeMessage,
): Promise<SendOutcome> {
  const request = {
    subjectId: `otc#${target.purpose}#${target.subject}#${issued.issueId}`,
    template: message.template,
    channel: target.channel,
    address: target.address,
    maxAttempts: 1,
    // A day after the code expired, nothing needs its send record (exactly once is per issue).
    keepUntil: new Date(Date.parse(issued.expiresAt) + 24 * 3600 * 1000),
  };
  if (target.channel === 'SMS') {
    const { sms: render } = message;
    const provider = deps.sms;
    if (!render || !provider) throw new Error(`${message.template} has no SMS`);
    return sendOnce(deps, request, () => {
      const text = render(issued);
      return provider.send({ to: target.address, body: text.body, templateId: text.templateId });
    });
  }
  const { email: render } = message;
  const provider = deps.mailer;
  if (!render || !provider) throw new Error(`${message.template} has no email`);
  return sendOnce(deps, request, () => provider.send({ to: [target.address], ...render(issued) }));
}

/** Seconds until the address's hourly quota window ends (fixed clock hours). */
function secondsToNextHour(now: Date): number {
  return 3600 - (Math.floor(now.getTime() / 1000) % 3600);
}

/**
 * The answer for a code that did not go out: 429 `RATE_LIMITED` (the address's hourly quota) with
 * `retryAfterSeconds`; 400 `VALIDATION_FAILED` on `field` with `UNDELIVERABLE` for an address
 * that bounced, complained or opted out; 503 for a provider failure. Nothing for a code that went out.
 */
export function requireDelivered(field: string, clock: Clock) {
  return (outcome: SendOutcome): void => {
    switch (outcome.result) {
      case 'SENT':
      case 'ALREADY_SENT':
        return;
      case 'RATE_LIMITED':
        throw new AppError('RATE_LIMITED', 'This address got as many messages as it may this hour', {
          details: { retryAfterSeconds: secondsToNextHour(clock.now()) },
        });
      case 'SUPPRESSED':
        throw validationFailed([
          {
            field,
            code: 'UNDELIVERABLE',
            message: 'Messages to this address bounced or were refused: give another one',
          },
        ]);
      default:
        logger.warn('one-time code not sent', { template: outcome.template, result: outcome.result });
        throw new AppError('SERVICE_UNAVAILABLE', 'The code could not be sent now; try again');
    }
  };
}

import * as z from 'zod/mini';
import { newMerchantToken, sha256Hex } from '../auth/tokens';
import { type ApplicationRecord, contactVerified } from '../domain/application';
import { AppError, notFound, validationFailed } from '../errors';
import { logger } from '../logger';
import { renderCodeSms } from '../notifications/code-templates';
import type { SendLimits } from '../notifications/send-once';
import {
  type CodeDeliveryDeps,
  confirmOneTimeCode,
  issueOneTimeCode,
  ONE_TIME_CODE_POLICY,
  type OneTimeCodeDeps,
  type OneTimeCodeTarget,
  sendOneTimeCode,
} from '../one-time-codes/codes';
import type { MerchantRepository } from '../ports/merchants';
import type { ApplicationRepository } from '../ports/repositories';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';

/*
 * Coming back later (spec 11): a merchant whose page session ended signs in with the application
 * id and a code sent to the contact phone, and gets a new access token (the old one stops working).
 * Both routes are public, so neither may tell whether an application exists: an unknown id is
 * rate-limited, answered and locked exactly like a known one; it only never gets an SMS.
 */

/** The purpose of sign-in codes (shared/one-time-codes/). */
export const SESSION = 'session';

/** What signing in needs: the application and merchant (the current contact phone), codes, the SMS sender. */
export type SessionDeps = OneTimeCodeDeps &
  CodeDeliveryDeps & {
    readonly applications: ApplicationRepository;
    readonly merchants: Pick<MerchantRepository, 'getMerchant'>;
    readonly config: SendLimits & { readonly smsSignature: string };
  };

/** An application id as the API spells them; anything else names nothing (404, like a path too long). */
const APPLICATION_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Stands for the phone of an application that has none to sign in with (unknown id, contact not
 * verified): its code is hashed for this non-address and sent nowhere, so it can never be confirmed.
 */
const NO_PHONE = 'no-phone';

/**
 * The phone a sign-in code goes to: the merchant's current contact once approved (a change request
 * may have moved it), else the application's contact phone once verified. None for an unknown id.
 */
async function signInPhone(
  deps: Pick<SessionDeps, 'applications' | 'merchants'>,
  applicationId: string,
): Promise<{ record: ApplicationRecord; phone: string } | undefined> {
  const record = await deps.applications.get(applicationId);
  if (!record) return undefined;
  if (record.merchantNo) {
    const merchant = await deps.merchants.getMerchant(record.merchantNo);
    if (merchant) return { record, phone: merchant.contact.phone };
  }
  return contactVerified(record, 'SMS') ? { record, phone: record.body.contact.phone } : undefined;
}

function sessionTarget(applicationId: string, phone: string | undefined): OneTimeCodeTarget {
  return { purpose: SESSION, subject: applicationId, channel: 'SMS', address: phone ?? NO_PHONE };
}

/**
 * `POST /v1/applications/{id}/sessions` (public): a sign-in code by SMS to the contact phone →
 * `202 {"channel": "SMS", "expiresAt"}`, the same answer whether or not the id names an
 * application with a verified phone (nothing to enumerate). 5 codes an hour per id → 429.
 */
export async function startSession(deps: SessionDeps, applicationId: string) {
  if (!APPLICATION_ID.test(applicationId)) throw notFound('Application');
  const found = await signInPhone(deps, applicationId);
  const target = sessionTarget(applicationId, found?.phone);
  // Counted and limited for every id alike: a 429 says nothing about the id either.
  const issued = await issueOneTimeCode(deps, target);
  if (found) {
    const { record } = found;
    const outcome = await sendOneTimeCode(deps, target, issued, {
      template: 'SIGN_IN_CODE',
      sms: (code) =>
        renderCodeSms(
          'SIGN_IN_CODE',
          record.body.locale,
          {
            code: code.code,
            applicationId,
            minutes: ONE_TIME_CODE_POLICY.ttlSeconds / 60,
          },
          deps.config.smsSignature,
        ),
    });
    // Not told to the caller (it would tell that the id exists): a code that did not go out is
    // simply never confirmed. The log line says why.
    if (outcome.result !== 'SENT')
      logger.warn('sign-in code not sent', { applicationId, result: outcome.result });
  }
  return { channel: 'SMS' as const, expiresAt: issued.expiresAt };
}

const confirmSchema = /* @__PURE__ */ lazy(() => z.strictObject({ code: z.string() }));

/**
 * `POST /v1/applications/{id}/sessions/confirm` (public) `{"code"}` → `200 {"applicationId",
 * "accessToken", "issuedAt"}`: a new access token; every earlier one stops working. The code rules
 * of spec 6 (400 `VERIFICATION_CODE_INVALID` with `attemptsLeft`, 409 `VERIFICATION_LOCKED` /
 * `VERIFICATION_EXPIRED`), answered alike for an id that names nothing.
 */
export async function confirmSession(
  deps: Pick<SessionDeps, 'applications' | 'merchants' | 'codes' | 'hasher' | 'clock'>,
  applicationId: string,
  input: unknown,
) {
  if (!APPLICATION_ID.test(applicationId)) throw notFound('Application');
  const parsed = z.safeParse(confirmSchema(), input ?? {});
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: input ?? {} }));
  const found = await signInPhone(deps, applicationId);
  await confirmOneTimeCode(deps, sessionTarget(applicationId, found?.phone), parsed.data.code);
  // Only a code hashed for a real phone can match: an unknown id ends above.
  if (!found) throw new AppError('VERIFICATION_EXPIRED', 'This code is no longer valid: request a new code');
  const accessToken = newMerchantToken(applicationId);
  const issuedAt = deps.clock.now().toISOString();
  const replaced = await deps.applications.replaceTokenHash(applicationId, {
    tokenHash: sha256Hex(accessToken),
    entry: {
      status: found.record.status,
      at: issuedAt,
      actor: `merchant:${applicationId}`,
      action: 'SIGNED_IN',
    },
  });
  if (!replaced)
    throw new AppError('VERIFICATION_EXPIRED', 'This code is no longer valid: request a new code');
  logger.info('merchant signed in with a code', { applicationId });
  return { applicationId, accessToken, issuedAt };
}

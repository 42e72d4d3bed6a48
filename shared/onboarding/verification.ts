import * as z from 'zod/mini';
import { type ApplicationRecord, contactVerified } from '../domain/application';
import { maskEmail, maskPhone } from '../domain/masking';
import { type Channel, normalizedAddress } from '../domain/notification';
import { AppError, invalidState, validationFailed } from '../errors';
import { renderCodeEmail, renderCodeSms } from '../notifications/code-templates';
import type { SendLimits } from '../notifications/send-once';
import {
  type CodeDeliveryDeps,
  confirmOneTimeCode,
  issueOneTimeCode,
  ONE_TIME_CODE_POLICY,
  type OneTimeCodeDeps,
  type OneTimeCodeTarget,
  requireDelivered,
  sendOneTimeCode,
} from '../one-time-codes/codes';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';
import { CONTACT_CHANNELS, CONTACT_FIELD, contactAddress } from './contacts';
import { applyToLatest, type DraftDeps, requireEditable } from './requests';

/*
 * Verified contacts (spec 6): before an application can be submitted, its contact phone and email
 * each prove by a one-time code that they asked for it; until then the code is the only message
 * either address ever gets. A PUT that changes the phone or the email removes that verification.
 */

/** The purpose of contact-verification codes (shared/one-time-codes/). */
export const CONTACT_VERIFICATION = 'contact-verification';

/** What verifying needs: the draft, codes, and the exactly-once sender with its quotas. */
export type VerificationDeps = Pick<DraftDeps, 'applications' | 'clock' | 'deadlines'> &
  OneTimeCodeDeps &
  CodeDeliveryDeps & { readonly config: SendLimits & { readonly smsSignature: string } };

const requestSchema = /* @__PURE__ */ lazy(() => z.strictObject({ channel: z.enum(CONTACT_CHANNELS) }));
const confirmSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({ channel: z.enum(CONTACT_CHANNELS), code: z.string() }),
);

function parse<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const parsed = z.safeParse(schema, input ?? {});
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: input ?? {} }));
  return parsed.data;
}

function target(record: ApplicationRecord, channel: Channel): OneTimeCodeTarget {
  return {
    purpose: CONTACT_VERIFICATION,
    subject: record.applicationId,
    channel,
    address: contactAddress(record, channel),
  };
}

/**
 * `POST /v1/applications/{id}/verifications` `{"channel"}`: a 6-digit code to the contact phone
 * (SMS) or email of an application that can still be edited → `{channel, sentTo (masked),
 * expiresAt}`. A verified channel needs none (409); past 5 codes an hour, or the address's
 * hourly quota, 429 `RATE_LIMITED`; an address that bounced or opted out 400 `UNDELIVERABLE`.
 */
export async function requestVerification(deps: VerificationDeps, record: ApplicationRecord, input: unknown) {
  const { channel } = parse(requestSchema(), input);
  requireEditable(record, deps);
  if (contactVerified(record, channel)) throw invalidState(`${CONTACT_FIELD[channel]} is verified already`);
  const to = target(record, channel);
  const issued = await issueOneTimeCode(deps, to);
  const values = (code: { code: string }) => ({
    code: code.code,
    applicationId: record.applicationId,
    minutes: ONE_TIME_CODE_POLICY.ttlSeconds / 60,
  });
  const locale = record.body.locale;
  const outcome = await sendOneTimeCode(deps, to, issued, {
    template: 'VERIFICATION_CODE',
    sms: (code) => renderCodeSms('VERIFICATION_CODE', locale, values(code), deps.config.smsSignature),
    email: (code) => renderCodeEmail('VERIFICATION_CODE', locale, values(code)),
  });
  requireDelivered(CONTACT_FIELD[channel], deps.clock)(outcome);
  return {
    channel,
    sentTo: channel === 'SMS' ? maskPhone(to.address) : maskEmail(to.address),
    expiresAt: issued.expiresAt,
  };
}

/**
 * `POST /v1/applications/{id}/verifications/confirm` `{"channel", "code"}` → `{channel, verified:
 * true}`: the code of the address the contact has now (a code sent to an address the merchant
 * changed since proves nothing). Wrong → 400 `VERIFICATION_CODE_INVALID` with `attemptsLeft`;
 * locked or expired → 409. A channel verified already answers the same 200 (a retried confirm).
 */
export async function confirmVerification(
  deps: Pick<VerificationDeps, 'applications' | 'clock' | 'deadlines' | 'codes' | 'hasher'>,
  record: ApplicationRecord,
  input: unknown,
) {
  const { channel, code } = parse(confirmSchema(), input);
  requireEditable(record, deps);
  if (contactVerified(record, channel)) return { channel, verified: true as const };
  const to = target(record, channel);
  await confirmOneTimeCode(deps, to, code);
  const verifiedAddress = normalizedAddress(channel, to.address);
  const at = deps.clock.now().toISOString();
  await applyToLatest(deps, record.applicationId, async (latest) => {
    requireEditable(latest, deps);
    // Changed by a PUT since the code was checked: the code proved the old address only.
    if (normalizedAddress(channel, contactAddress(latest, channel)) !== verifiedAddress) {
      throw new AppError('CONFLICT', `${CONTACT_FIELD[channel]} changed meanwhile: verify the new one`);
    }
    const next: ApplicationRecord = {
      ...latest,
      contactVerifications: { ...(latest.contactVerifications ?? {}), [channel]: at },
      revision: latest.revision + 1,
      updatedAt: at,
      timeline: [
        ...latest.timeline,
        {
          status: latest.status,
          at,
          actor: `merchant:${latest.applicationId}`,
          action: 'CONTACT_VERIFIED',
          fields: [CONTACT_FIELD[channel]],
        },
      ],
    };
    return { next, result: undefined };
  });
  return { channel, verified: true as const };
}

import { renderAgreementSms } from '../notifications/agreement-templates';
import type { Locale } from '../notifications/template-engine';
import {
  type CodeDeliveryDeps,
  confirmOneTimeCode,
  type IssuedCode,
  issueOneTimeCode,
  type OneTimeCodeDeps,
  type OneTimeCodeTarget,
  requireDelivered,
  sendOneTimeCode,
} from '../one-time-codes/codes';
import type { AgreementRecord } from './agreement';

/*
 * The agreement signature (spec 7) proves the legal person read the version with a one-time code
 * (shared/one-time-codes/, the rules of spec 6: 10 minutes, 5 tries, 5 codes an hour) sent by SMS
 * to the legal person's phone, not the contact's: the legal person signs. The code belongs to one
 * agreement version, so a code asked for while reading one version never signs another.
 */

/** The purpose of signature codes (part of their key and of their keyed hash). */
export const AGREEMENT_SIGNATURE = 'agreement-signature';

/** Who signs a merchant's agreements: the legal person's phone, and the language of the message. */
export interface Signer {
  readonly phone: string;
  readonly locale: Locale;
}

/** The code of one agreement version, by SMS to the legal person's phone. */
export function signatureCodeTarget(agreementId: string, phone: string): OneTimeCodeTarget {
  return { purpose: AGREEMENT_SIGNATURE, subject: agreementId, channel: 'SMS', address: phone };
}

/** What sending a signature code needs: the code store, the exactly-once sender, the SMS provider. */
export type SignatureCodeDeps = OneTimeCodeDeps &
  CodeDeliveryDeps & { readonly config: { readonly smsSignature: string } };

/**
 * Issues a code for `agreement` and texts it to the signer once (the phone's suppression and
 * hourly quota apply). 429 `RATE_LIMITED` past 5 codes an hour or the phone's SMS limit; 400
 * `VALIDATION_FAILED` (`legalPerson.phone` `UNDELIVERABLE`) for a phone that opted out; 503 when
 * the provider failed.
 */
export async function sendSignatureCode(
  deps: SignatureCodeDeps,
  agreement: Pick<AgreementRecord, 'merchantNo' | 'agreementId' | 'version' | 'feePlan' | 'settlementCycle'>,
  signer: Signer,
): Promise<IssuedCode> {
  const target = signatureCodeTarget(agreement.agreementId, signer.phone);
  const issued = await issueOneTimeCode(deps, target);
  await sendOneTimeCode(deps, target, issued, {
    template: 'AGREEMENT_SIGNATURE_CODE',
    sms: (code) =>
      renderAgreementSms(
        'AGREEMENT_SIGNATURE_CODE',
        signer.locale,
        {
          merchantNo: agreement.merchantNo,
          agreementId: agreement.agreementId,
          version: agreement.version,
          feePlan: agreement.feePlan,
          settlementCycle: agreement.settlementCycle,
          code: code.code,
        },
        deps.config.smsSignature,
      ),
  }).then(requireDelivered('legalPerson.phone', deps.clock));
  return issued;
}

/**
 * Checks the code of `agreementId` sent to `phone` and uses it up when it matches (the answers of
 * {@link confirmOneTimeCode}: 400 `VERIFICATION_CODE_INVALID` with `attemptsLeft`, 409
 * `VERIFICATION_LOCKED`, 409 `VERIFICATION_EXPIRED`).
 */
export function confirmSignatureCode(
  deps: OneTimeCodeDeps,
  agreementId: string,
  phone: string,
  code: string,
): Promise<void> {
  return confirmOneTimeCode(deps, signatureCodeTarget(agreementId, phone), code);
}

import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { MerchantPrincipal } from '../auth/principals';
import { merchantFacingTimeline } from '../domain/actors';
import { maskPhone } from '../domain/masking';
import { AppError, invalidState, notFound, validationFailed } from '../errors';
import { logger } from '../logger';
import type { SendLimits } from '../notifications/send-once';
import type { OneTimeCodeDeps } from '../one-time-codes/codes';
import type { AgreementDownloads, AgreementFiles, AgreementRepository } from '../ports/agreements';
import type { ApplicationRepository } from '../ports/repositories';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';
import { type AgreementRecord, archiveObjectKey } from './agreement';
import { confirmSignatureCode, type SignatureCodeDeps, sendSignatureCode } from './signature-codes';

/** How long the presigned GET of an agreement PDF is valid (spec: at most 15 minutes). */
export const AGREEMENT_URL_SECONDS = 600;

/**
 * An agreement version as the API shows it (the newest, or one of the list). The merchant sees
 * roles where the audit trail names a staff member (see shared/domain/actors.ts).
 */
export function agreementView(record: AgreementRecord, audience: 'merchant' | 'staff' = 'merchant') {
  return {
    agreementId: record.agreementId,
    version: record.version,
    status: record.status,
    cause: record.cause,
    feePlan: {
      code: record.feePlan.code,
      version: record.feePlan.version,
      name: record.feePlan.name,
      rates: record.feePlan.rates,
      t0SurchargeBps: record.feePlan.t0SurchargeBps,
    },
    settlementCycle: record.settlementCycle,
    locale: record.locale,
    createdAt: record.createdAt,
    sha256: record.document?.sha256 ?? null,
    signedAt: record.signature?.signedAt ?? null,
    supersededAt: record.supersededAt ?? null,
    timeline: audience === 'merchant' ? merchantFacingTimeline(record.timeline) : record.timeline,
  };
}

/**
 * `GET /v1/merchants/{merchantNo}/agreement` (the merchant, or staff): the newest version with a
 * presigned GET of its PDF (`documentUrl` is null for the seconds before it is rendered), and the
 * version in force when the newest waits for a signature.
 */
export async function getAgreement(
  deps: { agreements: AgreementRepository; downloads: AgreementDownloads },
  merchantNo: string,
  audience: 'merchant' | 'staff' = 'merchant',
) {
  const latest = await deps.agreements.latest(merchantNo);
  if (!latest) throw notFound('Agreement');
  const documentUrl = latest.document
    ? await deps.downloads.presignRendered(latest.document.objectKey, AGREEMENT_URL_SECONDS)
    : null;
  let inForce: { agreementId: string; version: number; signedAt: string | null } | null = null;
  if (latest.status !== 'SIGNED') {
    const head = await deps.agreements.head(merchantNo);
    if (head?.signedVersion !== undefined) {
      const signed = await deps.agreements.get(merchantNo, head.signedVersion);
      if (signed)
        inForce = {
          agreementId: signed.agreementId,
          version: signed.version,
          signedAt: signed.signature?.signedAt ?? null,
        };
    }
  }
  return {
    ...agreementView(latest, audience),
    documentUrl,
    documentUrlExpiresInSeconds: documentUrl ? AGREEMENT_URL_SECONDS : null,
    inForce:
      latest.status === 'SIGNED'
        ? {
            agreementId: latest.agreementId,
            version: latest.version,
            signedAt: latest.signature?.signedAt ?? null,
          }
        : inForce,
  };
}

/** What requesting a signature code needs. */
export type SignatureCodeRequestDeps = SignatureCodeDeps & {
  readonly agreements: AgreementRepository;
  readonly applications: Pick<ApplicationRepository, 'signerOf'>;
  readonly config: SendLimits & { readonly smsSignature: string };
};

/** The signer of the merchant's agreements (the legal person of its application). */
async function signerOf(
  deps: { applications: Pick<ApplicationRepository, 'signerOf'> },
  applicationId: string,
) {
  const signer = await deps.applications.signerOf(applicationId);
  if (!signer) throw notFound('Merchant');
  return signer;
}

/**
 * `POST /v1/merchants/{merchantNo}/agreement/signature-codes` (the merchant): a 6-digit code by SMS
 * to the legal person's phone (the legal person signs, not the contact) for the version waiting
 * for signature: a one-time code of purpose `agreement-signature` (shared/one-time-codes/), sent
 * exactly once per issue through the phone's suppression and hourly quota.
 */
export async function requestSignatureCode(deps: SignatureCodeRequestDeps, principal: MerchantPrincipal) {
  const merchantNo = principal.merchantNo;
  if (!merchantNo) throw notFound('Merchant');
  const latest = await deps.agreements.latest(merchantNo);
  if (!latest) throw notFound('Agreement');
  if (latest.status !== 'AWAITING_SIGNATURE')
    throw invalidState(`The newest agreement is ${latest.status}: there is nothing to sign`);
  const signer = await signerOf(deps, principal.applicationId);
  const issued = await sendSignatureCode(deps, latest, signer);
  return {
    channel: 'SMS' as const,
    sentTo: maskPhone(signer.phone),
    expiresAt: issued.expiresAt,
    agreementId: latest.agreementId,
  };
}

/** `POST /v1/merchants/{merchantNo}/agreement/sign`: the version read, its PDF's digest and the SMS code. */
export const signSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    agreementId: z.string().check(z.minLength(1), z.maxLength(64)),
    sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    code: z.string().check(z.regex(/^[0-9]{6}$/)),
  }),
);

/** What signing needs. */
export type SignDeps = OneTimeCodeDeps & {
  readonly agreements: AgreementRepository;
  readonly applications: Pick<ApplicationRepository, 'signerOf'>;
  readonly files: AgreementFiles;
};

/** Where a signature came from: kept as evidence. */
export interface SignatureSource {
  readonly sourceIp: string;
  readonly userAgent: string;
}

/**
 * `POST /v1/merchants/{merchantNo}/agreement/sign` (the merchant): the newest version, if its PDF's
 * sha256 is the one the merchant read (409 `AGREEMENT_CHANGED` otherwise) and the SMS code matches
 * (spec 6 codes). The signed PDF is copied write-once to the archive, then one transaction signs it
 * with the evidence and supersedes the version in force before.
 */
export async function signAgreement(
  deps: SignDeps,
  principal: MerchantPrincipal,
  input: unknown,
  source: SignatureSource,
) {
  const merchantNo = principal.merchantNo;
  if (!merchantNo) throw notFound('Merchant');
  const parsed = z.safeParse(signSchema(), input ?? {});
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: input ?? {} }));
  const { agreementId, sha256, code } = parsed.data;
  // Another merchant's agreement id, or none at all: nothing of this merchant's to sign.
  if (!agreementId.startsWith(`AGR-${merchantNo}-`)) throw notFound('Agreement');
  const latest = await deps.agreements.latest(merchantNo);
  if (!latest) throw notFound('Agreement');
  if (latest.agreementId !== agreementId) {
    throw new AppError(
      'AGREEMENT_CHANGED',
      'A newer version of the agreement was issued: read it before signing',
      {
        details: { agreementId: latest.agreementId, version: latest.version },
      },
    );
  }
  if (latest.status === 'SIGNED') throw invalidState('This agreement is signed already');
  if (!latest.document)
    throw invalidState('The agreement is still being prepared: try again in a few seconds');
  if (latest.document.sha256 !== sha256) {
    throw new AppError(
      'AGREEMENT_CHANGED',
      'The document was not the one waiting for signature: read it again',
      {
        details: { agreementId: latest.agreementId, version: latest.version },
      },
    );
  }
  // The code is tried only for the version and digest the merchant read (no try spent otherwise),
  // and is used up when it matches: it signs once.
  const signer = await signerOf(deps, principal.applicationId);
  await confirmSignatureCode(deps, latest.agreementId, signer.phone, code);

  const pdf = await deps.files.getRendered(latest.document.objectKey);
  if (!pdf || createHash('sha256').update(pdf).digest('hex') !== sha256) {
    // The stored object no longer has the digest that was recorded when it was rendered.
    throw new Error('The stored agreement PDF does not match its recorded digest');
  }
  const archiveKey = archiveObjectKey(merchantNo, latest.agreementId);
  await deps.files.archive(archiveKey, pdf, sha256);
  const head = await deps.agreements.head(merchantNo);
  const signedAt = deps.clock.now().toISOString();
  const signed = await deps.agreements.sign({
    record: latest,
    evidence: {
      sha256,
      signedAt,
      sourceIp: source.sourceIp,
      userAgent: source.userAgent,
      codeMatched: true,
      archiveKey,
    },
    ...(head?.signedVersion !== undefined ? { previousSigned: head.signedVersion } : {}),
    actor: `merchant:${merchantNo}`,
  });
  if (!signed) {
    const now = await deps.agreements.latest(merchantNo);
    if (now?.agreementId === agreementId && now.status === 'SIGNED')
      return { agreementId, status: 'SIGNED' as const, signedAt: now.signature?.signedAt ?? signedAt };
    throw new AppError('AGREEMENT_CHANGED', 'The agreement changed while it was being signed: read it again');
  }
  logger.info('agreement signed', { merchantNo, agreementId, version: latest.version });
  return { agreementId, status: 'SIGNED' as const, signedAt };
}

/**
 * The activation gate: a terminal is switched on only for a merchant with an agreement in force
 * (a signed version; a newer version waiting for signature leaves the signed one in force).
 */
export async function requireSignedAgreement(
  deps: { agreements: Pick<AgreementRepository, 'head'> },
  merchantNo: string,
): Promise<void> {
  const head = await deps.agreements.head(merchantNo);
  if (head?.signedVersion === undefined) {
    throw new AppError(
      'AGREEMENT_NOT_SIGNED',
      'The merchant agreement must be signed before a terminal can be activated',
    );
  }
}

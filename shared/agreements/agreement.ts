import type { Actor } from '../domain/application';
import type { FeePlanTerms } from '../fee-plans/plan';

/*
 * The merchant service agreement (spec 7). Each version is rendered once into a PDF from the
 * merchant's data, its fee plan and its settlement cycle, in the merchant's locale. A merchant has
 * at most one version waiting for a signature and at most one signed (in force): a newer version
 * waits while the signed one stays in force; signing it supersedes the older one.
 */

/** States of one agreement version. */
export type AgreementStatus = 'AWAITING_SIGNATURE' | 'SIGNED' | 'SUPERSEDED';

/** Why a version was made. */
export type AgreementCause = 'PROVISIONED' | 'FEE_PLAN_CHANGED' | 'SETTLEMENT_CYCLE_CHANGED';

/** One entry of a version's audit trail: who did what, when (no personal data). */
export interface AgreementEvent {
  readonly status: AgreementStatus;
  readonly at: string;
  readonly actor: Actor;
  readonly action: string;
  readonly reason?: string;
}

/** What is kept of a signature as evidence. */
export interface SignatureEvidence {
  /** The sha256 (hex) of the document the merchant read and signed. */
  readonly sha256: string;
  readonly signedAt: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** The SMS code sent to the legal person's phone matched (the only way to sign). */
  readonly codeMatched: true;
  /** The write-once copy of the signed PDF. */
  readonly archiveKey: string;
}

/** One stored agreement version. */
export interface AgreementRecord {
  readonly agreementId: string;
  readonly merchantNo: string;
  readonly version: number;
  readonly status: AgreementStatus;
  readonly cause: AgreementCause;
  /**
   * What made it, unique per merchant (`PROVISIONED`, `FEE_PLAN:<operation id>`,
   * `CHANGE:<changeRequestId>`): a retried step finds its version instead of making another.
   */
  readonly source: string;
  readonly feePlan: FeePlanTerms;
  readonly settlementCycle: 'T1' | 'T0';
  readonly locale: 'zh-CN' | 'en';
  readonly createdAt: string;
  /** Set once the PDF is rendered and stored: its object key, digest and size. */
  readonly document?: { readonly objectKey: string; readonly sha256: string; readonly bytes: number };
  readonly signature?: SignatureEvidence;
  readonly supersededAt?: string;
  readonly timeline: readonly AgreementEvent[];
}

/** Which version is the newest and which is signed (in force), and what made the newest. */
export interface AgreementHead {
  readonly merchantNo: string;
  readonly latestVersion: number;
  readonly signedVersion?: number;
  readonly latestSource: string;
}

/** The id of a merchant's agreement version: readable, and the same on every retry. */
export function agreementIdOf(merchantNo: string, version: number): string {
  return `AGR-${merchantNo}-${String(version).padStart(3, '0')}`;
}

/** The merchant number and version an agreement id names (`undefined` for another string). */
export function parseAgreementId(agreementId: string): { merchantNo: string; version: number } | undefined {
  const match = /^AGR-(\d{15})-(\d{3,})$/.exec(agreementId);
  if (!match?.[1] || !match[2]) return undefined;
  return { merchantNo: match[1], version: Number(match[2]) };
}

/** The object key of a version's rendered PDF in the documents bucket. */
export function agreementObjectKey(merchantNo: string, version: number): string {
  return `agreements/${merchantNo}/${agreementIdOf(merchantNo, version)}.pdf`;
}

/** The object key of a signed PDF in the write-once archive. */
export function archiveObjectKey(merchantNo: string, agreementId: string): string {
  return `${merchantNo}/${agreementId}.pdf`;
}

import type {
  AgreementEvent,
  AgreementHead,
  AgreementRecord,
  AgreementStatus,
  SignatureEvidence,
} from '../agreements/agreement';
import type { FeePlan, FeePlanRef } from '../fee-plans/plan';

/** Fee plans: immutable versions and the list of current ones. */
export interface FeePlanRepository {
  /** The current version of a code, or `undefined` when the code was never published. */
  current(code: string): Promise<FeePlan | undefined>;
  /** One version of a code. */
  version(ref: FeePlanRef): Promise<FeePlan | undefined>;
  /** The current version of every code, by code (one Query of the list partition, a few pages at most). */
  listCurrent(): Promise<FeePlan[]>;
  /**
   * Publishes `plan` (version = previous + 1, or 1) in one transaction with the list entry:
   * `false` when another version was published first (the caller reads again and retries).
   */
  publish(plan: FeePlan): Promise<boolean>;
}

/** A new agreement version with what else changes in the same transaction. */
export interface NewAgreementVersion {
  readonly record: AgreementRecord;
  /** The head as it was read (`undefined`: the merchant has no agreement yet). */
  readonly previousHead: AgreementHead | undefined;
  /** The waiting version this one replaces unsigned (it becomes SUPERSEDED). */
  readonly replacesWaiting?: number;
  /** The merchant's fee plan changes with it (the operator's route). */
  readonly merchantFeePlan?: FeePlanRef;
}

/** Agreement versions, their head, and the signing. */
export interface AgreementRepository {
  head(merchantNo: string): Promise<AgreementHead | undefined>;
  get(merchantNo: string, version: number): Promise<AgreementRecord | undefined>;
  /** The newest version (one Query, newest first, one item). */
  latest(merchantNo: string): Promise<AgreementRecord | undefined>;
  /**
   * Adds the next version in one transaction with the head (conditional on the head read), the
   * unsigned version it replaces, and the merchant's fee plan: `false` when the head moved.
   */
  add(input: NewAgreementVersion): Promise<boolean>;
  /** Appends an entry to a version's audit trail (a workflow failure). */
  addEvent(merchantNo: string, version: number, event: AgreementEvent): Promise<void>;
  /** Records the rendered PDF of a version once (first writer wins); returns the stored version. */
  setDocument(
    merchantNo: string,
    version: number,
    document: NonNullable<AgreementRecord['document']>,
  ): Promise<AgreementRecord>;
  /**
   * Signs the newest version in one transaction: it becomes SIGNED with the evidence (only while
   * AWAITING_SIGNATURE with this digest), the version in force before becomes SUPERSEDED, the head
   * records the signed version. `false` when any condition failed (signed meanwhile, or a newer
   * version was made).
   */
  sign(input: {
    record: AgreementRecord;
    evidence: SignatureEvidence;
    previousSigned?: number;
    actor: `merchant:${string}`;
  }): Promise<boolean>;
}

/** The PDFs: rendered versions in the documents bucket, signed copies in the write-once archive. */
export interface AgreementFiles {
  /** Stores a rendered PDF (the same key and bytes on a retry: rendering is deterministic). */
  putRendered(objectKey: string, pdf: Uint8Array): Promise<void>;
  /** The bytes of a rendered PDF. */
  getRendered(objectKey: string): Promise<Uint8Array | undefined>;
  /** Writes the signed PDF to the archive (S3 Object Lock, compliance mode, in AWS). */
  archive(objectKey: string, pdf: Uint8Array, sha256: string): Promise<void>;
}

/** Presigned downloads of rendered PDFs (only the reading route bundles the S3 presigner). */
export interface AgreementDownloads {
  presignRendered(objectKey: string, expiresInSeconds: number): Promise<string>;
}

/** The statuses a reader may see. */
export type { AgreementStatus };

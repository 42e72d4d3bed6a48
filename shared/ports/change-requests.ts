import type { Actor } from '../domain/application';
import type { ChangeRequestRecord } from '../domain/change-request';
import type { MerchantRecord } from '../domain/merchant';

/** A stored idempotent answer to a change-request creation. */
export interface ChangeRequestIdempotencyRecord {
  readonly keyHash: string;
  readonly requestHash: string;
  readonly response: Record<string, unknown>;
  readonly changeRequestId: string;
}

/** One version of a merchant: the whole record as it was, who made it, when, and what changed. */
export interface MerchantVersionRecord {
  readonly version: number;
  readonly snapshot: MerchantRecord;
  readonly actor: Actor;
  readonly action: string;
  readonly at: string;
  /** Names of the changed fields (absent on versions written before they were recorded, e.g. CREATED). */
  readonly fields?: readonly string[];
  readonly changeRequestId?: string;
}

/** Outcome of {@link ChangeRequestRepository.create}. */
export type CreateChangeOutcome = 'CREATED' | 'KEY_TAKEN' | 'OPEN_REQUEST_EXISTS';

/** Outcome of {@link ChangeRequestRepository.finish}. */
export type FinishChangeOutcome = 'DONE' | 'REVISION_MOVED' | 'TASK_DECIDED';

/**
 * Outcome of {@link ChangeRequestRepository.apply}: `VERSION_MOVED` when the merchant is no longer
 * at the expected version, `REVISION_MOVED` when the request itself changed (e.g. cancelled),
 * `CONFLICT` when DynamoDB refused a concurrent transaction on the same items (try again).
 */
export type ApplyChangeOutcome = 'APPLIED' | 'VERSION_MOVED' | 'REVISION_MOVED' | 'CONFLICT';

/** Change requests, the one-open-request marker, and merchant versions. */
export interface ChangeRequestRepository {
  get(changeRequestId: string): Promise<ChangeRequestRecord | undefined>;
  getIdempotency(keyHash: string): Promise<ChangeRequestIdempotencyRecord | undefined>;
  /** The merchant's open change request, if any (the marker's holder). */
  openChangeRequestId(merchantNo: string): Promise<string | undefined>;
  /**
   * One transaction: the idempotency record, the request, and the merchant's open-request marker
   * (claimed only when free — the one-open-request rule).
   */
  create(
    record: ChangeRequestRecord,
    idempotency: ChangeRequestIdempotencyRecord,
    ttlSeconds: number,
  ): Promise<CreateChangeOutcome>;
  /** Writes `next` if the stored revision is still `expectedRevision`; false otherwise. */
  save(next: ChangeRequestRecord, expectedRevision: number): Promise<boolean>;
  /**
   * Writes a final state (`next`) if the revision is unchanged, releasing the open-request marker
   * in the same transaction when this request holds it. Options: the review task must still be
   * pending (cancel), the idempotency record is deleted too (a creation that could not start).
   */
  finish(
    next: ChangeRequestRecord,
    expectedRevision: number,
    options?: { pendingTaskId?: string; idempotencyKeyHash?: string },
  ): Promise<FinishChangeOutcome>;
  /**
   * The approval, in one transaction: the changed merchant attributes and `version` + 1 only if the
   * merchant is still at `expectedVersion`, the new version's snapshot, the request → APPLIED (if
   * its revision is unchanged), and the marker released.
   */
  apply(input: {
    request: ChangeRequestRecord;
    expectedRevision: number;
    merchant: MerchantRecord;
    expectedVersion: number;
    version: MerchantVersionRecord;
  }): Promise<ApplyChangeOutcome>;
  /** Every version of a merchant, oldest first (a key-condition query, paged to the end). */
  versions(merchantNo: string): Promise<MerchantVersionRecord[]>;
}

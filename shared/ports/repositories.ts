import type { ApplicationRecord, TimelineEntry } from '../domain/application';
import type { ReviewTaskClosedStatus, ReviewTaskRecord } from '../domain/review';
import type { IdentityKind } from '../keys';

/** A uniqueness marker to claim or release (keyed hash, never the raw number). */
export interface UniquenessClaim {
  readonly kind: IdentityKind;
  readonly keyedHash: string;
}

/** Thrown when a uniqueness marker is held by another application or merchant. */
export class DuplicateMerchantError extends Error {
  override readonly name = 'DuplicateMerchantError';
}

/** Thrown when an optimistic-lock or state condition failed. */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
}

/** Applications (each its own idempotency record) and uniqueness markers. */
export interface ApplicationRepository {
  get(applicationId: string): Promise<ApplicationRecord | undefined>;
  /** What a merchant token is checked against: the stored hash (and the merchant, once approved). */
  tokenHashOf(applicationId: string): Promise<{ tokenHash: string; merchantNo?: string } | undefined>;
  /** The application's MCC, read without opening any encrypted field (no KMS call). */
  mccOf(applicationId: string): Promise<string | undefined>;
  /**
   * The application, read once, if `accepts` its stored token hash: personal data is decrypted
   * only for a caller whose token matched (`undefined` for a missing one or a refused token).
   */
  getIfTokenAccepted(
    applicationId: string,
    accepts: (tokenHash: string) => boolean,
  ): Promise<ApplicationRecord | undefined>;
  /**
   * Sets the token hash (`''` = revoked: no token matches) and appends `entry` to the timeline,
   * with a new revision so a concurrent whole-record save cannot write the old hash back. With
   * `expectedTokenHash` the write is conditional on it (rotation, revocation); false when the
   * condition failed or the application does not exist.
   */
  replaceTokenHash(
    applicationId: string,
    change: { tokenHash: string; expectedTokenHash?: string; entry: TimelineEntry },
  ): Promise<boolean>;
  /**
   * Creates the application unless its id is taken, in one conditional write (the id derives from
   * the Idempotency-Key, so a taken id is a taken key): `undefined` when created, otherwise the
   * stored application that holds the id.
   */
  createIfAbsent(record: ApplicationRecord): Promise<ApplicationRecord | undefined>;
  /**
   * Writes `next` if the stored revision is still `expectedRevision` (else {@link StaleWriteError}),
   * claiming and releasing uniqueness markers in the same transaction
   * (a marker held by someone else → {@link DuplicateMerchantError}).
   */
  save(
    next: ApplicationRecord,
    expectedRevision: number,
    markers?: { claim?: readonly string[]; release?: readonly string[] },
  ): Promise<void>;
  /** Who holds a marker (by its stored key), if anyone. */
  markerHolder(markerKey: string): Promise<{ applicationId: string; merchantNo?: string } | undefined>;
  isBlocked(kind: IdentityKind, keyedHash: string): Promise<boolean>;
}

/** One page of the review queue. */
export interface ReviewPage {
  readonly items: ReviewTaskRecord[];
  readonly nextCursor: string | undefined;
}

/** Review tasks and the pending queue. */
export interface ReviewTaskRepository {
  get(taskId: string): Promise<ReviewTaskRecord | undefined>;
  /** Creates the task in the pending queue; false when it exists already. */
  create(task: ReviewTaskRecord): Promise<boolean>;
  /**
   * Gives a PENDING or DECIDED task the token of the workflow now waiting on it, atomically, and
   * returns the task as it is then (`undefined` when it is missing or closed).
   */
  attachToken(taskId: string, taskToken: string): Promise<ReviewTaskRecord | undefined>;
  markEscalated(taskId: string): Promise<boolean>;
  /** PENDING → DECIDED, out of the queue; false when it was not pending. */
  decide(
    taskId: string,
    decision: Pick<
      ReviewTaskRecord,
      'decision' | 'reasons' | 'checks' | 'decidedBy' | 'decidedAt' | 'feePlan'
    >,
  ): Promise<boolean>;
  /** Undoes {@link decide} if no new wait took the task over since `usedToken`; false otherwise. */
  undoDecision(task: ReviewTaskRecord, usedToken: string): Promise<boolean>;
  /** PENDING → WITHDRAWN, EXPIRED or CANCELLED, out of the queue. */
  close(taskId: string, status: ReviewTaskClosedStatus): Promise<boolean>;
  /** Oldest first; the cursor is opaque to clients. */
  listPending(limit: number, cursor: string | undefined): Promise<ReviewPage>;
}

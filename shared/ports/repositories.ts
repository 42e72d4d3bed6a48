import type { ApplicationRecord, TimelineEntry } from '../domain/application';
import type { RevealRecord, ReviewKind, ReviewTaskClosedStatus, ReviewTaskRecord } from '../domain/review';
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

/**
 * The reads of an application that open no encrypted field (no field cipher, no KMS call): a
 * function that needs only these, such as the decision route (the MCC of an approved
 * application's fee plan), is built without the cipher.
 */
export interface ApplicationPlainReads {
  /** What a merchant token is checked against: the stored hash (and the merchant, once approved). */
  tokenHashOf(applicationId: string): Promise<{ tokenHash: string; merchantNo?: string } | undefined>;
  /** The application's MCC, read without opening any encrypted field (no KMS call). */
  mccOf(applicationId: string): Promise<string | undefined>;
  /**
   * Who signs the merchant's agreements: the legal person's phone and the application's locale,
   * read without opening any encrypted field (no KMS call).
   */
  signerOf(applicationId: string): Promise<{ phone: string; locale: 'zh-CN' | 'en' } | undefined>;
}

/**
 * Applications as the onboarding workflow's steps use them: whole records read and saved under
 * their revision, and the uniqueness markers and blocklist the automated checks read. A step's
 * adapter so carries none of the token, creation and partial reads of
 * {@link ApplicationRepository}, which extends this.
 */
export interface ApplicationStore {
  get(applicationId: string): Promise<ApplicationRecord | undefined>;
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

/** Applications (each its own idempotency record) and uniqueness markers. */
export interface ApplicationRepository extends ApplicationPlainReads, ApplicationStore {
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
   * with a new revision so a concurrent whole-record save cannot write the old hash back, and
   * forgets the replayable first token in the same transaction. With `expectedTokenHash` the write
   * is conditional on it (rotation, revocation); false when the condition failed or the
   * application does not exist.
   */
  replaceTokenHash(
    applicationId: string,
    change: { tokenHash: string; expectedTokenHash?: string; entry: TimelineEntry },
  ): Promise<boolean>;
  /**
   * Creates the application unless its id is taken, in one transaction with the sealed copy of its
   * first token that a replay may answer until `replayUntil` (the id derives from the
   * Idempotency-Key, so a taken id is a taken key): `undefined` when created, otherwise the stored
   * application that holds the id.
   */
  createIfAbsent(
    record: ApplicationRecord,
    firstToken: { readonly token: string; readonly replayUntil: string },
  ): Promise<ApplicationRecord | undefined>;
  /** The first token of the application while a replay may still answer it (never used, before its time). */
  replayableToken(applicationId: string, now: Date): Promise<string | undefined>;
  /** Forgets the first token's replayable copy (its first use); nothing happens when there is none. */
  forgetReplayableToken(applicationId: string): Promise<void>;
}

/** One page of the review queue. */
export interface ReviewPage {
  readonly items: ReviewTaskRecord[];
  readonly nextCursor: string | undefined;
}

/**
 * A review task read by its id: what the steps acting on a recorded decision and the staff views
 * of one task read. Every narrower review port extends it, so a function that only reads builds
 * none of the writes.
 */
export interface ReviewTaskReader {
  get(taskId: string): Promise<ReviewTaskRecord | undefined>;
}

/**
 * What a workflow's wait on a review task writes (shared/reviews/workflow.ts `openReviewTask`):
 * the task with its waiting token, or the token of a new wait on it. A step that only opens the
 * wait does not carry the decisions, claims, escalations and queue pages of
 * {@link ReviewTaskRepository}, which extends this.
 */
export interface ReviewTaskOpener extends ReviewTaskReader {
  /** Creates the task in the pending queue with its waiting token, atomically; false when it exists already. */
  create(task: ReviewTaskRecord, taskToken: string): Promise<boolean>;
  /**
   * Gives a PENDING or DECIDED task the token of the workflow now waiting on it and returns the
   * task as it is after that write (`undefined` when it is missing or closed): a decision written
   * before is seen here, one written after finds the new token.
   */
  attachToken(taskId: string, taskToken: string): Promise<ReviewTaskRecord | undefined>;
}

/**
 * What deciding a review task reads and writes (the decision route): the task, the token of the
 * workflow waiting on it, the decision and its undoing. Apart from {@link ReviewTaskRepository} so
 * that the route's bundle carries these writes only, not the queue, claims and escalations.
 */
export interface ReviewDecisionStore extends ReviewTaskReader {
  /** The token of the workflow waiting on the task, if any (only the decision route reads it). */
  waitingToken(taskId: string): Promise<string | undefined>;
  /**
   * PENDING → DECIDED, out of the queue and counted in the day's decisions, in one transaction —
   * only while the task is still as `seen` (pending, escalated or not) and nobody but
   * `decision.decidedBy` holds a live claim at `decidedAt`; false otherwise (read it to tell why).
   */
  decide(
    taskId: string,
    decision: Pick<
      ReviewTaskRecord,
      'decision' | 'reasons' | 'checks' | 'decidedBy' | 'decidedAt' | 'feePlan'
    >,
    seen: ReviewTaskRecord,
  ): Promise<boolean>;
  /**
   * Undoes {@link decide} of `task` (as decided: its decision and time say which count to take
   * back) if no new wait took the task over since `usedToken`; false otherwise.
   */
  undoDecision(task: ReviewTaskRecord, usedToken: string): Promise<boolean>;
}

/**
 * The closing of a review task whose subject ended (withdrawn, expired, cancelled): the routes and
 * steps that end a subject read and close its task, nothing else.
 */
export interface ReviewTaskCloser extends ReviewTaskReader {
  /** PENDING → WITHDRAWN, EXPIRED or CANCELLED, out of the queue. */
  close(taskId: string, status: ReviewTaskClosedStatus): Promise<boolean>;
}

/** A reviewer's claim on a task and the audited reveals made under it (the claim and reveal routes). */
export interface ReviewClaims extends ReviewTaskReader {
  /**
   * Gives `by` the claim on a pending task until `until`, if nobody else holds a live one at `now`
   * (the holder renews the same way): the task as claimed, or `undefined` when refused.
   */
  claim(taskId: string, by: string, now: Date, until: Date): Promise<ReviewTaskRecord | undefined>;
  /**
   * Appends `reveal` to the task's audit, only while the task is pending, `reveal.by` holds a live
   * claim at `now` and fewer than `maxReveals` are recorded; false otherwise.
   */
  recordReveal(taskId: string, reveal: RevealRecord, now: Date, maxReveals: number): Promise<boolean>;
}

/** The pending queue's pages (the listing route): no task is read by id or written. */
export interface ReviewQueue {
  /**
   * Pending tasks oldest first: all of them, those of `filter.kind`, or the escalated ones (of
   * `filter.kind` only, when given too: then a page may hold fewer than `limit` tasks while
   * `nextCursor` goes on). The cursor is opaque to clients and valid only for the listing that gave
   * it: the same kind or no kind; with `escalated`, any escalated listing (it is a position in the
   * one escalated queue).
   */
  listPending(limit: number, cursor: string | undefined, filter?: ReviewQueueFilter): Promise<ReviewPage>;
}

/** The escalation of a task whose review deadline passed (each process's EscalateReview step). */
export interface ReviewEscalations extends ReviewTaskReader {
  /**
   * Flags a pending task escalated, counting it (queue counters, the escalations of the day of
   * `at`) once; true while the task is pending, false otherwise.
   */
  markEscalated(taskId: string, at: Date): Promise<boolean>;
}

/**
 * Review tasks and the pending queue, every narrow port above in one. The token of the workflow
 * waiting on a task is kept in an item of its own (key family `reviewWait`): the functions that
 * only read tasks (the queue, the steps that act on a decision) cannot read it, and whoever holds
 * a token can resume the wait.
 */
export interface ReviewTaskRepository
  extends ReviewTaskOpener,
    ReviewDecisionStore,
    ReviewTaskCloser,
    ReviewClaims,
    ReviewQueue,
    ReviewEscalations {}

/** Which pending tasks a listing of the review queue asks for (none: the whole queue). */
export interface ReviewQueueFilter {
  readonly kind?: ReviewKind;
  /** Only the escalated ones (through their own index, not a filter of the whole queue's pages). */
  readonly escalated?: boolean;
}

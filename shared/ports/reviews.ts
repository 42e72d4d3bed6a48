import type { Decision, ReviewKind, ReviewTaskRecord } from '../domain/review';

/*
 * The review routes' ports beyond the task repository: the supervisor view's counters and the
 * phone number a reviewer's call-back needs.
 */

/** Decisions and escalations of one Asia/Shanghai day. */
export type ReviewDayCounts = { readonly day: string; readonly escalations: number } & Readonly<
  Record<Decision, number>
>;

/** What the counters say, read in a fixed number of items. */
export interface ReviewCounters {
  /** Per kind: pending and escalated-pending tasks, and when the oldest pending one was created. */
  readonly kinds: readonly {
    readonly kind: ReviewKind;
    readonly pending: number;
    readonly escalated: number;
    readonly oldestCreatedAt: string | null;
  }[];
  /** The days of the period that have counts, oldest first (days without any are absent). */
  readonly days: readonly ReviewDayCounts[];
}

/** The supervisor view's reads (shared/adapters/dynamodb-reviews.ts keeps the counters). */
export interface ReviewStatsReader {
  /** The counters, with the days `fromDay`..`toDay` (inclusive, `yyyy-mm-dd`). */
  read(fromDay: string, toDay: string): Promise<ReviewCounters>;
}

/** Whose number a call-back dials, and the number (never logged, never stored elsewhere). */
export interface CallbackPhone {
  /** `application`: the applicant's contact; `merchant`: the merchant's contact on record. */
  readonly of: 'application' | 'merchant';
  /** The application id or merchant number. */
  readonly id: string;
  readonly phone: string;
}

/**
 * The contact phone the phone call-back of a task needs: the application's contact for an
 * application; for a change request the merchant's contact on record (not a requested new one);
 * for a terminal transfer the sending merchant's contact; for a risk alert or a limit increase the
 * merchant's contact on record.
 */
export interface CallbackPhones {
  of(task: ReviewTaskRecord): Promise<CallbackPhone | undefined>;
}

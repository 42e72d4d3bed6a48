import type { AutomatedCheck } from './application';

/** Kinds of review tasks (spec 4.2). */
export type ReviewKind = 'APPLICATION' | 'CHANGE_REQUEST' | 'TERMINAL_TRANSFER';

/** Reviewer decisions. */
export type Decision = 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES';

/** Checks a reviewer may have to do before approving. */
export type RequiredCheck = 'phoneCallback' | 'siteInspection';

/** Status of a review task. */
export type ReviewTaskStatus = 'PENDING' | 'DECIDED' | 'WITHDRAWN' | 'EXPIRED' | 'CANCELLED';

/** Statuses a pending task can be closed with, without a decision (its subject ended otherwise). */
export type ReviewTaskClosedStatus = 'WITHDRAWN' | 'EXPIRED' | 'CANCELLED';

/** A reviewer's record of a check. */
export interface CheckRecord {
  readonly done: boolean;
  readonly notes?: string;
}

/** The stored review task. */
export interface ReviewTaskRecord {
  readonly taskId: string;
  readonly kind: ReviewKind;
  readonly subjectId: string;
  readonly status: ReviewTaskStatus;
  readonly createdAt: string;
  /** Review deadline: when it passes, the task is escalated. */
  readonly deadline: string;
  /** Final deadline: when it passes, the subject expires. */
  readonly finalDeadline: string;
  readonly escalated: boolean;
  readonly automatedChecks: readonly AutomatedCheck[];
  readonly requiredChecks: readonly RequiredCheck[];
  readonly summary: string;
  readonly decision?: Decision;
  readonly reasons?: readonly { field: string; reason: string }[];
  readonly checks?: Partial<Record<RequiredCheck, CheckRecord>>;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
}

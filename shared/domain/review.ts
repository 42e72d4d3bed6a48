import type { FeePlanRef } from '../fee-plans/plan';
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
  /** The fee plan version the reviewer chose at approval (applications only; default plan otherwise). */
  readonly feePlan?: FeePlanRef;
  /** The reviewer holding the case (staff subject), while `claimedUntil` is in the future. */
  readonly claimedBy?: string;
  /** End of the claim's lease (ISO); a lapsed lease holds nothing. */
  readonly claimedUntil?: string;
  /** Audit of every reveal of a masked field: who, when, which field (never the value). */
  readonly reveals?: readonly RevealRecord[];
}

/** One audited reveal of a masked field of a task's subject. */
export interface RevealRecord {
  readonly field: RevealableField;
  /** Staff subject of the reviewer. */
  readonly by: string;
  readonly at: string;
}

/**
 * The only field a reviewer may see unmasked: the phone number the phone call-back needs (the
 * subject's contact, or the merchant's on record for a change or transfer).
 */
export type RevealableField = 'contact.phone';

/** Whether `task` is held by a live lease of someone other than `sub` at `now`. */
export function heldByOther(task: ReviewTaskRecord, sub: string, now: Date): boolean {
  return liveClaim(task, now) !== undefined && task.claimedBy !== sub;
}

/** The task's live claim at `now`, if any. */
export function liveClaim(
  task: ReviewTaskRecord,
  now: Date,
): { readonly by: string; readonly until: string } | undefined {
  if (!task.claimedBy || !task.claimedUntil) return undefined;
  return Date.parse(task.claimedUntil) > now.getTime()
    ? { by: task.claimedBy, until: task.claimedUntil }
    : undefined;
}

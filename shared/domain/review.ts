import type { FeePlanRef } from '../fee-plans/plan';
import type { AutomatedCheck } from './application';

/**
 * Kinds of review tasks (spec 4.2 and 8): the first three are waited on by a workflow; RISK_ALERT
 * and LIMIT_INCREASE are decided without one (shared/daily-checks/decisions.ts).
 */
export type ReviewKind =
  | 'APPLICATION'
  | 'CHANGE_REQUEST'
  | 'TERMINAL_TRANSFER'
  | 'RISK_ALERT'
  | 'LIMIT_INCREASE';

/** Reviewer decisions: APPROVE and REJECT for every kind but RISK_ALERT, which has its own four. */
export type Decision =
  | 'APPROVE'
  | 'REJECT'
  | 'REQUEST_CHANGES'
  | 'DISMISS'
  | 'SUSPEND_TERMINAL'
  | 'SUSPEND_MERCHANT'
  | 'LOWER_LIMITS';

/** Every kind, in the order the supervisor view lists them. */
export const REVIEW_KINDS: readonly ReviewKind[] = [
  'APPLICATION',
  'CHANGE_REQUEST',
  'TERMINAL_TRANSFER',
  'RISK_ALERT',
  'LIMIT_INCREASE',
];

/** Every decision, in the order the supervisor view counts them. */
export const DECISIONS: readonly Decision[] = [
  'APPROVE',
  'REJECT',
  'REQUEST_CHANGES',
  'DISMISS',
  'SUSPEND_TERMINAL',
  'SUSPEND_MERCHANT',
  'LOWER_LIMITS',
];

/** The decisions of a RISK_ALERT task. */
export const RISK_ALERT_DECISIONS: readonly Decision[] = [
  'DISMISS',
  'SUSPEND_TERMINAL',
  'SUSPEND_MERCHANT',
  'LOWER_LIMITS',
];

/** What a RISK_ALERT or LIMIT_INCREASE task carries besides the common fields (ids and figures only). */
export interface DailyCheckTaskFields {
  readonly merchantNo?: string;
  /** RISK_ALERT: the rule, the day and the terminal (when one) it fired on. */
  readonly rule?: string;
  readonly day?: string;
  readonly serialNumber?: string;
  readonly cardType?: string;
  /** RISK_ALERT: the transactions and figures that broke the rule. */
  readonly evidence?: {
    readonly transactionIds: readonly string[];
    readonly figures: Readonly<Record<string, number | string>>;
  };
  /** LIMIT_INCREASE: what the merchant asked for. */
  readonly request?: {
    readonly cardType: string;
    readonly dailyFen: number;
    readonly monthlyFen: number;
    readonly reason: string;
  };
  /** LOWER_LIMITS: the limits the reviewer set. */
  readonly limits?: Readonly<Record<string, unknown>>;
}

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
export interface ReviewTaskRecord extends DailyCheckTaskFields {
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

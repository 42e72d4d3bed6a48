import type { Decision, ReviewKind, ReviewTaskRecord } from '../domain/review';
import * as keys from '../keys';
import { shanghaiDay } from '../retention/policy';
import { type DynamoTable, isTransactionConflict, type TransactionWrite } from './dynamodb-table';

/*
 * The review queue's bookkeeping, shared by every writer of review tasks (the workflow-driven
 * kinds in dynamodb-reviews.ts, the daily checks' RISK_ALERT and LIMIT_INCREASE tasks, opened in
 * dynamodb-daily-checks.ts and decided in dynamodb-daily-check-decisions.ts): each write that puts
 * a task into the queue, escalates, decides or closes it carries these writes in its own
 * transaction, so the supervisor view's counters and the per-kind queue are exact for every kind
 * without ever counting tasks.
 */

/** Transactions that touch the counters: others may be writing them at the same moment. */
const CONFLICT_ATTEMPTS = 6;

/**
 * Runs a transaction again while DynamoDB cancels it only for a concurrent transaction on one of
 * its items (the shared counters make that ordinary under load): nothing was written, so trying
 * again is safe. A failed condition or any other error is thrown.
 */
export async function transactRetrying(
  table: DynamoTable,
  writes: readonly TransactionWrite[],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await table.transact(writes);
      return;
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 10 + Math.random() * 20));
    }
  }
}

/** Counter attribute names of the queue item (`pending_APPLICATION`, `escalated_APPLICATION`). */
export const pendingOf = (kind: ReviewKind) => `pending_${kind}`;
export const escalatedOf = (kind: ReviewKind) => `escalated_${kind}`;

/** The counters' update as a transaction write: ±1 pending (and escalated) of `kind`. */
export function queueCounts(kind: ReviewKind, delta: 1 | -1, escalated: boolean): TransactionWrite {
  return {
    update: keys.reviewQueueCounts(),
    expression: escalated ? 'ADD #pending :delta, #escalated :delta' : 'ADD #pending :delta',
    names: { '#pending': pendingOf(kind), ...(escalated ? { '#escalated': escalatedOf(kind) } : {}) },
    values: { ':delta': delta },
  };
}

/**
 * The counters' update for tasks one transaction puts into the queue, of any kinds: a single
 * update, since a transaction writes an item only once.
 */
export function queueCountsOfNew(
  tasks: readonly Pick<ReviewTaskRecord, 'kind' | 'escalated'>[],
): TransactionWrite {
  const deltas = new Map<string, number>();
  for (const task of tasks) {
    deltas.set(pendingOf(task.kind), (deltas.get(pendingOf(task.kind)) ?? 0) + 1);
    if (task.escalated) deltas.set(escalatedOf(task.kind), (deltas.get(escalatedOf(task.kind)) ?? 0) + 1);
  }
  const entries = [...deltas];
  return {
    update: keys.reviewQueueCounts(),
    expression: `ADD ${entries.map((_, index) => `#c${index} :d${index}`).join(', ')}`,
    names: Object.fromEntries(entries.map(([name], index) => [`#c${index}`, name])),
    values: Object.fromEntries(entries.map(([, delta], index) => [`:d${index}`, delta])),
  };
}

/** ±1 of one attribute of a day's counts (a decision, or `escalations`). */
export function dayCount(day: string, attribute: Decision | 'escalations', delta: 1 | -1): TransactionWrite {
  return {
    update: keys.reviewDay(day),
    expression: 'ADD #count :delta',
    names: { '#count': attribute },
    values: { ':delta': delta },
  };
}

/**
 * The index entries of a pending task: the queue (GSI1), its kind's queue (GSI2) and, when it is
 * escalated, the escalated queue (GSI3).
 */
export function queueEntries(task: Pick<ReviewTaskRecord, 'kind' | 'createdAt' | 'taskId' | 'escalated'>) {
  return {
    ...keys.reviewQueueEntry(task.createdAt, task.taskId),
    ...keys.reviewKindQueueEntry(task.kind, task.createdAt, task.taskId),
    ...(task.escalated ? keys.reviewEscalatedQueueEntry(task.createdAt, task.taskId) : {}),
  };
}

/** The update clause that takes a task out of every queue index (removing an absent attribute is a no-op). */
export const LEAVE_QUEUES = `REMOVE ${keys.REVIEW_QUEUE_ATTRIBUTES.join(', ')}`;

/**
 * The condition that no one but `:me` holds a live claim (a lapsed lease holds nothing); `:now` is
 * the time of the write, as an ISO string like `claimedUntil`.
 */
export const CLAIM_FREE_OR_MINE =
  '(attribute_not_exists(claimedBy) OR claimedBy = :me OR claimedUntil <= :now)';

/** What a decision writes on its task: the decision, its reasons and checks, who and when. */
export interface TaskDecided {
  readonly decision: Decision;
  readonly reasons: readonly unknown[];
  readonly checks: Readonly<Record<string, unknown>>;
  readonly decidedBy: string;
  readonly decidedAt: string;
  /** The fee plan an approval chose (applications). */
  readonly feePlan?: unknown;
}

/**
 * A task decided, as the first writes of the deciding transaction: the task leaves every queue
 * (refused unless it is still as read: pending, escalated or not as counted, and under nobody
 * else's live claim), the queue's counters go down and the day's decisions up. Every kind of task
 * is decided through these writes, so the supervisor view counts every decision alike.
 */
export function decisionWrites(
  task: Pick<ReviewTaskRecord, 'taskId' | 'kind' | 'escalated'>,
  decided: TaskDecided,
): TransactionWrite[] {
  return [
    {
      update: keys.reviewTask(task.taskId),
      expression: `SET #status = :decided, decision = :decision, reasons = :reasons, checks = :checks, decidedBy = :me, decidedAt = :now${decided.feePlan ? ', feePlan = :plan' : ''} ${LEAVE_QUEUES}`,
      condition: `#status = :pending AND escalated = :escalated AND ${CLAIM_FREE_OR_MINE}`,
      names: { '#status': 'status' },
      values: {
        ':decided': 'DECIDED',
        ':pending': 'PENDING',
        ':escalated': task.escalated,
        ':decision': decided.decision,
        ':reasons': decided.reasons,
        ':checks': decided.checks,
        ':me': decided.decidedBy,
        ':now': decided.decidedAt,
        ...(decided.feePlan ? { ':plan': decided.feePlan } : {}),
      },
    },
    queueCounts(task.kind, -1, task.escalated),
    dayCount(shanghaiDay(decided.decidedAt), decided.decision, 1),
  ];
}

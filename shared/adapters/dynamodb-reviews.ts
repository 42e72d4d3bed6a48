import {
  DECISIONS,
  type Decision,
  REVIEW_KINDS,
  type RevealRecord,
  type ReviewTaskClosedStatus,
  type ReviewTaskRecord,
} from '../domain/review';
import * as keys from '../keys';
import { GSI2, REVIEW_QUEUE_PENDING, TABLE_SCHEMA } from '../keys';
import type {
  ReviewClaims,
  ReviewDecisionStore,
  ReviewEscalations,
  ReviewPage,
  ReviewQueue,
  ReviewQueueFilter,
  ReviewTaskCloser,
  ReviewTaskRepository,
} from '../ports/repositories';
import type { ReviewCounters, ReviewDayCounts, ReviewStatsReader } from '../ports/reviews';
import { shanghaiDay } from '../retention/policy';
import { stripKeys } from './dynamodb-applications';
import { clientCursorKey, encodeCursor } from './dynamodb-cursor';
import {
  CLAIM_FREE_OR_MINE,
  dayCount,
  decisionWrites,
  escalatedOf,
  LEAVE_QUEUES,
  pendingOf,
  queueCounts,
  queueEntries,
  transactRetrying,
} from './dynamodb-review-bookkeeping';
import { DynamoReviewTaskOpener, DynamoReviewTaskReader, readReviewTask } from './dynamodb-review-opener';
import { BATCH_GET_MAX, ConditionFailedError, type DynamoTable, succeeds } from './dynamodb-table';

/**
 * A queue of review tasks, and so the listing a cursor belongs to: the pending queue (GSI1), one
 * kind's queue (GSI2) or the escalated queue (GSI3) — its index, as the table's schema names it,
 * and its partition on that index.
 */
interface TaskQueue {
  readonly index: (typeof TABLE_SCHEMA)['gsi1' | 'gsi2' | 'gsi3'];
  readonly partition: string;
}

/**
 * Decodes a cursor and checks it is a position in `queue` (so a cursor of one kind's queue is
 * refused for another kind, for the whole queue or for the escalated one, and the other way
 * round), else 400.
 */
function decodeCursor(cursor: string | undefined, queue: TaskQueue): Record<string, unknown> | undefined {
  return clientCursorKey(
    cursor,
    (value) =>
      value[queue.index.partitionKey] === queue.partition &&
      typeof value[queue.index.sortKey] === 'string' &&
      typeof value.pk === 'string' &&
      value.sk === 'TASK' &&
      Object.keys(value).length === 4,
    'cursor',
  );
}

/**
 * What the decision route reads and writes of review tasks ({@link ReviewDecisionStore}): the
 * task, its waiting token, the decision and its undoing, each counted as the queue's counters
 * need. It extends the opening of a wait (a little the route does not call, so that one chain of
 * classes serves both narrow ports); {@link DynamoReviewTaskRepository} extends it with the rest of
 * the tasks' life. The route builds this one, so its bundle does not carry the queue, the claims
 * and the escalations.
 */
export class DynamoReviewDecisions extends DynamoReviewTaskOpener implements ReviewDecisionStore {
  async waitingToken(taskId: string): Promise<string | undefined> {
    const item = await this.table.get<{ taskToken?: string }>(keys.reviewWait(taskId));
    return typeof item?.taskToken === 'string' ? item.taskToken : undefined;
  }

  decide(
    taskId: string,
    decision: Pick<
      ReviewTaskRecord,
      'decision' | 'reasons' | 'checks' | 'decidedBy' | 'decidedAt' | 'feePlan'
    >,
    seen: ReviewTaskRecord,
  ): Promise<boolean> {
    if (!decision.decision || !decision.decidedAt || !decision.decidedBy) {
      throw new Error('A decision needs its decision, reviewer and time');
    }
    return succeeds(
      transactRetrying(this.table, [
        ...decisionWrites(
          { ...seen, taskId },
          {
            decision: decision.decision,
            reasons: decision.reasons ?? [],
            checks: decision.checks ?? {},
            decidedBy: decision.decidedBy,
            decidedAt: decision.decidedAt,
            ...(decision.feePlan ? { feePlan: decision.feePlan } : {}),
          },
        ),
      ]),
    );
  }

  undoDecision(task: ReviewTaskRecord, usedToken: string): Promise<boolean> {
    if (!task.decision || !task.decidedAt) throw new Error('Undoing a decision needs the decided task');
    const entries: Record<string, string> = queueEntries(task);
    return succeeds(
      transactRetrying(this.table, [
        {
          // Only while no new wait took the task over: that one has the decision already.
          conditionCheck: keys.reviewWait(task.taskId),
          condition: 'taskToken = :used',
          values: { ':used': usedToken },
        },
        {
          update: keys.reviewTask(task.taskId),
          // Back into the queues it left, the escalated one too when it was escalated.
          expression: `SET #status = :pending, ${Object.keys(entries)
            .map((attribute) => `${attribute} = :${attribute}`)
            .join(', ')} REMOVE decision, reasons, checks, decidedBy, decidedAt, feePlan`,
          condition: '#status = :decided',
          names: { '#status': 'status' },
          values: {
            ':pending': 'PENDING',
            ':decided': 'DECIDED',
            ...Object.fromEntries(
              Object.entries(entries).map(([attribute, value]) => [`:${attribute}`, value]),
            ),
          },
        },
        // The escalation cannot have changed meanwhile: only pending tasks are escalated.
        queueCounts(task.kind, 1, task.escalated),
        dayCount(shanghaiDay(task.decidedAt), task.decision, -1),
      ]),
    );
  }
}

/**
 * Flags task `taskId` escalated (into the escalated queue, counted once); true while it is pending.
 * Conditional on not yet escalated, so a second escalation of one task is never counted twice.
 */
async function markTaskEscalated(table: DynamoTable, taskId: string, at: Date): Promise<boolean> {
  const task = await readReviewTask(table, taskId);
  if (task?.status !== 'PENDING') return false;
  if (task.escalated) return true;
  const marked = await succeeds(
    transactRetrying(table, [
      {
        update: keys.reviewTask(taskId),
        // Into the escalated queue (GSI3) with the flag: both or neither.
        expression: 'SET escalated = :true, gsi3pk = :epk, gsi3sk = :esk',
        condition: '#status = :pending AND escalated = :false',
        names: { '#status': 'status' },
        values: {
          ':true': true,
          ':false': false,
          ':pending': 'PENDING',
          ':epk': keys.reviewEscalatedQueuePartition(),
          ':esk': keys.reviewEscalatedQueueEntry(task.createdAt, task.taskId).gsi3sk,
        },
      },
      {
        update: keys.reviewQueueCounts(),
        expression: 'ADD #escalated :one',
        names: { '#escalated': escalatedOf(task.kind) },
        values: { ':one': 1 },
      },
      dayCount(shanghaiDay(at), 'escalations', 1),
    ]),
  );
  if (marked) return true;
  return (await readReviewTask(table, taskId))?.status === 'PENDING';
}

/** The claim of `by` on pending task `taskId` until `until`, or `undefined` when someone else holds it. */
async function claimTask(
  table: DynamoTable,
  taskId: string,
  by: string,
  now: Date,
  until: Date,
): Promise<ReviewTaskRecord | undefined> {
  try {
    const item = await table.update<ReviewTaskRecord & Record<string, unknown>>(
      keys.reviewTask(taskId),
      'SET claimedBy = :me, claimedUntil = :until',
      {
        condition: `#status = :pending AND ${CLAIM_FREE_OR_MINE}`,
        names: { '#status': 'status' },
        values: {
          ':me': by,
          ':now': now.toISOString(),
          ':until': until.toISOString(),
          ':pending': 'PENDING',
        },
      },
    );
    return stripKeys(item);
  } catch (error) {
    if (error instanceof ConditionFailedError) return undefined;
    throw error;
  }
}

/** Appends `reveal` to the audit of task `taskId` under its reviewer's live claim (see ReviewClaims). */
function recordTaskReveal(
  table: DynamoTable,
  taskId: string,
  reveal: RevealRecord,
  now: Date,
  maxReveals: number,
): Promise<boolean> {
  // The audit entry is the authorization: written only under the reviewer's own live claim, and
  // before anything is disclosed.
  return succeeds(
    table.update(
      keys.reviewTask(taskId),
      'SET reveals = list_append(if_not_exists(reveals, :none), :entry)',
      {
        condition:
          '#status = :pending AND claimedBy = :me AND claimedUntil > :now AND (attribute_not_exists(reveals) OR size(reveals) < :max)',
        names: { '#status': 'status' },
        values: {
          ':none': [],
          ':entry': [reveal],
          ':me': reveal.by,
          ':now': now.toISOString(),
          ':pending': 'PENDING',
          ':max': maxReveals,
        },
      },
    ),
  );
}

/** Pending task `taskId` → `status`, out of the queues and counted out; false when not pending. */
async function closeTask(
  table: DynamoTable,
  taskId: string,
  status: ReviewTaskClosedStatus,
): Promise<boolean> {
  // Read, then close on the condition that the task is still as read (pending, escalated or
  // not): an escalation in between only means one more round.
  for (let attempt = 0; attempt < 3; attempt++) {
    const task = await readReviewTask(table, taskId);
    if (task?.status !== 'PENDING') return false;
    const closed = await succeeds(
      transactRetrying(table, [
        {
          update: keys.reviewTask(taskId),
          expression: `SET #status = :closed ${LEAVE_QUEUES}`,
          condition: '#status = :pending AND escalated = :escalated',
          names: { '#status': 'status' },
          values: { ':closed': status, ':pending': 'PENDING', ':escalated': task.escalated },
        },
        queueCounts(task.kind, -1, task.escalated),
      ]),
    );
    if (closed) return true;
  }
  return false;
}

/** A page of the pending queue (see ReviewQueue.listPending). */
async function listPendingTasks(
  table: DynamoTable,
  limit: number,
  cursor: string | undefined,
  filter: ReviewQueueFilter = {},
): Promise<ReviewPage> {
  const { kind, escalated } = filter;
  if (escalated) {
    // One escalated queue for every kind: a kind is kept from its page, so the page may be
    // shorter than `limit` (escalated tasks are few; a partition per kind would be one more
    // index attribute on every escalated task for a rare combination).
    return listThroughKeys(
      table,
      limit,
      cursor,
      { index: TABLE_SCHEMA.gsi3, partition: keys.reviewEscalatedQueuePartition() },
      (task) => task.escalated === true && (kind === undefined || task.kind === kind),
    );
  }
  if (kind !== undefined) {
    return listThroughKeys(
      table,
      limit,
      cursor,
      { index: TABLE_SCHEMA.gsi2, partition: keys.reviewKindQueuePartition(kind) },
      (task) => task.kind === kind,
    );
  }
  const pending: TaskQueue = { index: TABLE_SCHEMA.gsi1, partition: REVIEW_QUEUE_PENDING };
  const page = await table.query<ReviewTaskRecord & Record<string, unknown>>({
    index: pending.index.indexName,
    keyCondition: `${pending.index.partitionKey} = :queue`,
    values: { ':queue': pending.partition },
    limit,
    startKey: decodeCursor(cursor, pending),
    forward: true,
  });
  return { items: page.items.map(stripKeys), nextCursor: encodeCursor(page.lastKey) };
}

/**
 * Pending tasks through a keys-only queue (one kind's on GSI2, the escalated one on GSI3): a page
 * is one Query of `limit` keys and one BatchGetItem of those tasks, O(page) read units whatever
 * the queue's size. The tasks are read eventually consistent, as the whole queue's index is (half
 * the units); one seen decided or closed since the index listed it, or not `kept`, is left out.
 */
async function listThroughKeys(
  table: DynamoTable,
  limit: number,
  cursor: string | undefined,
  queue: TaskQueue,
  kept: (task: ReviewTaskRecord) => boolean,
): Promise<ReviewPage> {
  const page = await table.query<{ pk: string; sk: string }>({
    index: queue.index.indexName,
    keyCondition: `${queue.index.partitionKey} = :partition`,
    values: { ':partition': queue.partition },
    limit: Math.min(limit, BATCH_GET_MAX),
    startKey: decodeCursor(cursor, queue),
    forward: true,
  });
  const tasks = await table.batchGet<ReviewTaskRecord & Record<string, unknown>>(
    page.items.map((entry) => ({ pk: entry.pk, sk: entry.sk })),
    { consistent: false },
  );
  return {
    items: tasks.filter((task) => task.status === 'PENDING' && kept(task)).map(stripKeys),
    nextCursor: encodeCursor(page.lastKey),
  };
}

/*
 * The narrow adapters below each carry only the writes of their port (the bodies are the module's
 * functions above, which DynamoReviewTaskRepository shares), so a function building one does not
 * carry the rest of the tasks' life.
 */

/** The closing of a task whose subject ended (the withdraw and cancel routes, the expiry steps). */
export class DynamoReviewTaskCloser extends DynamoReviewTaskReader implements ReviewTaskCloser {
  close(taskId: string, status: ReviewTaskClosedStatus): Promise<boolean> {
    return closeTask(this.table, taskId, status);
  }
}

/**
 * Claims and audited reveals: the claim route and the reveal route both build this, each carrying
 * the other's one method (two small updates) rather than a port of their own.
 */
export class DynamoReviewClaims extends DynamoReviewTaskReader implements ReviewClaims {
  claim(taskId: string, by: string, now: Date, until: Date): Promise<ReviewTaskRecord | undefined> {
    return claimTask(this.table, taskId, by, now, until);
  }

  recordReveal(taskId: string, reveal: RevealRecord, now: Date, maxReveals: number): Promise<boolean> {
    return recordTaskReveal(this.table, taskId, reveal, now, maxReveals);
  }
}

/** The pending queue's pages (the listing route): the cursor code and the queue reads only. */
export class DynamoReviewQueue implements ReviewQueue {
  constructor(private readonly table: DynamoTable) {}

  listPending(limit: number, cursor: string | undefined, filter?: ReviewQueueFilter): Promise<ReviewPage> {
    return listPendingTasks(this.table, limit, cursor, filter);
  }
}

/** The escalation of a task past its review deadline (each process's EscalateReview step). */
export class DynamoReviewEscalations extends DynamoReviewTaskReader implements ReviewEscalations {
  markEscalated(taskId: string, at: Date): Promise<boolean> {
    return markTaskEscalated(this.table, taskId, at);
  }
}

/**
 * Review tasks; the pending queue is a sparse GSI so listing never scans, and each kind's pending
 * tasks are a sparse partition of GSI2 (oldest per kind in one item). The waiting token lives in an
 * item of its own (`WAIT#<taskId>`), written together with the task. Every write that moves a task
 * into or out of the queue, escalates or decides it updates the counters of the supervisor view in
 * the same transaction, so the counters are exact without ever counting tasks. Every port in one
 * (tests and tools); the deployed functions build the narrow adapters.
 */
export class DynamoReviewTaskRepository extends DynamoReviewDecisions implements ReviewTaskRepository {
  markEscalated(taskId: string, at: Date): Promise<boolean> {
    return markTaskEscalated(this.table, taskId, at);
  }

  claim(taskId: string, by: string, now: Date, until: Date): Promise<ReviewTaskRecord | undefined> {
    return claimTask(this.table, taskId, by, now, until);
  }

  recordReveal(taskId: string, reveal: RevealRecord, now: Date, maxReveals: number): Promise<boolean> {
    return recordTaskReveal(this.table, taskId, reveal, now, maxReveals);
  }

  close(taskId: string, status: ReviewTaskClosedStatus): Promise<boolean> {
    return closeTask(this.table, taskId, status);
  }

  listPending(limit: number, cursor: string | undefined, filter?: ReviewQueueFilter): Promise<ReviewPage> {
    return listPendingTasks(this.table, limit, cursor, filter);
  }
}

/**
 * The supervisor view's reads, a fixed number of small items whatever the number of tasks: the
 * counters item, the day items of the period (one Query), and the oldest pending task of each kind
 * (one keys-only item of GSI2 each). Never a Scan, never a count of tasks.
 */
export class DynamoReviewStats implements ReviewStatsReader {
  constructor(private readonly table: DynamoTable) {}

  async read(fromDay: string, toDay: string): Promise<ReviewCounters> {
    const [counts, days, ...oldest] = await Promise.all([
      this.table.get<Record<string, unknown>>(keys.reviewQueueCounts()),
      this.table.query<Record<string, unknown>>({
        keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
        values: { ':pk': keys.reviewDay(fromDay).pk, ':from': fromDay, ':to': toDay },
      }),
      ...REVIEW_KINDS.map((kind) =>
        this.table.query<{ gsi2sk?: string }>({
          index: GSI2,
          keyCondition: 'gsi2pk = :kind',
          values: { ':kind': keys.reviewKindQueuePartition(kind) },
          limit: 1,
          forward: true,
        }),
      ),
    ]);
    const count = (name: string) => {
      const value = counts?.[name];
      // Counters start with the first write that moves a task; never below zero when read.
      return typeof value === 'number' && value > 0 ? value : 0;
    };
    return {
      kinds: REVIEW_KINDS.map((kind, index) => {
        const entry = oldest[index]?.items[0]?.gsi2sk;
        return {
          kind,
          pending: count(pendingOf(kind)),
          escalated: count(escalatedOf(kind)),
          oldestCreatedAt: entry ? entry.slice(0, entry.indexOf('#')) : null,
        };
      }),
      days: days.items.map((item): ReviewDayCounts => {
        const n = (name: string) => (typeof item[name] === 'number' ? Math.max(0, item[name] as number) : 0);
        return {
          day: String(item.sk),
          ...(Object.fromEntries(DECISIONS.map((decision) => [decision, n(decision)])) as Record<
            Decision,
            number
          >),
          escalations: n('escalations'),
        };
      }),
    };
  }
}

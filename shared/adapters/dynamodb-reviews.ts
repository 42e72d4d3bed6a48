import type { ReviewTaskClosedStatus, ReviewTaskRecord } from '../domain/review';
import { AppError } from '../errors';
import { GSI1, keys, REVIEW_QUEUE_PENDING } from '../keys';
import type { ReviewPage, ReviewTaskRepository } from '../ports/repositories';
import { epochSeconds, stripKeys } from './dynamodb-applications';
import { type DynamoTable, succeeds } from './dynamodb-table';

function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url') : undefined;
}

/** Decodes a cursor and checks it is one of ours (a queue position), else 400. */
function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const valid =
      value.gsi1pk === REVIEW_QUEUE_PENDING &&
      typeof value.gsi1sk === 'string' &&
      typeof value.pk === 'string' &&
      value.sk === 'TASK' &&
      Object.keys(value).length === 4;
    if (valid) return value;
  } catch {
    // fall through to the 400 below
  }
  throw new AppError('VALIDATION_FAILED', 'The cursor is not valid', {
    fields: [{ field: 'cursor', code: 'INVALID_FORMAT', message: 'Use the nextCursor of a previous page' }],
  });
}

/**
 * How long a waiting token is kept: longer than any wait on a review (the final deadline), after
 * which the token is dead in Step Functions anyway and DynamoDB's TTL removes the item.
 */
const WAIT_TOKEN_TTL_SECONDS = 90 * 24 * 3600;

/** The item holding the token of the wait on a task (family `reviewWait`). */
function waitItem(taskId: string, taskToken: string) {
  return {
    ...keys.reviewWait(taskId),
    taskId,
    taskToken,
    expiresAt: epochSeconds() + WAIT_TOKEN_TTL_SECONDS,
  };
}

/**
 * Review tasks; the pending queue is a sparse GSI so listing never scans. The waiting token lives
 * in an item of its own (`WAIT#<taskId>`), written together with the task.
 */
export class DynamoReviewTaskRepository implements ReviewTaskRepository {
  constructor(private readonly table: DynamoTable) {}

  async get(taskId: string): Promise<ReviewTaskRecord | undefined> {
    const item = await this.table.get<ReviewTaskRecord & Record<string, unknown>>(keys.reviewTask(taskId));
    return item ? stripKeys(item) : undefined;
  }

  create(task: ReviewTaskRecord, taskToken: string): Promise<boolean> {
    return succeeds(
      this.table.transact([
        { put: waitItem(task.taskId, taskToken) },
        {
          put: {
            ...keys.reviewTask(task.taskId),
            ...keys.reviewQueueEntry(task.createdAt, task.taskId),
            ...task,
          },
          condition: 'attribute_not_exists(pk)',
        },
      ]),
    );
  }

  async attachToken(taskId: string, taskToken: string): Promise<ReviewTaskRecord | undefined> {
    const attached = await succeeds(
      this.table.transact([
        { put: waitItem(taskId, taskToken) },
        {
          conditionCheck: keys.reviewTask(taskId),
          condition: '#status IN (:pending, :decided)',
          names: { '#status': 'status' },
          values: { ':pending': 'PENDING', ':decided': 'DECIDED' },
        },
      ]),
    );
    // Read after the token is in place: a decision written before is seen now; one written later
    // reads the new token when it hands itself over (see decideReview).
    return attached ? this.get(taskId) : undefined;
  }

  async waitingToken(taskId: string): Promise<string | undefined> {
    const item = await this.table.get<{ taskToken?: string }>(keys.reviewWait(taskId));
    return typeof item?.taskToken === 'string' ? item.taskToken : undefined;
  }

  markEscalated(taskId: string): Promise<boolean> {
    return succeeds(
      this.table.update(keys.reviewTask(taskId), 'SET escalated = :true', {
        condition: '#status = :pending',
        names: { '#status': 'status' },
        values: { ':true': true, ':pending': 'PENDING' },
      }),
    );
  }

  decide(
    taskId: string,
    decision: Pick<ReviewTaskRecord, 'decision' | 'reasons' | 'checks' | 'decidedBy' | 'decidedAt'>,
  ): Promise<boolean> {
    return succeeds(
      this.table.update(
        keys.reviewTask(taskId),
        'SET #status = :decided, decision = :decision, reasons = :reasons, checks = :checks, decidedBy = :by, decidedAt = :at REMOVE gsi1pk, gsi1sk',
        {
          condition: '#status = :pending',
          names: { '#status': 'status' },
          values: {
            ':decided': 'DECIDED',
            ':pending': 'PENDING',
            ':decision': decision.decision,
            ':reasons': decision.reasons ?? [],
            ':checks': decision.checks ?? {},
            ':by': decision.decidedBy,
            ':at': decision.decidedAt,
          },
        },
      ),
    );
  }

  undoDecision(task: ReviewTaskRecord, usedToken: string): Promise<boolean> {
    return succeeds(
      this.table.transact([
        {
          // Only while no new wait took the task over: that one has the decision already.
          conditionCheck: keys.reviewWait(task.taskId),
          condition: 'taskToken = :used',
          values: { ':used': usedToken },
        },
        {
          update: keys.reviewTask(task.taskId),
          expression:
            'SET #status = :pending, gsi1pk = :qpk, gsi1sk = :qsk REMOVE decision, reasons, checks, decidedBy, decidedAt',
          condition: '#status = :decided',
          names: { '#status': 'status' },
          values: {
            ':pending': 'PENDING',
            ':decided': 'DECIDED',
            ':qpk': REVIEW_QUEUE_PENDING,
            ':qsk': keys.reviewQueueEntry(task.createdAt, task.taskId).gsi1sk,
          },
        },
      ]),
    );
  }

  close(taskId: string, status: ReviewTaskClosedStatus): Promise<boolean> {
    return succeeds(
      this.table.update(keys.reviewTask(taskId), 'SET #status = :closed REMOVE gsi1pk, gsi1sk', {
        condition: '#status = :pending',
        names: { '#status': 'status' },
        values: { ':closed': status, ':pending': 'PENDING' },
      }),
    );
  }

  async listPending(limit: number, cursor: string | undefined): Promise<ReviewPage> {
    const page = await this.table.query<ReviewTaskRecord & Record<string, unknown>>({
      index: GSI1,
      keyCondition: 'gsi1pk = :queue',
      values: { ':queue': REVIEW_QUEUE_PENDING },
      limit,
      startKey: decodeCursor(cursor),
      forward: true,
    });
    return { items: page.items.map(stripKeys), nextCursor: encodeCursor(page.lastKey) };
  }
}

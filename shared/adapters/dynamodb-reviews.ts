import type { ReviewTaskClosedStatus, ReviewTaskRecord } from '../domain/review';
import { AppError } from '../errors';
import { GSI1, keys, REVIEW_QUEUE_PENDING } from '../keys';
import type { ReviewPage, ReviewTaskRepository } from '../ports/repositories';
import { stripKeys } from './dynamodb-applications';
import { ConditionFailedError, type DynamoTable, succeeds } from './dynamodb-table';

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

/** Review tasks; the pending queue is a sparse GSI so listing never scans. */
export class DynamoReviewTaskRepository implements ReviewTaskRepository {
  constructor(private readonly table: DynamoTable) {}

  async get(taskId: string): Promise<ReviewTaskRecord | undefined> {
    const item = await this.table.get<ReviewTaskRecord & Record<string, unknown>>(keys.reviewTask(taskId));
    return item ? stripKeys(item) : undefined;
  }

  create(task: ReviewTaskRecord): Promise<boolean> {
    return succeeds(
      this.table.put(
        { ...keys.reviewTask(task.taskId), ...keys.reviewQueueEntry(task.createdAt, task.taskId), ...task },
        'attribute_not_exists(pk)',
      ),
    );
  }

  async attachToken(taskId: string, taskToken: string): Promise<ReviewTaskRecord | undefined> {
    try {
      const item = await this.table.update<ReviewTaskRecord & Record<string, unknown>>(
        keys.reviewTask(taskId),
        'SET taskToken = :token',
        {
          condition: '#status IN (:pending, :decided)',
          names: { '#status': 'status' },
          values: { ':token': taskToken, ':pending': 'PENDING', ':decided': 'DECIDED' },
        },
      );
      return stripKeys(item);
    } catch (error) {
      if (error instanceof ConditionFailedError) return undefined;
      throw error;
    }
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
    decision: Pick<
      ReviewTaskRecord,
      'decision' | 'reasons' | 'checks' | 'decidedBy' | 'decidedAt' | 'feePlan'
    >,
  ): Promise<boolean> {
    return succeeds(
      this.table.update(
        keys.reviewTask(taskId),
        `SET #status = :decided, decision = :decision, reasons = :reasons, checks = :checks, decidedBy = :by, decidedAt = :at${decision.feePlan ? ', feePlan = :plan' : ''} REMOVE gsi1pk, gsi1sk`,
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
            ...(decision.feePlan ? { ':plan': decision.feePlan } : {}),
          },
        },
      ),
    );
  }

  undoDecision(task: ReviewTaskRecord, usedToken: string): Promise<boolean> {
    return succeeds(
      this.table.update(
        keys.reviewTask(task.taskId),
        'SET #status = :pending, gsi1pk = :qpk, gsi1sk = :qsk REMOVE decision, reasons, checks, decidedBy, decidedAt, feePlan',
        {
          // Only while no new wait took the task over: that one has the decision already.
          condition: '#status = :decided AND taskToken = :used',
          names: { '#status': 'status' },
          values: {
            ':pending': 'PENDING',
            ':decided': 'DECIDED',
            ':used': usedToken,
            ':qpk': REVIEW_QUEUE_PENDING,
            ':qsk': keys.reviewQueueEntry(task.createdAt, task.taskId).gsi1sk,
          },
        },
      ),
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

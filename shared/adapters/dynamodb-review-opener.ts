import type { ReviewTaskRecord } from '../domain/review';
import * as keys from '../keys';
import type { ReviewTaskOpener, ReviewTaskReader } from '../ports/repositories';
import { epochSeconds, stripKeys } from './dynamodb-applications';
import { queueCounts, queueEntries, transactRetrying } from './dynamodb-review-bookkeeping';
import { type DynamoTable, succeeds } from './dynamodb-table';

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

/** Task `taskId` as stored, without its keys (`undefined` when there is none). */
export async function readReviewTask(
  table: DynamoTable,
  taskId: string,
): Promise<ReviewTaskRecord | undefined> {
  const item = await table.get<ReviewTaskRecord & Record<string, unknown>>(keys.reviewTask(taskId));
  return item ? stripKeys(item) : undefined;
}

/**
 * A review task read by its id, nothing written: the steps acting on a recorded decision and the
 * staff views of one task build this. Every review adapter extends it.
 */
export class DynamoReviewTaskReader implements ReviewTaskReader {
  constructor(protected readonly table: DynamoTable) {}

  get(taskId: string): Promise<ReviewTaskRecord | undefined> {
    return readReviewTask(this.table, taskId);
  }
}

/**
 * A workflow's wait on a review task: the task put into the queue with its token, or a new token
 * on it. Apart from the repository (`DynamoReviewTaskRepository` in dynamodb-reviews.ts extends
 * it) so that the steps that only open a wait do not carry the decisions, claims, escalations and
 * queue pages.
 */
export class DynamoReviewTaskOpener extends DynamoReviewTaskReader implements ReviewTaskOpener {
  create(task: ReviewTaskRecord, taskToken: string): Promise<boolean> {
    return succeeds(
      transactRetrying(this.table, [
        { put: waitItem(task.taskId, taskToken) },
        {
          put: { ...keys.reviewTask(task.taskId), ...queueEntries(task), ...task },
          condition: 'attribute_not_exists(pk)',
        },
        queueCounts(task.kind, 1, task.escalated),
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
}

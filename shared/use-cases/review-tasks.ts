import type { Deadlines } from '../config/env';
import type { ReviewTaskRecord } from '../domain/review';
import type { Clock, WorkflowEngine } from '../ports';
import type { ReviewTaskRepository } from '../ports/repositories';

/** What opening a review task needs. */
export interface ReviewTaskDeps {
  readonly reviews: ReviewTaskRepository;
  readonly workflow: WorkflowEngine;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
}

/** The parts of a review task its kind decides; the rest (times, status) is filled in here. */
export type ReviewTaskDraft = Pick<
  ReviewTaskRecord,
  'taskId' | 'kind' | 'subjectId' | 'automatedChecks' | 'requiredChecks' | 'summary' | 'taskToken'
>;

/**
 * The `.waitForTaskToken` side of every review (applications, change requests, transfers):
 * creates the task in the pending queue with the token in one conditional write, or — when the
 * workflow waits again on the same task (escalation, a retried step, a local restart) — gives the
 * existing task the new token. A task decided while nobody was waiting hands its decision to this
 * wait at once. Returns what happened.
 */
export async function openReviewTask(
  deps: ReviewTaskDeps,
  draft: ReviewTaskDraft,
): Promise<'CREATED' | 'REFRESHED' | 'RESUMED' | 'CLOSED'> {
  // The first wait on a task is by far the most frequent: the put (conditional on the task being
  // new) is then the only write. A wait again on an existing task costs one refused put more.
  const now = deps.clock.now();
  const created = await deps.reviews.create({
    ...draft,
    status: 'PENDING',
    createdAt: now.toISOString(),
    deadline: new Date(now.getTime() + deps.deadlines.reviewEscalationSeconds * 1000).toISOString(),
    finalDeadline: new Date(now.getTime() + deps.deadlines.reviewFinalSeconds * 1000).toISOString(),
    escalated: false,
  });
  if (created) return 'CREATED';
  // One atomic write: a decision landing at the same moment is either seen here or finds the
  // new token when its own hand-off fails (see decideReview) — it can never be lost between the two.
  const attached = await deps.reviews.attachToken(draft.taskId, draft.taskToken);
  if (attached?.status === 'DECIDED' && attached.decision) {
    await deps.workflow.resume(draft.taskToken, { taskId: draft.taskId, decision: attached.decision });
    return 'RESUMED';
  }
  // Not PENDING nor DECIDED (closed: expired, cancelled): nobody will decide it any more.
  return attached ? 'REFRESHED' : 'CLOSED';
}

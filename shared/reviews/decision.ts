import type { Decision, ReviewKind, ReviewTaskRecord } from '../domain/review';
import { logger } from '../logger';

/*
 * What a workflow step may act on: the decision recorded on the review task by the decision route,
 * never the output of a callback. A task token completes a wait whoever presents it (any role with
 * states:SendTaskSuccess, anyone who read it from an execution's history), so the output that
 * resumed the workflow only picks the branch of the state machine; the step on that branch checks
 * the stored task and refuses to act when it does not say the same.
 */

/**
 * Thrown by a step whose branch was taken without the matching recorded decision. Its name is the
 * error Step Functions sees: the state machines catch it and wait on the review again, so a forged
 * or early callback changes nothing and the reviewer's real decision still goes through.
 */
export class DecisionNotRecordedError extends Error {
  override readonly name = 'DecisionNotRecorded';
}

/** A task whose recorded decision a step may act on. */
export type RecordedDecision = ReviewTaskRecord & {
  readonly status: 'DECIDED';
  readonly decision: Decision;
  readonly decidedBy: string;
  readonly decidedAt: string;
};

/** Why a task does not carry the decision a step expects (`undefined` when it does). */
export function decisionProblem(
  task: ReviewTaskRecord | undefined,
  expected: {
    readonly kind: ReviewKind;
    readonly subjectId: string;
    readonly decisions: readonly Decision[];
  },
): string | undefined {
  if (!task) return 'NO_TASK';
  if (task.kind !== expected.kind || task.subjectId !== expected.subjectId) return 'OTHER_SUBJECT';
  if (task.status !== 'DECIDED' || !task.decision) return 'NOT_DECIDED';
  if (!expected.decisions.includes(task.decision)) return 'OTHER_DECISION';
  // Written by the decision route from a reviewer's verified identity, with the time.
  if (typeof task.decidedBy !== 'string' || task.decidedBy === '' || !task.decidedAt) return 'NO_REVIEWER';
  if (task.decision === 'APPROVE') {
    const missing = task.requiredChecks.filter((check) => task.checks?.[check]?.done !== true);
    if (missing.length > 0) return 'CHECKS_NOT_DONE';
  }
  return undefined;
}

/**
 * The recorded decision of review task `taskId` of `expected.subjectId`, if it is one of
 * `expected.decisions`, was taken by a reviewer and (for APPROVE) with every required check done;
 * otherwise {@link DecisionNotRecordedError}, logged with the reason (ids only).
 */
export function requireRecordedDecision(
  task: ReviewTaskRecord | undefined,
  taskId: string,
  expected: {
    readonly kind: ReviewKind;
    readonly subjectId: string;
    readonly decisions: readonly Decision[];
  },
): RecordedDecision {
  const problem = decisionProblem(task, expected);
  if (problem !== undefined || !task) {
    logger.error('workflow resumed without a recorded decision; waiting on the review again', {
      taskId,
      expected: expected.decisions.join('|'),
      problem,
    });
    throw new DecisionNotRecordedError(`Review task ${taskId}: ${problem ?? 'NO_TASK'}`);
  }
  return task as RecordedDecision;
}

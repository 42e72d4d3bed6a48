import type { Deadlines } from '../config/env';
import type { Reason } from '../domain/application';
import type { ReviewTaskRecord } from '../domain/review';
import {
  type DeliveryDeps,
  sendOnce,
  throwIfAnyFailed,
  type UndeliveredNote,
  undeliveredNotes,
  WORKFLOW_SEND_ATTEMPTS,
} from '../notifications/send-once';
import { renderSupervisorEmail } from '../notifications/supervisor-templates';
import type { Locale } from '../notifications/template-engine';
import type { Clock, Mailer, WorkflowControl } from '../ports';
import type { ReviewEscalations, ReviewTaskOpener } from '../ports/repositories';
import { noteUndelivered, type Subject, type SubjectStore } from '../workflow-kit/subject';

/*
 * The workflow side of every review, whatever the process: the `.waitForTaskToken` wait on a review
 * task, and its escalation when the review deadline passes.
 */

/** What opening a review task needs. */
export interface ReviewTaskDeps {
  readonly reviews: ReviewTaskOpener;
  readonly workflow: WorkflowControl;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
}

/**
 * The parts of a review task its kind decides, and the token of the wait; the rest (times,
 * status) is filled in here.
 */
export type ReviewTaskDraft = Pick<
  ReviewTaskRecord,
  'taskId' | 'kind' | 'subjectId' | 'automatedChecks' | 'requiredChecks' | 'summary'
> & {
  /** The `.waitForTaskToken` token of the state now waiting (stored apart from the task). */
  readonly taskToken: string;
};

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
  const { taskToken, ...task } = draft;
  const created = await deps.reviews.create(
    {
      ...task,
      status: 'PENDING',
      createdAt: now.toISOString(),
      deadline: new Date(now.getTime() + deps.deadlines.reviewEscalationSeconds * 1000).toISOString(),
      finalDeadline: new Date(now.getTime() + deps.deadlines.reviewFinalSeconds * 1000).toISOString(),
      escalated: false,
    },
    taskToken,
  );
  if (created) return 'CREATED';
  // One atomic write: a decision landing at the same moment is either seen here or finds the
  // new token when its own hand-off fails (see decideReview) — it can never be lost between the two.
  const attached = await deps.reviews.attachToken(draft.taskId, taskToken);
  if (attached?.status === 'DECIDED' && attached.decision) {
    await deps.workflow.resume(taskToken, { taskId: draft.taskId, decision: attached.decision });
    return 'RESUMED';
  }
  // Not PENDING nor DECIDED (closed: expired, cancelled): nobody will decide it any more.
  return attached ? 'REFRESHED' : 'CLOSED';
}

/** What escalating a review needs: the task, the exactly-once sender and the supervisors' address. */
export type EscalationDeps = DeliveryDeps & {
  readonly reviews: ReviewEscalations;
  readonly mailer: Mailer;
  readonly config: { readonly supervisorEmail: string; readonly supervisorLocale: Locale };
};

/**
 * Each process's EscalateReview step: the review deadline of task `taskId` passed; the task is
 * flagged and supervisors are told once, in `SUPERVISOR_LOCALE`. A notice that cannot be delivered
 * is handed to `noteUndelivered` (the process notes it in its subject's timeline) and does not fail
 * the review; a failed send with attempts left fails the step, so it is retried.
 */
export async function escalateReview(
  deps: EscalationDeps,
  taskId: string,
  noteUndelivered: (notes: readonly UndeliveredNote[]) => Promise<void>,
) {
  await deps.reviews.markEscalated(taskId, deps.clock.now());
  const task = await deps.reviews.get(taskId);
  // Decided (or closed) meanwhile: nobody needs to hurry any more.
  if (task?.status !== 'PENDING') return { taskId, escalated: false };
  const { supervisorEmail, supervisorLocale } = deps.config;
  const outcome = await sendOnce(
    deps,
    {
      subjectId: taskId,
      template: 'REVIEW_ESCALATED',
      channel: 'EMAIL',
      address: supervisorEmail,
      maxAttempts: WORKFLOW_SEND_ATTEMPTS,
      // The deployment's own address: an escalation is never held back by a quota.
      quota: 'NONE',
    },
    () =>
      deps.mailer.send({
        to: [supervisorEmail],
        ...renderSupervisorEmail('REVIEW_ESCALATED', supervisorLocale, {
          taskId,
          kind: task.kind,
          subjectId: task.subjectId,
          summary: task.summary,
          createdAt: task.createdAt,
          finalDeadline: task.finalDeadline,
        }),
      }),
  );
  await noteUndelivered(undeliveredNotes([outcome]));
  throwIfAnyFailed([outcome]);
  return { taskId, escalated: true, notice: outcome.result };
}

/**
 * Escalation of the review of a process's subject: an undeliverable notice is noted in the
 * subject's timeline. The task id is the subject's id unless the process derives its own.
 */
export function escalateSubjectReview<R extends Subject>(
  deps: EscalationDeps,
  subjects: SubjectStore<R>,
  subjectId: string,
  taskId = subjectId,
) {
  return escalateReview(deps, taskId, (notes) => noteUndelivered(subjects, deps.clock, subjectId, notes));
}

/** A decided task's reasons as its subject keeps them, under the code of the decision. */
export function reviewerReasons(task: ReviewTaskRecord | undefined, code = 'REJECTED_BY_REVIEWER'): Reason[] {
  return (task?.reasons ?? []).map((r) => ({ field: r.field, code, reason: r.reason }));
}

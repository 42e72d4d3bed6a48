import * as z from 'zod/mini';
import type { StaffPrincipal } from '../auth/principals';
import { changeRequestReviewSubject } from '../change-requests/requests';
import {
  type DailyCheckDecisionDeps,
  decideDailyCheckTask,
  isDailyCheckTask,
} from '../daily-checks/decisions';
import { cardLimitsSchema } from '../daily-checks/settings';
import { maskApplicationBody } from '../domain/application';
import { heldByOther, liveClaim, REVIEW_KINDS, type ReviewTaskRecord } from '../domain/review';
import { AppError, type FieldProblem, invalidState, notFound, validationFailed } from '../errors';
import type { FeePlanRef } from '../fee-plans/plan';
import { resolveFeePlan } from '../fee-plans/requests';
import { FEE_PLAN_CODE } from '../fee-plans/schema';
import { logger } from '../logger';
import { type Clock, systemClock, type WorkflowControl } from '../ports';
import type { FeePlanRepository } from '../ports/agreements';
import type {
  ApplicationPlainReads,
  ApplicationRepository,
  ReviewDecisionStore,
  ReviewTaskRepository,
} from '../ports/repositories';
import type { TransferRepository } from '../ports/terminals';
import { transferView } from '../transfers/requests';
import { lazy } from '../validation/lazy';
import { pageCursor, pageLimit } from '../validation/paging';
import { zodProblems } from '../validation/problems';

/** Dependencies of the review use cases. */
export interface ReviewDeps {
  readonly reviews: ReviewDecisionStore;
  /** The MCC of an application approved with a fee plan (no encrypted field is opened). */
  readonly applications: Pick<ApplicationPlainReads, 'mccOf'>;
  readonly workflow: WorkflowControl;
  readonly clock: Clock;
  /** The fee plans a reviewer may pick at approval (`feePlanCode`). */
  readonly feePlans: FeePlanRepository;
  /** RISK_ALERT and LIMIT_INCREASE tasks, decided without a workflow (shared/daily-checks/decisions.ts). */
  readonly dailyChecks?: DailyCheckDecisionDeps;
}

/** 409 `REVIEW_CLAIMED`: another reviewer holds the task; says who and until when (staff ids, no personal data). */
export function reviewClaimed(task: ReviewTaskRecord): AppError {
  return new AppError(
    'REVIEW_CLAIMED',
    `Another reviewer holds this task until ${task.claimedUntil}: wait for the claim to end or ask them`,
    { details: { claimedBy: task.claimedBy, claimedUntil: task.claimedUntil } },
  );
}

/**
 * A task as listed in the queue (no token, no personal data), with its claim while the lease is
 * live at `now` (`claim: null` otherwise).
 */
export function reviewItem(task: ReviewTaskRecord, now: Date = systemClock.now()) {
  return {
    taskId: task.taskId,
    kind: task.kind,
    subjectId: task.subjectId,
    status: task.status,
    createdAt: task.createdAt,
    deadline: task.deadline,
    finalDeadline: task.finalDeadline,
    escalated: task.escalated,
    automatedChecks: task.automatedChecks,
    requiredChecks: task.requiredChecks,
    summary: task.summary,
    // RISK_ALERT and LIMIT_INCREASE: the merchant, the rule and its evidence, or the request.
    ...(task.merchantNo ? { merchantNo: task.merchantNo } : {}),
    ...(task.rule
      ? {
          rule: task.rule,
          day: task.day,
          ...(task.cardType ? { cardType: task.cardType } : {}),
          serialNumber: task.serialNumber ?? null,
        }
      : {}),
    ...(task.evidence ? { evidence: task.evidence } : {}),
    ...(task.request ? { request: task.request } : {}),
    claim: liveClaim(task, now) ?? null,
    ...(task.decision
      ? {
          decision: task.decision,
          reasons: task.reasons,
          decidedBy: task.decidedBy,
          decidedAt: task.decidedAt,
        }
      : {}),
  };
}

// Schemas are built on first use (lazy), not at import: this module is in several functions'
// bundles that never parse these bodies, and module scope runs in every cold start.
export const listQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    status: z.optional(z.literal('PENDING')),
    /** Only the pending tasks of this kind (through its own queue, not a filter of pages). */
    kind: z.optional(z.enum(REVIEW_KINDS).check(z.describe('Only the pending tasks of this kind'))),
    /** Only the escalated pending tasks (through the escalated queue's own index). */
    escalated: z.optional(
      z
        .literal('true')
        .check(
          z.describe(
            'Only the escalated pending tasks (`true` is the only value). With `kind`, a page may ' +
              'hold fewer than `limit` tasks, even none, while `nextCursor` goes on',
          ),
        ),
    ),
    limit: pageLimit(),
    cursor: pageCursor(),
  }),
);

/**
 * `GET /v1/reviews`: pending tasks, oldest first, paginated through the queue index; with `kind`,
 * through that kind's queue (a cursor is valid only with the `kind` it was given with); with
 * `escalated=true`, through the escalated queue, keeping the tasks of `kind` when one is given
 * (so such a page can be shorter than `limit`: the next one goes on from `nextCursor`).
 */
export async function listReviews(
  deps: { readonly reviews: Pick<ReviewTaskRepository, 'listPending'>; readonly clock?: Clock },
  query: Record<string, string>,
) {
  const parsed = z.safeParse(listQuerySchema(), query);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, 'query', { input: query }));
  const { kind, escalated } = parsed.data;
  const page = await deps.reviews.listPending(Number(parsed.data.limit ?? 20), parsed.data.cursor, {
    ...(kind ? { kind } : {}),
    ...(escalated ? { escalated: true } : {}),
  });
  const now = (deps.clock ?? systemClock).now();
  return { items: page.items.map((task) => reviewItem(task, now)), nextCursor: page.nextCursor ?? null };
}

/** `GET /v1/reviews/{taskId}`: the item with its masked subject. */
export async function getReview(
  deps: {
    reviews: Pick<ReviewTaskRepository, 'get'>;
    applications: Pick<ApplicationRepository, 'get'>;
  } & Parameters<typeof changeRequestReviewSubject>[0] & { transfers: TransferRepository; clock?: Clock },
  taskId: string,
) {
  const task = await deps.reviews.get(taskId);
  if (!task) throw notFound('Review task');
  // The audit of reveals (who, when, which field) is shown to every reviewer of the case.
  const item = { ...reviewItem(task, (deps.clock ?? systemClock).now()), reveals: task.reveals ?? [] };
  // A daily check's item itself is the whole case: ids, figures and the request, no personal data.
  if (isDailyCheckTask(task)) return { ...item, subject: null };
  if (task.kind === 'TERMINAL_TRANSFER') {
    const transfer = await deps.transfers.get(task.subjectId);
    return { ...item, subject: transfer ? transferView(transfer) : null };
  }
  if (task.kind === 'CHANGE_REQUEST') {
    return { ...item, subject: await changeRequestReviewSubject(deps, task.subjectId) };
  }
  const application = await deps.applications.get(task.subjectId);
  return {
    ...item,
    subject: application
      ? {
          applicationId: application.applicationId,
          status: application.status,
          ...maskApplicationBody(application.body),
          documents: Object.values(application.documents).map((d) => ({
            documentId: d?.documentId,
            contentType: d?.contentType,
          })),
          timeline: application.timeline,
        }
      : null,
  };
}

export const decisionSchema = /* @__PURE__ */ lazy(() => {
  const checkSchema = z.strictObject({
    done: z.boolean(),
    notes: z.optional(z.string().check(z.maxLength(2000))),
  });
  return z.strictObject({
    decision: z.enum([
      'APPROVE',
      'REJECT',
      'REQUEST_CHANGES',
      'DISMISS',
      'SUSPEND_TERMINAL',
      'SUSPEND_MERCHANT',
      'LOWER_LIMITS',
    ]),
    /** LOWER_LIMITS only: the new limits of some card types. */
    limits: z.optional(
      z.strictObject({
        DEBIT: z.optional(cardLimitsSchema()),
        CREDIT: z.optional(cardLimitsSchema()),
        QR: z.optional(cardLimitsSchema()),
      }),
    ),
    reasons: z.optional(
      z
        .array(
          z.strictObject({
            field: z.string().check(z.minLength(1), z.maxLength(100)),
            reason: z.string().check(z.minLength(1), z.maxLength(500)),
          }),
        )
        .check(z.maxLength(50)),
    ),
    checks: z.optional(
      z.strictObject({ phoneCallback: z.optional(checkSchema), siteInspection: z.optional(checkSchema) }),
    ),
    // APPROVE of an application only; without it the merchant gets the default plan of its MCC's risk level.
    feePlanCode: z.optional(z.string().check(z.regex(FEE_PLAN_CODE))),
  });
});

/**
 * Resumes the workflow waiting on a decided task. If the token read is no longer waited on, the
 * task's current token (a new wait: escalation, retry, restart) is tried; if no workflow waits at
 * all, the decision stays recorded and the next wait on this task picks it up. Only a fault of
 * Step Functions itself undoes the decision, so the reviewer can retry. The output is a hint for
 * the state machine's choice only: every step that acts on it reads the decision recorded here.
 */
async function handOverDecision(
  deps: Pick<ReviewDeps, 'reviews' | 'workflow'>,
  task: ReviewTaskRecord,
  output: { taskId: string; decision: string },
): Promise<void> {
  let token = await deps.reviews.waitingToken(task.taskId);
  for (let attempt = 0; attempt < 3 && token !== undefined; attempt++) {
    try {
      if (await deps.workflow.resume(token, output)) return;
    } catch (error) {
      logger.error('could not resume the workflow; undoing the decision', {
        taskId: task.taskId,
        errorName: (error as Error).name,
      });
      if (await deps.reviews.undoDecision(task, token)) {
        throw new AppError('SERVICE_UNAVAILABLE', 'The decision could not be recorded now; try again', {
          cause: error,
        });
      }
      return;
    }
    const current = await deps.reviews.waitingToken(task.taskId);
    if (current === token) return;
    token = current;
  }
}

/**
 * The current version of the plan a reviewer picked, checked against the application's MCC risk
 * level (400 on `feePlanCode` otherwise); the version is fixed now, so the merchant gets what the
 * reviewer approved even if the plan is republished before provisioning.
 */
async function chosenFeePlan(
  deps: Pick<ReviewDeps, 'applications' | 'feePlans' | 'clock'>,
  task: ReviewTaskRecord,
  code: string,
): Promise<FeePlanRef> {
  const mcc = await deps.applications.mccOf(task.subjectId);
  if (!mcc) throw notFound('Application');
  const plan = await resolveFeePlan(deps, { mcc, code });
  return { code: plan.code, version: plan.version };
}

/**
 * Runs `write`, a decision conditional on the task as read (pending, its escalation, nobody else's
 * live claim), while nobody else holds the task: `write` answers `undefined` when that condition
 * failed, and the task is read again — an escalation landing in between only means one more round,
 * anything else is answered (409 `REVIEW_CLAIMED` or `INVALID_STATE`).
 */
async function decideAsRead<T>(
  reviewer: StaffPrincipal,
  task: ReviewTaskRecord,
  now: Date,
  reviews: Pick<ReviewTaskRepository, 'get'>,
  write: (seen: ReviewTaskRecord) => Promise<T | undefined>,
): Promise<T> {
  let seen = task;
  for (let attempt = 0; ; attempt++) {
    if (heldByOther(seen, reviewer.sub, now)) throw reviewClaimed(seen);
    const done = await write(seen);
    if (done !== undefined) return done;
    const current = await reviews.get(task.taskId);
    if (!current) throw notFound('Review task');
    if (current.status !== 'PENDING') throw invalidState('The task was decided already');
    if (heldByOther(current, reviewer.sub, now)) throw reviewClaimed(current);
    if (attempt >= 2) throw invalidState('The task changed while it was decided; try again');
    seen = current;
  }
}

/**
 * `POST /v1/reviews/{taskId}/decision`: the rules of spec 4.2, then PENDING → DECIDED with a
 * conditional write (a second decision → 409) and the waiting workflow resumed. If the workflow
 * cannot be resumed, the decision is undone so the reviewer can simply try again.
 */
export async function decideReview(
  deps: ReviewDeps,
  reviewer: StaffPrincipal,
  taskId: string,
  input: unknown,
) {
  const parsed = z.safeParse(decisionSchema(), input);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input }));
  const { decision, reasons = [], checks = {}, feePlanCode } = parsed.data;
  const task = await deps.reviews.get(taskId);
  if (!task) throw notFound('Review task');
  if (task.status !== 'PENDING') throw invalidState(`The task is already ${task.status}`);
  if (isDailyCheckTask(task)) {
    const dailyChecks = deps.dailyChecks;
    if (!dailyChecks) throw new Error('decide-review is built without the daily-check decisions');
    // What only an onboarding decision takes is refused, not ignored: the reviewer meant something.
    const foreign: FieldProblem[] = [
      ...(feePlanCode !== undefined
        ? [
            {
              field: 'feePlanCode',
              code: 'NOT_ALLOWED',
              message: 'A fee plan is chosen only when approving an application',
            },
          ]
        : []),
      ...(Object.keys(checks).length > 0
        ? [{ field: 'checks', code: 'NOT_ALLOWED', message: `A ${task.kind} task has no checks to record` }]
        : []),
    ];
    if (foreign.length > 0) throw validationFailed(foreign);
    const input = { decision, reasons, ...(parsed.data.limits ? { limits: parsed.data.limits } : {}) };
    return decideAsRead(reviewer, task, deps.clock.now(), deps.reviews, (seen) =>
      decideDailyCheckTask(dailyChecks, reviewer.sub, seen, input),
    );
  }
  if (parsed.data.limits !== undefined || !['APPROVE', 'REJECT', 'REQUEST_CHANGES'].includes(decision)) {
    throw validationFailed([
      {
        field:
          parsed.data.limits !== undefined && ['APPROVE', 'REJECT', 'REQUEST_CHANGES'].includes(decision)
            ? 'limits'
            : 'decision',
        code: 'NOT_ALLOWED',
        message: `A ${task.kind} task is decided with APPROVE, REJECT or REQUEST_CHANGES, without limits`,
      },
    ]);
  }

  const problems: FieldProblem[] = [];
  if (decision !== 'APPROVE' && reasons.length === 0) {
    problems.push({
      field: 'reasons',
      code: 'REQUIRED',
      message: 'REJECT and REQUEST_CHANGES need at least one reason',
    });
  }
  if (decision === 'REQUEST_CHANGES' && task.kind !== 'APPLICATION') {
    problems.push({
      field: 'decision',
      code: 'NOT_ALLOWED',
      message: 'REQUEST_CHANGES is only for applications',
    });
  }
  if (decision === 'APPROVE') {
    for (const check of task.requiredChecks) {
      if (checks[check]?.done !== true) {
        problems.push({
          field: `checks.${check}`,
          code: 'REQUIRED',
          message: 'This check must be done before approval',
        });
      }
    }
  }
  if (feePlanCode !== undefined && (decision !== 'APPROVE' || task.kind !== 'APPLICATION')) {
    problems.push({
      field: 'feePlanCode',
      code: 'NOT_ALLOWED',
      message: 'A fee plan is chosen only when approving an application',
    });
  }
  if (problems.length > 0) throw validationFailed(problems);
  const feePlan = feePlanCode === undefined ? undefined : await chosenFeePlan(deps, task, feePlanCode);

  const now = deps.clock.now();
  const record = {
    decision,
    reasons,
    checks,
    decidedBy: reviewer.sub,
    decidedAt: now.toISOString(),
    ...(feePlan ? { feePlan } : {}),
  };
  const decided = await decideAsRead(reviewer, task, now, deps.reviews, async (seen) =>
    (await deps.reviews.decide(taskId, record, seen)) ? seen : undefined,
  );
  await handOverDecision(deps, { ...decided, ...record, status: 'DECIDED' }, { taskId, decision });
  logger.info('review decided', { taskId, decision });
  return {
    taskId,
    status: 'DECIDED',
    decision,
    decidedAt: record.decidedAt,
    ...(feePlan ? { feePlan } : {}),
  };
}

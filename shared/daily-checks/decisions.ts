import type { ReviewTaskRecord } from '../domain/review';
import { RISK_ALERT_DECISIONS } from '../domain/review';
import { AppError, type FieldProblem, notFound, validationFailed } from '../errors';
import { logger } from '../logger';
import type { DailyCheckDecisions, DecisionEffect } from '../ports/daily-checks';
import { effectiveLimits, raisedLimits } from './limits';
import { type MerchantNoticeDeps, tellMerchant } from './notify';
import { CARD_TYPES, type CardType, type DailyChecksSettings, type Limits } from './settings';

/*
 * Decisions of RISK_ALERT and LIMIT_INCREASE tasks. No workflow waits on them: nothing happens
 * between the alert (or request) and the decision but the reviewer's work, so a state machine
 * would hold one wait and add nothing. The decision and its effect are ONE transaction (task
 * PENDING → DECIDED, merchant SUSPENDED, terminal suspended, limits replaced at the version read),
 * so a decision is never recorded without its effect nor the other way round; a second decision,
 * or one while another reviewer holds a live claim on the task, is refused by the task's condition,
 * and the supervisor view's counters move in the same transaction (as for every kind of task). The
 * merchant is told after the commit, through the exactly-once sender (per task and template).
 */

/** What deciding these tasks needs. */
export type DailyCheckDecisionDeps = MerchantNoticeDeps & {
  readonly decisions: DailyCheckDecisions;
  readonly settings: DailyChecksSettings;
};

/** The decision body as the review route parsed it. */
export interface DailyCheckDecisionInput {
  readonly decision: string;
  readonly reasons: readonly { field: string; reason: string }[];
  readonly limits?: Partial<Limits>;
}

/** A decision's reasons as one line of the limits audit trail. */
function reasonText(reasons: DailyCheckDecisionInput['reasons']): string {
  return reasons.map((reason) => reason.reason).join('; ');
}

/** Whether a task of this kind is decided here rather than by a waiting workflow. */
export function isDailyCheckTask(task: ReviewTaskRecord): boolean {
  return task.kind === 'RISK_ALERT' || task.kind === 'LIMIT_INCREASE';
}

function checkInput(task: ReviewTaskRecord, input: DailyCheckDecisionInput, current: Limits): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const allowed = task.kind === 'RISK_ALERT' ? RISK_ALERT_DECISIONS : ['APPROVE', 'REJECT'];
  if (!allowed.includes(input.decision as never)) {
    problems.push({
      field: 'decision',
      code: 'NOT_ALLOWED',
      message: `A ${task.kind} task is decided with one of ${allowed.join(', ')}`,
    });
    return problems;
  }
  const needsReason = task.kind === 'RISK_ALERT' || input.decision === 'REJECT';
  if (needsReason && input.reasons.length === 0)
    problems.push({ field: 'reasons', code: 'REQUIRED', message: 'This decision needs at least one reason' });
  if (input.decision === 'SUSPEND_TERMINAL' && !task.serialNumber)
    problems.push({
      field: 'decision',
      code: 'NOT_ALLOWED',
      message: 'This alert names no terminal: suspend the merchant or lower its limits instead',
    });
  if (input.decision === 'LOWER_LIMITS') {
    const limits = input.limits ?? {};
    const cards = Object.keys(limits) as CardType[];
    if (cards.length === 0)
      problems.push({
        field: 'limits',
        code: 'REQUIRED',
        message: 'LOWER_LIMITS needs the new limits of at least one card type',
      });
    for (const card of cards) {
      const given = limits[card];
      if (!given) continue;
      for (const name of ['perTransactionFen', 'dailyFen', 'monthlyFen'] as const) {
        if (given[name] > current[card][name])
          problems.push({
            field: `limits.${card}.${name}`,
            code: 'NOT_LOWER',
            message: `LOWER_LIMITS cannot raise a limit: now ${current[card][name]} fen`,
          });
      }
    }
  } else if (input.limits !== undefined) {
    problems.push({ field: 'limits', code: 'NOT_ALLOWED', message: 'limits go only with LOWER_LIMITS' });
  }
  return problems;
}

/**
 * Decides a RISK_ALERT or LIMIT_INCREASE task (see the module comment), on the condition that the
 * task is still as read (pending, its escalation) and that no other reviewer holds a live claim on
 * it; `undefined` when that condition failed, so the caller reads the task again and answers.
 */
export async function decideDailyCheckTask(
  deps: DailyCheckDecisionDeps,
  reviewer: string,
  task: ReviewTaskRecord,
  input: DailyCheckDecisionInput,
) {
  const merchantNo = task.merchantNo;
  if (!merchantNo) throw notFound('Review task');
  const [merchant, stored] = await Promise.all([
    deps.decisions.merchantProfile(merchantNo),
    deps.decisions.storedLimits(merchantNo),
  ]);
  if (!merchant) throw notFound('Merchant');
  const current = effectiveLimits(deps.settings, merchant.type, stored);
  const problems = checkInput(task, input, current);
  if (problems.length > 0) throw validationFailed(problems);

  const version = stored?.version ?? 0;
  let effect: DecisionEffect = { kind: 'none' };
  let limits: Limits | undefined;
  if (input.decision === 'SUSPEND_MERCHANT') effect = { kind: 'suspend-merchant', merchantNo };
  else if (input.decision === 'SUSPEND_TERMINAL' && task.serialNumber)
    effect = { kind: 'suspend-terminal', merchantNo, serialNumber: task.serialNumber };
  else if (input.decision === 'LOWER_LIMITS') {
    limits = { ...current };
    for (const card of CARD_TYPES) {
      const given = input.limits?.[card];
      if (given) limits = { ...limits, [card]: given };
    }
    effect = {
      kind: 'set-limits',
      merchantNo,
      limits: ownOnly(stored?.limits, input.limits ?? {}),
      expectedVersion: version,
      source: 'LOWER_LIMITS',
      reason: reasonText(input.reasons),
    };
  } else if (task.kind === 'LIMIT_INCREASE' && input.decision === 'APPROVE' && task.request) {
    limits = raisedLimits(current, task.request);
    const card = task.request.cardType as CardType;
    effect = {
      kind: 'set-limits',
      merchantNo,
      limits: ownOnly(stored?.limits, { [card]: limits[card] }),
      expectedVersion: version,
      source: 'LIMIT_INCREASE',
      // An approval needs no reason of the reviewer's: the trail then says what the merchant asked for.
      reason: reasonText(input.reasons) || task.request.reason,
    };
  }
  const decidedAt = deps.clock.now().toISOString();
  const outcome = await deps.decisions.decide({
    task,
    decision: input.decision as NonNullable<ReviewTaskRecord['decision']>,
    reasons: input.reasons,
    decidedBy: reviewer,
    decidedAt,
    effect,
    ...(task.kind === 'LIMIT_INCREASE' && task.request
      ? { closesRequest: { merchantNo, cardType: task.request.cardType } }
      : {}),
  });
  // Decided, escalated or claimed by someone else since it was read: the caller reads it again.
  if (outcome === 'TASK_CHANGED') return undefined;
  if (outcome === 'SUBJECT_CHANGED')
    throw new AppError(
      'CONFLICT',
      'The merchant, terminal or limits changed meanwhile: open the task again and decide',
    );
  logger.info('review decided', { taskId: task.taskId, decision: input.decision });

  const template =
    input.decision === 'SUSPEND_MERCHANT'
      ? 'MERCHANT_SUSPENDED'
      : input.decision === 'LOWER_LIMITS'
        ? 'LIMITS_LOWERED'
        : task.kind === 'LIMIT_INCREASE'
          ? input.decision === 'APPROVE'
            ? 'LIMITS_RAISED'
            : 'LIMIT_REQUEST_REJECTED'
          : undefined;
  const notices = template
    ? await tellMerchant(deps, merchant, task.taskId, template, {
        merchantNo,
        cardType: task.request?.cardType ?? task.cardType,
        dailyFen: task.request?.dailyFen,
        monthlyFen: task.request?.monthlyFen,
        reasons: input.reasons,
      })
    : [];
  return {
    taskId: task.taskId,
    status: 'DECIDED' as const,
    decision: input.decision,
    decidedAt,
    ...(limits ? { limits } : {}),
    notices: notices.map((notice) => ({ channel: notice.channel, result: notice.result })),
  };
}

/** The merchant's own limits after a change: what it had of its own, with `changed` over it. */
function ownOnly(own: Partial<Limits> | undefined, changed: Partial<Limits>): Partial<Limits> {
  return { ...own, ...changed };
}

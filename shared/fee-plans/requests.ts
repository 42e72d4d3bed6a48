import * as z from 'zod/mini';
import type { StaffPrincipal } from '../auth/principals';
import { AppError, notFound, validationFailed } from '../errors';
import { logger } from '../logger';
import type { Clock } from '../ports';
import type { FeePlanRepository } from '../ports/agreements';
import { mccRiskLevel } from '../reference/mcc-risk';
import { zodProblems } from '../validation/problems';
import {
  defaultPlanCode,
  type FeePlan,
  PLAN_RISK_LEVELS,
  type PlanRiskLevel,
  planRiskLevelOf,
  SHIPPED_DEFAULT_PLANS,
} from './plan';
import { feePlanSchema } from './schema';

/** What the fee-plan use cases need. */
export interface FeePlanDeps {
  readonly feePlans: FeePlanRepository;
  readonly clock: Clock;
}

/** How often a publication retries after another version of the same code won the race. */
const PUBLISH_ATTEMPTS = 5;

/** A plan as the API shows it. */
export function feePlanView(plan: FeePlan) {
  return {
    code: plan.code,
    version: plan.version,
    name: plan.name,
    rates: plan.rates,
    t0SurchargeBps: plan.t0SurchargeBps,
    mccRiskLevels: plan.mccRiskLevels,
    createdAt: plan.createdAt,
    createdBy: plan.createdBy,
  };
}

/**
 * Publishes the next version of `plan.code` (1 for a new code): versions are never edited, so a
 * publication that loses a race to another reads the newer version and publishes after it.
 */
async function publishNext(
  deps: FeePlanDeps,
  plan: Omit<FeePlan, 'version' | 'createdAt'>,
): Promise<FeePlan> {
  for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
    const current = await deps.feePlans.current(plan.code);
    const next: FeePlan = {
      ...plan,
      version: (current?.version ?? 0) + 1,
      createdAt: deps.clock.now().toISOString(),
    };
    if (await deps.feePlans.publish(next)) return next;
  }
  throw new AppError('CONFLICT', 'Other versions of this plan were published at the same time; try again');
}

/** `POST /v1/fee-plans` (operator): a new version of a plan → `{code, version}`. */
export async function createFeePlan(deps: FeePlanDeps, operator: StaffPrincipal, input: unknown) {
  const parsed = z.safeParse(feePlanSchema(), input ?? {});
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: input ?? {} }));
  const { code, name, rates, t0SurchargeBps, mccRiskLevels } = parsed.data;
  const plan = await publishNext(deps, {
    code,
    name,
    rates,
    t0SurchargeBps,
    mccRiskLevels: [...new Set(mccRiskLevels)],
    createdBy: `staff:${operator.sub}`,
  });
  logger.info('fee plan published', { code, version: plan.version });
  return { code: plan.code, version: plan.version };
}

/**
 * The shipped default plan of a risk level, stored on first use: version 1 is written with a
 * condition (the first writer wins, every later reader finds it), so a fresh deployment and a fresh
 * `npm run dev` need no seeding step, and an operator's newer version of a default code wins.
 */
async function defaultPlan(deps: FeePlanDeps, level: PlanRiskLevel): Promise<FeePlan> {
  const code = defaultPlanCode(level);
  const stored = await deps.feePlans.current(code);
  if (stored) return stored;
  const shipped: FeePlan = { ...SHIPPED_DEFAULT_PLANS[level], createdAt: deps.clock.now().toISOString() };
  if (await deps.feePlans.publish(shipped)) {
    logger.info('default fee plan stored', { code });
    return shipped;
  }
  const raced = await deps.feePlans.current(code);
  if (!raced) throw new Error(`The default plan ${code} could not be stored`);
  return raced;
}

/**
 * `GET /v1/fee-plans` (staff): the current version of every plan, the defaults included. A read
 * only: a shipped default not stored yet is listed as the version 1 its first use will store
 * (`createdAt` is then when it was listed).
 */
export async function listFeePlans(deps: FeePlanDeps) {
  const plans = await deps.feePlans.listCurrent();
  const shipped = (['LOW', 'HIGH'] as const)
    .filter((level) => !plans.some((plan) => plan.code === defaultPlanCode(level)))
    .map(
      (level): FeePlan => ({ ...SHIPPED_DEFAULT_PLANS[level], createdAt: deps.clock.now().toISOString() }),
    );
  return { items: [...plans, ...shipped].sort((a, b) => a.code.localeCompare(b.code)).map(feePlanView) };
}

/** The plan risk level of an MCC; a PROHIBITED or unknown MCC never reaches a plan. */
export function riskLevelOfMcc(mcc: string): PlanRiskLevel {
  const risk = mccRiskLevel(mcc);
  const level = risk ? planRiskLevelOf(risk) : undefined;
  if (!level) throw new Error(`MCC ${mcc} has no fee plan risk level`);
  return level;
}

/**
 * The plan a merchant of `mcc` gets: the current version of `code` when given (it must allow the
 * MCC's risk level; `field` names the request field in the 400), else the default of the level.
 */
export async function resolveFeePlan(
  deps: FeePlanDeps,
  input: { mcc: string; code?: string; field?: string },
): Promise<FeePlan> {
  const level = riskLevelOfMcc(input.mcc);
  if (input.code === undefined) return defaultPlan(deps, level);
  const field = input.field ?? 'feePlanCode';
  // A default code is stored on its first use, whichever level it is for.
  const defaultLevel = PLAN_RISK_LEVELS.find((candidate) => defaultPlanCode(candidate) === input.code);
  const plan = defaultLevel ? await defaultPlan(deps, defaultLevel) : await deps.feePlans.current(input.code);
  if (!plan) {
    throw validationFailed([{ field, code: 'UNKNOWN_FEE_PLAN', message: 'No fee plan has this code' }]);
  }
  if (!plan.mccRiskLevels.includes(level)) {
    throw validationFailed([
      {
        field,
        code: 'NOT_ALLOWED',
        message: `This plan is for MCC risk levels ${plan.mccRiskLevels.join(', ')}, not ${level}`,
      },
    ]);
  }
  return plan;
}

/** The stored version a merchant holds (it must exist: versions are never deleted). */
export async function planVersion(deps: Pick<FeePlanDeps, 'feePlans'>, code: string, version: number) {
  const plan = await deps.feePlans.version({ code, version });
  if (!plan) throw notFound('Fee plan version');
  return plan;
}

import { ulid } from 'ulid';
import * as z from 'zod/mini';
import type { Deadlines } from '../config/env';
import type { ReviewTaskRecord } from '../domain/review';
import { AppError, notFound, validationFailed } from '../errors';
import type { Clock } from '../ports';
import type { LimitWriter, MerchantLimitsReader, StoredLimits, UsageReader } from '../ports/daily-checks';
import type { MerchantType } from '../validation/application-schema';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';
import {
  CARD_TYPES,
  type CardLimits,
  type CardType,
  cardLimitsSchema,
  type DailyChecksSettings,
  type Limits,
} from './settings';
import { dayOf, monthOf } from './transaction';

/*
 * Limits and usage (spec section 8): the merchant's own limits per card type over the defaults of
 * its type, the operator's audited change, and the merchant's limit-increase request (提额), which
 * becomes a LIMIT_INCREASE task in the one review queue.
 */

/** What the limit routes need, around the store their use case reads or writes. */
export interface LimitDeps<Store extends MerchantLimitsReader> {
  readonly store: Store;
  readonly clock: Clock;
  readonly settings: DailyChecksSettings;
  readonly deadlines: Pick<Deadlines, 'reviewEscalationSeconds' | 'reviewFinalSeconds'>;
}

/** The limits in force: the merchant's own where it has them, the defaults of its type elsewhere. */
export function effectiveLimits(
  settings: DailyChecksSettings,
  type: MerchantType,
  stored: StoredLimits | undefined,
): Limits {
  const defaults = settings.defaultLimits[type] ?? settings.defaultLimits.INDIVIDUAL;
  const own = stored?.limits ?? {};
  return {
    DEBIT: own.DEBIT ?? defaults.DEBIT,
    CREDIT: own.CREDIT ?? defaults.CREDIT,
    QR: own.QR ?? defaults.QR,
  };
}

async function merchantLimits(deps: LimitDeps<MerchantLimitsReader>, merchantNo: string) {
  const [profile, stored] = await Promise.all([
    deps.store.merchantProfile(merchantNo),
    deps.store.storedLimits(merchantNo),
  ]);
  if (!profile) throw notFound('Merchant');
  return { profile, stored, limits: effectiveLimits(deps.settings, profile.type, stored) };
}

/** `GET /v1/merchants/{merchantNo}/limits`: the limits in force and today's and this month's usage. */
export async function getLimits(deps: LimitDeps<UsageReader>, merchantNo: string) {
  const { stored, limits } = await merchantLimits(deps, merchantNo);
  const now = deps.clock.now();
  const day = dayOf(now);
  const [today, month] = await Promise.all([
    deps.store.day(merchantNo, day),
    deps.store.month(merchantNo, monthOf(now)),
  ]);
  const usage: Record<string, unknown> = { day };
  for (const card of CARD_TYPES) {
    usage[card] = {
      dayFen: today?.cards[card].fen ?? 0,
      monthFen: month?.cards[card].fen ?? 0,
      count: today?.cards[card].count ?? 0,
    };
  }
  return {
    merchantNo,
    limits,
    // Which card types have the merchant's own limits (the rest are the defaults of its type).
    own: CARD_TYPES.filter((card) => stored?.limits[card] !== undefined),
    version: stored?.version ?? 0,
    usage,
  };
}

/** The body of `PUT …/limits` (built on first use): the card types given replace theirs. */
export const putLimitsSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    limits: z
      .strictObject({
        DEBIT: z.optional(cardLimitsSchema()),
        CREDIT: z.optional(cardLimitsSchema()),
        QR: z.optional(cardLimitsSchema()),
      })
      .check(
        z.refine((limits) => Object.keys(limits).length > 0, {
          message: 'Give the limits of at least one card type',
        }),
      ),
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
    expectedVersion: z.optional(z.number().check(z.int(), z.minimum(0))),
  }),
);

function parse<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const parsed = z.safeParse(schema, input ?? {});
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: input ?? {} }));
  return parsed.data;
}

/** `PUT /v1/merchants/{merchantNo}/limits` (operator): new limits for some card types, with a reason (audited). */
export async function putLimits(
  deps: LimitDeps<LimitWriter & UsageReader>,
  operator: string,
  merchantNo: string,
  input: unknown,
) {
  const body = parse(putLimitsSchema(), input);
  const { stored } = await merchantLimits(deps, merchantNo);
  const version = stored?.version ?? 0;
  if (body.expectedVersion !== undefined && body.expectedVersion !== version)
    throw new AppError('CONFLICT', `The limits are at version ${version} now; read them again`);
  const written = await deps.store.putLimits({
    merchantNo,
    limits: { ...stored?.limits, ...body.limits },
    expectedVersion: version,
    at: deps.clock.now().toISOString(),
    actor: `staff:${operator}`,
    reason: body.reason,
    source: 'OPERATOR',
  });
  if (!written) throw new AppError('CONFLICT', 'The limits changed at the same time; read them again');
  return getLimits(deps, merchantNo);
}

/** The body of `POST …/limit-requests` (built on first use). */
export const limitRequestSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    cardType: z.enum(CARD_TYPES),
    dailyFen: z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000_000_000)),
    monthlyFen: z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000_000_000)),
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  }),
);

/**
 * `POST /v1/merchants/{merchantNo}/limit-requests` (the merchant): a higher daily and/or monthly
 * limit for one card type, as a LIMIT_INCREASE review task; one open request per card type.
 */
export async function requestLimitIncrease(deps: LimitDeps<LimitWriter>, merchantNo: string, input: unknown) {
  const body = parse(limitRequestSchema(), input);
  const { profile, limits } = await merchantLimits(deps, merchantNo);
  if (profile.status === 'SUSPENDED')
    throw new AppError('MERCHANT_SUSPENDED', 'The merchant is suspended: no limit can be raised');
  const current: CardLimits = limits[body.cardType];
  const problems = [];
  if (body.dailyFen > body.monthlyFen)
    problems.push({
      field: 'monthlyFen',
      code: 'TOO_SMALL',
      message: 'The monthly limit must be at least the daily limit',
    });
  if (body.dailyFen < current.perTransactionFen)
    problems.push({
      field: 'dailyFen',
      code: 'TOO_SMALL',
      message: `The daily limit must be at least the per-transaction limit (${current.perTransactionFen} fen)`,
    });
  if (body.dailyFen < current.dailyFen || body.monthlyFen < current.monthlyFen)
    problems.push({
      field: body.dailyFen < current.dailyFen ? 'dailyFen' : 'monthlyFen',
      code: 'NOT_AN_INCREASE',
      message: `A request can only raise limits: now ${current.dailyFen} fen a day, ${current.monthlyFen} fen a month`,
    });
  else if (body.dailyFen === current.dailyFen && body.monthlyFen === current.monthlyFen)
    problems.push({
      field: 'dailyFen',
      code: 'NOT_AN_INCREASE',
      message: 'These are the limits in force already',
    });
  if (problems.length > 0) throw validationFailed(problems);

  const now = deps.clock.now();
  const taskId = `LIR-${ulid()}`;
  const task: ReviewTaskRecord = {
    taskId,
    kind: 'LIMIT_INCREASE',
    subjectId: taskId,
    merchantNo,
    cardType: body.cardType,
    request: {
      cardType: body.cardType,
      dailyFen: body.dailyFen,
      monthlyFen: body.monthlyFen,
      reason: body.reason,
    },
    status: 'PENDING',
    createdAt: now.toISOString(),
    deadline: new Date(now.getTime() + deps.deadlines.reviewEscalationSeconds * 1000).toISOString(),
    finalDeadline: new Date(now.getTime() + deps.deadlines.reviewFinalSeconds * 1000).toISOString(),
    escalated: false,
    automatedChecks: [],
    requiredChecks: [],
    summary: `LIMIT_INCREASE ${merchantNo} ${body.cardType}: ${current.dailyFen}→${body.dailyFen} / ${current.monthlyFen}→${body.monthlyFen} fen`,
  };
  if (!(await deps.store.openLimitRequest(task)))
    throw new AppError('CONFLICT', `A limit request for ${body.cardType} is under review already`);
  return { limitRequestId: taskId, taskId, status: 'PENDING_REVIEW' as const, cardType: body.cardType };
}

/** The limits a LIMIT_INCREASE approval sets: the requested daily and monthly limits of its card type. */
export function raisedLimits(
  limits: Limits,
  request: { cardType: string; dailyFen: number; monthlyFen: number },
) {
  const card = request.cardType as CardType;
  return {
    ...limits,
    [card]: { ...limits[card], dailyFen: request.dailyFen, monthlyFen: request.monthlyFen },
  } as Limits;
}

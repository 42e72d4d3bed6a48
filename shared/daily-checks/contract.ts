import * as z from 'zod/mini';
import {
  CREATE_LIMIT_REQUEST,
  GET_DAILY_SUMMARIES,
  GET_LIMIT_AUDIT,
  GET_LIMITS,
  PUT_LIMITS,
} from '../manifest/daily-checks';
import { defineRoute } from '../openapi/contract';
import { component, isoTime, merchantNo } from '../openapi/schemas';
import { limitAuditQuerySchema } from './limit-audit';
import { limitRequestSchema, putLimitsSchema } from './limits';
import { CARD_TYPES, type CardType } from './settings';

/* The limit and daily-summary routes in the OpenAPI document (see shared/openapi/contract.ts). */

const merchantParam = () => z.object({ merchantNo: merchantNo() });

const DAY = component('Day', z.iso.date());

/** A day in Asia/Shanghai, `yyyy-mm-dd`. */
export const day = () => DAY;

/** The same schema under every card type (an object's shape). */
function perCardType<S extends z.ZodMiniType>(schema: () => S): Record<CardType, S> {
  return Object.fromEntries(CARD_TYPES.map((card) => [card, schema()])) as Record<CardType, S>;
}

/** The limits of one card type, in fen. */
const cardLimits = component(
  'CardLimits',
  z.object({ perTransactionFen: z.int(), dailyFen: z.int(), monthlyFen: z.int() }),
);

/** The limits in force of every card type (shared/daily-checks/settings.ts `Limits`). */
export const limitsView = component('Limits', z.object(perCardType(() => cardLimits)));

/** One card type's usage: today's and this month's amount in fen, today's approved sales. */
const cardUsage = component('CardUsage', z.object({ dayFen: z.int(), monthFen: z.int(), count: z.int() }));

/** The limits and usage as `GET …/limits` (and `PUT`) answer them (shared/daily-checks/limits.ts `getLimits`). */
const limitsAndUsage = component(
  'LimitsAndUsage',
  z.object({
    merchantNo: merchantNo(),
    limits: limitsView,
    /** The card types with limits of the merchant's own; the others have the defaults of its type. */
    own: z.array(z.enum(CARD_TYPES)),
    /** The version of the merchant's own limits (0: none yet). */
    version: z.int(),
    /** Today's and this month's usage per card type. */
    usage: z.object({
      day: day(),
      ...perCardType(() => cardUsage),
    }),
  }),
);

/** One change of the merchant's limits (shared/daily-checks/limit-audit.ts `listLimitAudit`). */
const limitChange = component(
  'LimitChange',
  z.object({
    /** The version of the limits this change made. */
    version: z.int(),
    at: isoTime(),
    /** `staff:<sub>`: the operator, or the reviewer who decided the task. */
    actor: z.string(),
    /** An operator's change, an approved limit increase, or limits lowered on a risk alert. */
    source: z.enum(['OPERATOR', 'LIMIT_INCREASE', 'LOWER_LIMITS']),
    reason: z.string(),
    /** The card types this change set. */
    cardTypes: z.array(z.enum(CARD_TYPES)),
    /** Their new limits. */
    limits: z.object({
      DEBIT: z.optional(cardLimits),
      CREDIT: z.optional(cardLimits),
      QR: z.optional(cardLimits),
    }),
    /** The review task decided (`LIMIT_INCREASE`, `LOWER_LIMITS`). */
    taskId: z.nullable(z.string()),
  }),
);

/** One card type's figures of a day: approved sales, their net amount, declined sales, alerts opened. */
const cardSummary = component(
  'CardDaySummary',
  z.object({ count: z.int(), amountFen: z.int(), declines: z.int(), alerts: z.int() }),
);

/**
 * The query of `GET …/daily-summaries`. The use case reads these two parameters by hand (its codes:
 * `INVALID_FORMAT`, `AFTER_TO`, `RANGE_TOO_LONG`, `UNKNOWN_FIELD`); this says the same for the document.
 */
const summariesQuery = () => z.strictObject({ from: z.optional(day()), to: z.optional(day()) });

export const DAILY_CHECK_CONTRACTS = [
  defineRoute({
    entry: GET_LIMITS,
    tag: 'Limits',
    summary: "The merchant's limits per card type and today's and this month's usage",
    description:
      'Amounts in fen; days and months in Asia/Shanghai. Usage counts approved sales minus approved ' +
      'voids and refunds (`count`: approved sales today).',
    params: merchantParam,
    responses: { 200: { description: 'The limits in force and the usage', body: limitsAndUsage } },
    errors: [],
  }),
  defineRoute({
    entry: PUT_LIMITS,
    tag: 'Limits',
    summary: "Set the merchant's own limits of some card types, with a reason (audited)",
    description:
      'The card types given replace theirs, the others stay. Whole fen from 1, per transaction ≤ ' +
      'daily ≤ monthly. `expectedVersion` (the `version` read) refuses a change made meanwhile ' +
      '(`409 CONFLICT`).',
    params: merchantParam,
    body: putLimitsSchema,
    responses: { 200: { description: 'The limits as `GET` shows them', body: limitsAndUsage } },
    errors: ['CONFLICT'],
  }),
  defineRoute({
    entry: GET_LIMIT_AUDIT,
    tag: 'Limits',
    summary: "The changes of the merchant's limits, newest first (who, when, why)",
    description:
      "Every change of the limits is audited in the same write: an operator's (`OPERATOR`, with its " +
      'reason), an approved limit increase (`LIMIT_INCREASE`) and limits lowered on a risk alert ' +
      "(`LOWER_LIMITS`), both with the reviewer's reasons (an increase approved without one: the " +
      "merchant's own reason) and the `taskId`. Each item names the " +
      'card types the change set and their new limits in fen.',
    params: merchantParam,
    query: limitAuditQuerySchema,
    responses: {
      200: {
        description: 'One page; `nextCursor` fetches the next',
        body: z.object({
          merchantNo: merchantNo(),
          items: z.array(limitChange),
          nextCursor: z.nullable(z.string()),
        }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: CREATE_LIMIT_REQUEST,
    tag: 'Limits',
    summary: 'Ask for higher daily and monthly limits of one card type (提额)',
    description:
      'Higher than the limits in force (`NOT_AN_INCREASE` otherwise), daily ≤ monthly, daily ≥ the ' +
      'per-transaction limit (`TOO_SMALL`). The request becomes a `LIMIT_INCREASE` task in the review ' +
      'queue; one open request per card type (`409 CONFLICT`). A suspended merchant raises nothing ' +
      '(`409 MERCHANT_SUSPENDED`).',
    params: merchantParam,
    body: limitRequestSchema,
    responses: {
      202: {
        description: 'Recorded: the request waits for review',
        body: z.object({
          limitRequestId: z.string(),
          taskId: z.string(),
          status: z.literal('PENDING_REVIEW'),
          cardType: z.enum(CARD_TYPES),
        }),
      },
    },
    errors: ['CONFLICT', 'MERCHANT_SUSPENDED'],
  }),
  defineRoute({
    entry: GET_DAILY_SUMMARIES,
    tag: 'Limits',
    summary: 'The daily summaries per card type, oldest first',
    description:
      '`from` and `to` are days (default: the 30 days up to yesterday, Asia/Shanghai; at most 366 ' +
      'days at a time). One item per day with activity, written by the daily run.',
    params: merchantParam,
    query: summariesQuery,
    responses: {
      200: {
        description: 'The summaries of the days asked',
        body: z.object({
          merchantNo: merchantNo(),
          from: day(),
          to: day(),
          items: z.array(
            component(
              'DailySummary',
              z.object({
                day: day(),
                cards: z.object(perCardType(() => cardSummary)),
              }),
            ),
          ),
        }),
      },
    },
    errors: [],
  }),
];

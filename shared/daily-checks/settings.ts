import * as z from 'zod/mini';
import { readDailyChecksSettingsText } from '../config/env';
import type { MerchantType } from '../validation/application-schema';

/*
 * The configuration of the daily checks (spec section 8): default limits by merchant type and the
 * thresholds of every rule. One JSON object (`DAILY_CHECKS_SETTINGS`, CDK context `dailyChecks`)
 * merged over these defaults, validated once at cold start (and at synth).
 */

/** Card types of the transaction stream. */
export const CARD_TYPES = ['DEBIT', 'CREDIT', 'QR'] as const;
/** One card type. */
export type CardType = (typeof CARD_TYPES)[number];

/** The limits of one card type, in fen. */
export interface CardLimits {
  readonly perTransactionFen: number;
  readonly dailyFen: number;
  readonly monthlyFen: number;
}

/** Limits of every card type. */
export type Limits = Readonly<Record<CardType, CardLimits>>;

/** Every setting of the daily checks. */
export interface DailyChecksSettings {
  /** Limits a merchant has until an operator or an approved request sets its own. */
  readonly defaultLimits: Readonly<Record<MerchantType, Limits>>;
  readonly rules: {
    /** VELOCITY: more than `maxSales` sales on one terminal within `windowMinutes`. */
    readonly velocity: { readonly maxSales: number; readonly windowMinutes: number };
    /** SPLIT: `minSales` or more sales within `windowMinutes`, each within `belowLimitPercent` below the per-transaction limit. */
    readonly split: {
      readonly minSales: number;
      readonly windowMinutes: number;
      readonly belowLimitPercent: number;
    };
    /** OFF_HOURS: more than `maxPercent` of a day's amount between `fromHour` and `toHour` (Asia/Shanghai). */
    readonly offHours: {
      readonly maxPercent: number;
      readonly fromHour: number;
      readonly toHour: number;
      /** Days with a smaller amount are not judged (one small sale at night is no pattern). */
      readonly minDayFen: number;
    };
    /** DECLINE_SPIKE: more than `maxPercent` of at least `minSales` sales declined within one clock hour. */
    readonly declineSpike: { readonly maxPercent: number; readonly minSales: number };
    /** The share of a monthly limit above which the merchant is told (once a month per card type). */
    readonly monthlyNoticePercent: number;
    /** A terminal without an approved sale for this many days is dormant. */
    readonly dormantDays: number;
  };
  /** Merchants per page of the daily run (one Lambda invocation each). */
  readonly dailyRunPageSize: number;
  /** How long the consumer keeps a merchant's type, city and limits before reading them again. */
  readonly contextCacheSeconds: number;
}

const card = (perTransactionFen: number, dailyFen: number, monthlyFen: number): CardLimits => ({
  perTransactionFen,
  dailyFen,
  monthlyFen,
});

/** The defaults: INDIVIDUAL (小微) lower than ENTERPRISE, QR lowest; thresholds of spec section 8. */
export const DEFAULT_SETTINGS: DailyChecksSettings = {
  defaultLimits: {
    INDIVIDUAL: {
      DEBIT: card(5_000_000, 10_000_000, 200_000_000),
      CREDIT: card(2_000_000, 5_000_000, 100_000_000),
      QR: card(500_000, 1_000_000, 20_000_000),
    },
    ENTERPRISE: {
      DEBIT: card(50_000_000, 100_000_000, 2_000_000_000),
      CREDIT: card(20_000_000, 50_000_000, 1_000_000_000),
      QR: card(5_000_000, 10_000_000, 200_000_000),
    },
  },
  rules: {
    velocity: { maxSales: 20, windowMinutes: 10 },
    split: { minSales: 3, windowMinutes: 30, belowLimitPercent: 10 },
    offHours: { maxPercent: 30, fromHour: 0, toHour: 5, minDayFen: 10_000 },
    declineSpike: { maxPercent: 50, minSales: 20 },
    monthlyNoticePercent: 80,
    dormantDays: 30,
  },
  dailyRunPageSize: 200,
  contextCacheSeconds: 30,
};

const fen = () => z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000_000_000));
const count = (max: number) => z.number().check(z.int(), z.minimum(1), z.maximum(max));
const percent = () => z.number().check(z.minimum(1), z.maximum(100));

/** The limits of one card type: whole fen, per transaction ≤ daily ≤ monthly. */
export const cardLimitsSchema = () =>
  z.strictObject({ perTransactionFen: fen(), dailyFen: fen(), monthlyFen: fen() }).check(
    z.refine((limits) => limits.perTransactionFen <= limits.dailyFen, {
      path: ['dailyFen'],
      message: 'The daily limit must be at least the per-transaction limit',
    }),
    z.refine((limits) => limits.dailyFen <= limits.monthlyFen, {
      path: ['monthlyFen'],
      message: 'The monthly limit must be at least the daily limit',
    }),
  );

const limitsSchema = () =>
  z.strictObject({ DEBIT: cardLimitsSchema(), CREDIT: cardLimitsSchema(), QR: cardLimitsSchema() });

const settingsSchema = () =>
  z.strictObject({
    defaultLimits: z.strictObject({ INDIVIDUAL: limitsSchema(), ENTERPRISE: limitsSchema() }),
    rules: z.strictObject({
      velocity: z.strictObject({ maxSales: count(10_000), windowMinutes: count(1440) }),
      split: z.strictObject({
        minSales: count(100),
        windowMinutes: count(1440),
        belowLimitPercent: percent(),
      }),
      offHours: z.strictObject({
        maxPercent: percent(),
        fromHour: z.number().check(z.int(), z.minimum(0), z.maximum(23)),
        toHour: z.number().check(z.int(), z.minimum(1), z.maximum(24)),
        minDayFen: fen(),
      }),
      declineSpike: z.strictObject({ maxPercent: percent(), minSales: count(100_000) }),
      monthlyNoticePercent: percent(),
      dormantDays: count(365),
    }),
    dailyRunPageSize: count(1000),
    contextCacheSeconds: z.number().check(z.int(), z.minimum(0), z.maximum(3600)),
  });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `override` merged into `base`, object by object (arrays and values replace). */
function merge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = merge(base[key], value);
  return result;
}

/** Parses settings JSON (empty: the defaults); throws with the path of the first bad value. */
export function parseDailyChecksSettings(text: string): DailyChecksSettings {
  if (text.trim() === '') return DEFAULT_SETTINGS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('Daily-checks settings must be a JSON object');
  }
  const result = z.safeParse(settingsSchema(), merge(DEFAULT_SETTINGS, parsed));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Daily-checks settings: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  if (result.data.rules.offHours.fromHour >= result.data.rules.offHours.toHour)
    throw new Error('Daily-checks settings: rules.offHours.fromHour must be before toHour');
  return result.data;
}

let cached: DailyChecksSettings | undefined;

/** The settings of this deployment, read once per cold start. */
export function dailyChecksSettings(): DailyChecksSettings {
  cached ??= parseDailyChecksSettings(readDailyChecksSettingsText());
  return cached;
}

import type { CardType, DailyChecksSettings, Limits } from './settings';
import { dayOf, hourOf, monthOf, type TransactionRecord } from './transaction';

/*
 * The counting and the risk rules of spec section 8, pure: the consumer hands in the merchant's
 * counters and its terminals' recent sales as stored, applies records one by one in stream order,
 * and gets back the new counters and the rules each record broke. OFF_HOURS needs a whole day, so
 * the daily run judges it (offHoursHit).
 */

/** The rules of spec section 8. */
export const RISK_RULES = [
  'OVER_LIMIT',
  'VELOCITY',
  'SPLIT',
  'OFF_HOURS',
  'LOCATION',
  'DECLINE_SPIKE',
] as const;
/** One rule. */
export type RiskRule = (typeof RISK_RULES)[number];

/** Counters of one card type on a day or in a month. */
export interface CardUsage {
  /** APPROVED sales minus APPROVED voids and refunds, in fen. */
  fen: number;
  /** APPROVED sales. */
  count: number;
  /** DECLINED sales. */
  declines: number;
  /** Alerts opened by a transaction of this card type (day only). */
  alerts: number;
}

/** A merchant's usage item of one day or month, as stored (`ver` guards against a stale copy). */
export interface UsageCounters {
  ver: number;
  readonly cards: Record<CardType, CardUsage>;
  /** Day only: sales and declined sales per Asia/Shanghai hour (0–23). */
  readonly hourSales: Record<number, number>;
  readonly hourDeclines: Record<number, number>;
  /** Day only: APPROVED sale amounts in all, and those within the off-hours. */
  salesFen: number;
  offHoursFen: number;
}

/** One sale in a terminal's window. */
export interface WindowSale {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly t: number;
  readonly fen: number;
  readonly ct: CardType;
  /** APPROVED. */
  readonly ok: boolean;
}

/** A terminal's recent sales, as stored. */
export interface TerminalWindow {
  ver: number;
  sales: WindowSale[];
  /** The last day with an APPROVED sale (dormancy). */
  lastSaleDay?: string;
}

/** What a rule hit carries: the evidence a reviewer sees. */
export interface RuleHit {
  readonly rule: RiskRule;
  readonly day: string;
  readonly cardType: CardType;
  readonly serialNumber?: string;
  readonly transactionIds: readonly string[];
  readonly figures: Readonly<Record<string, number | string>>;
}

/** Empty counters. */
export function emptyCounters(): UsageCounters {
  const card = (): CardUsage => ({ fen: 0, count: 0, declines: 0, alerts: 0 });
  return {
    ver: 0,
    cards: { DEBIT: card(), CREDIT: card(), QR: card() },
    hourSales: {},
    hourDeclines: {},
    salesFen: 0,
    offHoursFen: 0,
  };
}

/** The merchant as the rules need it. */
export interface MerchantContext {
  readonly merchantNo: string;
  /** The first 4 digits of the merchant's address division (its city). */
  readonly city: string;
  readonly limits: Limits;
}

/** The mutable state the records of one merchant are applied to. */
export interface MerchantState {
  readonly days: Map<string, UsageCounters>;
  readonly months: Map<string, UsageCounters>;
  readonly windows: Map<string, TerminalWindow>;
}

/** Keeps the window small: the longer of the two rule windows, and no more sales than the rules read. */
function prune(window: TerminalWindow, now: number, settings: DailyChecksSettings): void {
  const { velocity, split } = settings.rules;
  const horizon = now - Math.max(velocity.windowMinutes, split.windowMinutes) * 60_000;
  const kept = window.sales.filter((sale) => sale.t > horizon);
  window.sales = kept.slice(-Math.max(velocity.maxSales + 1, 64));
}

/**
 * Applies one record to `state` (whose day, month and window entries the caller loaded) and returns
 * the rules it broke. Only the first hit of a rule per day matters to the caller (one alert per
 * merchant, rule and day).
 */
export function applyRecord(
  state: MerchantState,
  merchant: MerchantContext,
  record: TransactionRecord,
  settings: DailyChecksSettings,
): RuleHit[] {
  const day = dayOf(record.at);
  const dayUsage = state.days.get(day);
  const monthUsage = state.months.get(monthOf(record.at));
  const window = state.windows.get(record.serialNumber);
  if (!dayUsage || !monthUsage || !window) throw new Error('state not loaded for this record');
  const card = dayUsage.cards[record.cardType];
  const monthCard = monthUsage.cards[record.cardType];
  const limits = merchant.limits[record.cardType];
  const approved = record.result === 'APPROVED';
  const hits: RuleHit[] = [];
  const hit = (rule: RiskRule, transactionIds: readonly string[], figures: RuleHit['figures']) =>
    hits.push({
      rule,
      day,
      cardType: record.cardType,
      serialNumber: record.serialNumber,
      transactionIds,
      figures,
    });

  if (record.type !== 'SALE') {
    // A void or refund gives back what its sale took; declined ones change nothing.
    if (approved) {
      card.fen -= record.amountFen;
      monthCard.fen -= record.amountFen;
    }
  } else {
    const hour = hourOf(record.at);
    dayUsage.hourSales[hour] = (dayUsage.hourSales[hour] ?? 0) + 1;
    if (approved) {
      card.fen += record.amountFen;
      card.count += 1;
      monthCard.fen += record.amountFen;
      monthCard.count += 1;
      dayUsage.salesFen += record.amountFen;
      const { fromHour, toHour } = settings.rules.offHours;
      if (hour >= fromHour && hour < toHour) dayUsage.offHoursFen += record.amountFen;
      // Records of an older day can come late: the last sale day only moves forward.
      if (window.lastSaleDay === undefined || day > window.lastSaleDay) window.lastSaleDay = day;
    } else {
      card.declines += 1;
      dayUsage.hourDeclines[hour] = (dayUsage.hourDeclines[hour] ?? 0) + 1;
    }
    const now = Date.parse(record.at);
    window.sales.push({
      id: record.transactionId,
      t: now,
      fen: record.amountFen,
      ct: record.cardType,
      ok: approved,
    });
    prune(window, now, settings);

    if (approved) {
      const over =
        record.amountFen > limits.perTransactionFen
          ? { limit: 'PER_TRANSACTION', limitFen: limits.perTransactionFen, usedFen: record.amountFen }
          : card.fen > limits.dailyFen
            ? { limit: 'DAILY', limitFen: limits.dailyFen, usedFen: card.fen }
            : monthCard.fen > limits.monthlyFen
              ? { limit: 'MONTHLY', limitFen: limits.monthlyFen, usedFen: monthCard.fen }
              : undefined;
      if (over) hit('OVER_LIMIT', [record.transactionId], { ...over, amountFen: record.amountFen });
    }

    const { velocity, split, declineSpike } = settings.rules;
    const recent = window.sales.filter((sale) => sale.t > now - velocity.windowMinutes * 60_000);
    if (recent.length > velocity.maxSales) {
      hit(
        'VELOCITY',
        recent.map((sale) => sale.id),
        { sales: recent.length, windowMinutes: velocity.windowMinutes, maxSales: velocity.maxSales },
      );
    }

    const floor = Math.ceil((limits.perTransactionFen * (100 - split.belowLimitPercent)) / 100);
    const nearLimit = window.sales.filter(
      (sale) =>
        sale.ok &&
        sale.ct === record.cardType &&
        sale.t > now - split.windowMinutes * 60_000 &&
        sale.fen >= floor &&
        sale.fen <= limits.perTransactionFen,
    );
    if (approved && record.amountFen >= floor && nearLimit.length >= split.minSales) {
      hit(
        'SPLIT',
        nearLimit.map((sale) => sale.id),
        {
          sales: nearLimit.length,
          amountFen: nearLimit.reduce((sum, sale) => sum + sale.fen, 0),
          perTransactionFen: limits.perTransactionFen,
          windowMinutes: split.windowMinutes,
        },
      );
    }

    const sales = dayUsage.hourSales[hour] ?? 0;
    const declined = dayUsage.hourDeclines[hour] ?? 0;
    if (!approved && sales >= declineSpike.minSales && declined * 100 > declineSpike.maxPercent * sales) {
      hit('DECLINE_SPIKE', [record.transactionId], {
        hour,
        sales,
        declined,
        maxPercent: declineSpike.maxPercent,
      });
    }
  }

  if (record.divisionCode.slice(0, 4) !== merchant.city) {
    hit('LOCATION', [record.transactionId], {
      terminalCity: record.divisionCode.slice(0, 4),
      merchantCity: merchant.city,
      divisionCode: record.divisionCode,
    });
  }
  return hits;
}

/**
 * OFF_HOURS for a finished day: more than the configured share of the day's approved sale amount
 * between the off-hours (and a day large enough to judge). The card type is the one with the
 * largest amount that day.
 */
export function offHoursHit(
  day: string,
  usage: UsageCounters,
  settings: DailyChecksSettings,
): RuleHit | undefined {
  const { maxPercent, minDayFen, fromHour, toHour } = settings.rules.offHours;
  if (usage.salesFen < minDayFen || usage.offHoursFen * 100 <= maxPercent * usage.salesFen) return undefined;
  const cardType = (Object.entries(usage.cards) as [CardType, CardUsage][]).reduce((best, entry) =>
    entry[1].fen > best[1].fen ? entry : best,
  )[0];
  return {
    rule: 'OFF_HOURS',
    day,
    cardType,
    transactionIds: [],
    figures: {
      offHoursFen: usage.offHoursFen,
      dayFen: usage.salesFen,
      percent: Math.round((usage.offHoursFen * 1000) / usage.salesFen) / 10,
      hours: `${String(fromHour).padStart(2, '0')}:00-${String(toHour).padStart(2, '0')}:00`,
    },
  };
}

/** The review task id of the one alert of (merchant, rule, day): derived, so a second hit finds it. */
export function alertTaskId(merchantNo: string, rule: RiskRule, day: string): string {
  return `RISK-${merchantNo}-${rule}-${day}`;
}

import type { MccRiskLevel } from '../reference/mcc';

/*
 * Fee plans (spec 7): what a merchant pays per card type, as integers only — rates in basis points
 * (1 bps = 0.01 %), caps in fen (分). A plan is versioned and never edited in place: publishing the
 * same code again makes the next version, and a merchant keeps the version it was given.
 */

/** The payment types a plan prices, in the order an agreement lists them. */
export const CARD_TYPES = ['DEBIT', 'CREDIT', 'QR'] as const;
/** One of {@link CARD_TYPES}. */
export type CardType = (typeof CARD_TYPES)[number];

/** MCC risk levels a plan may be given to (a PROHIBITED MCC never gets a merchant). */
export const PLAN_RISK_LEVELS = ['LOW', 'HIGH'] as const;
/** One of {@link PLAN_RISK_LEVELS}. */
export type PlanRiskLevel = (typeof PLAN_RISK_LEVELS)[number];

/** Bounds of the spec: a rate is 1–300 bps, a cap 0–100,000 fen (1,000 元). */
export const RATE_BPS = { min: 1, max: 300 } as const;
export const CAP_FEN = { min: 0, max: 100_000 } as const;
/** The T+0 surcharge may be 0 (no surcharge) up to the highest rate. */
export const SURCHARGE_BPS = { min: 0, max: 300 } as const;

/** The rate of one card type: basis points, and a cap per transaction in fen where there is one. */
export interface Rate {
  readonly bps: number;
  readonly capFen?: number;
}

/** What a plan charges: every card type priced. */
export type Rates = Readonly<Record<CardType, Rate>>;

/** One stored version of a fee plan. */
export interface FeePlan {
  readonly code: string;
  readonly version: number;
  readonly name: string;
  readonly rates: Rates;
  /** Added to the rate of every transaction settled T+0. */
  readonly t0SurchargeBps: number;
  /** Merchants of these MCC risk levels may be given this plan. */
  readonly mccRiskLevels: readonly PlanRiskLevel[];
  readonly createdAt: string;
  /** `system` for a shipped default, `staff:<sub>` for an operator's version. */
  readonly createdBy: string;
}

/** The plan version a merchant (or an agreement) holds. */
export interface FeePlanRef {
  readonly code: string;
  readonly version: number;
}

/** What an agreement states of its plan: the version and its prices. */
export type FeePlanTerms = Pick<FeePlan, 'code' | 'version' | 'name' | 'rates' | 't0SurchargeBps'>;

/** The code of the shipped default plan of an MCC risk level (`DEFAULT-LOW`, `DEFAULT-HIGH`). */
export function defaultPlanCode(level: PlanRiskLevel): string {
  return `DEFAULT-${level}`;
}

/**
 * The plans the product ships, version 1 of each default code. Stored on first use (see
 * shared/fee-plans/requests.ts) so that a fresh deployment or `npm run dev` can approve at once;
 * operators publish newer versions of these codes like of any other.
 */
export const SHIPPED_DEFAULT_PLANS: Readonly<Record<PlanRiskLevel, Omit<FeePlan, 'createdAt'>>> = {
  LOW: {
    code: defaultPlanCode('LOW'),
    version: 1,
    name: '标准费率（低风险行业） / Standard (low-risk MCC)',
    rates: { DEBIT: { bps: 50, capFen: 2000 }, CREDIT: { bps: 60 }, QR: { bps: 38 } },
    t0SurchargeBps: 5,
    mccRiskLevels: ['LOW'],
    createdBy: 'system',
  },
  HIGH: {
    code: defaultPlanCode('HIGH'),
    version: 1,
    name: '标准费率（高风险行业） / Standard (high-risk MCC)',
    rates: { DEBIT: { bps: 60, capFen: 2500 }, CREDIT: { bps: 78 }, QR: { bps: 60 } },
    t0SurchargeBps: 10,
    mccRiskLevels: ['HIGH'],
    createdBy: 'system',
  },
};

/** The risk level a plan is chosen for; a PROHIBITED MCC has none (it is never approved). */
export function planRiskLevelOf(level: MccRiskLevel): PlanRiskLevel | undefined {
  return level === 'LOW' || level === 'HIGH' ? level : undefined;
}

/** `50` → `0.50%` (integer arithmetic: no float ever holds a rate). */
export function formatBps(bps: number): string {
  return `${Math.trunc(bps / 100)}.${String(bps % 100).padStart(2, '0')}%`;
}

/** `2000` → `20`, `2050` → `20.50` (yuan, from fen, integer arithmetic). */
export function formatFenAsYuan(fen: number): string {
  const yuan = Math.trunc(fen / 100);
  const rest = fen % 100;
  return rest === 0 ? String(yuan) : `${yuan}.${String(rest).padStart(2, '0')}`;
}

const CARD_NAMES: Readonly<Record<'zh-CN' | 'en', Readonly<Record<CardType, string>>>> = {
  'zh-CN': { DEBIT: '借记卡', CREDIT: '贷记卡', QR: '扫码支付' },
  en: { DEBIT: 'Debit card', CREDIT: 'Credit card', QR: 'QR code payment' },
};

/** One line per card type: `借记卡 0.50% 封顶 20 元` / `Debit card 0.50%, capped at CNY 20`. */
export function rateLines(rates: Rates, locale: 'zh-CN' | 'en'): string[] {
  return CARD_TYPES.map((type) => {
    const rate = rates[type];
    const name = CARD_NAMES[locale][type];
    const cap =
      rate.capFen === undefined
        ? ''
        : locale === 'zh-CN'
          ? ` 封顶 ${formatFenAsYuan(rate.capFen)} 元`
          : `, capped at CNY ${formatFenAsYuan(rate.capFen)}`;
    return `${name} ${formatBps(rate.bps)}${cap}`;
  });
}

/** The T+0 surcharge in words (`T+0 结算另加 0.05%`), or `undefined` for T1 settlement. */
export function surchargeLine(
  t0SurchargeBps: number,
  cycle: 'T1' | 'T0',
  locale: 'zh-CN' | 'en',
): string | undefined {
  if (cycle !== 'T0') return undefined;
  return locale === 'zh-CN'
    ? `T+0 结算另加 ${formatBps(t0SurchargeBps)}`
    : `T+0 settlement adds ${formatBps(t0SurchargeBps)}`;
}

/** The terms an agreement states of a plan version. */
export function termsOf(plan: FeePlan): FeePlanTerms {
  return {
    code: plan.code,
    version: plan.version,
    name: plan.name,
    rates: plan.rates,
    t0SurchargeBps: plan.t0SurchargeBps,
  };
}

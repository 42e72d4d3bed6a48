import { formatFenAsYuan } from '../../../shared/fee-plans/plan';
import type { CardLimits, CardType, Limits } from '../../common/api';

/*
 * Amounts: the API speaks fen (integers), people read and type yuan. Every conversion here is
 * integer arithmetic on the digits, so 0.1 + 0.2 never creeps into a limit.
 */

/** The card types in the order the console lists them. */
export const CARD_TYPES: readonly CardType[] = ['DEBIT', 'CREDIT', 'QR'];

/** The three limits of a card type, in the order the console lists them. */
export const LIMIT_NAMES: readonly (keyof CardLimits)[] = ['perTransactionFen', 'dailyFen', 'monthlyFen'];

const GROUPING = /\B(?=(\d{3})+(?!\d))/g;

/** `150000` → `¥1,500.00`; negative amounts (refunds larger than sales) keep their sign. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = String(Math.trunc(abs / 100)).replace(GROUPING, ',');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** Fen as an input's value: `150000` → `1500`, `99950` → `999.50`. */
export function yuanInput(fen: number): string {
  return formatFenAsYuan(fen);
}

/**
 * What a person typed, in yuan, as fen: `1500`, `1,500.5`, `¥999.50` → integers; `undefined` for
 * anything else (letters, three decimals, a negative or an empty value).
 */
export function parseYuan(text: string): number | undefined {
  const cleaned = text
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/,/g, '')
    .trim();
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** `used` as a whole per cent of `limit` (rounded down; 0 for a limit of 0). */
export function percentOf(used: number, limit: number): number {
  if (limit <= 0) return 0;
  return Math.floor((Math.max(used, 0) * 100) / limit);
}

/** The editable form of limits: the yuan text of every card type's three limits. */
export type LimitsDraft = Record<CardType, Record<keyof CardLimits, string>>;

/** The draft of limits in force, as the inputs show them first. */
export function draftOf(limits: Limits): LimitsDraft {
  const card = (c: CardLimits) => ({
    perTransactionFen: yuanInput(c.perTransactionFen),
    dailyFen: yuanInput(c.dailyFen),
    monthlyFen: yuanInput(c.monthlyFen),
  });
  return { DEBIT: card(limits.DEBIT), CREDIT: card(limits.CREDIT), QR: card(limits.QR) };
}

/** A problem of one limit input, by its API field path (`limits.DEBIT.dailyFen`). */
export interface LimitProblem {
  readonly field: string;
  readonly code: 'INVALID_AMOUNT' | 'NOT_LOWER';
  /** The limit in force, for the message. */
  readonly currentFen: number;
}

/**
 * The card types the draft changes, with their limits in fen (what `PUT …/limits` and
 * `LOWER_LIMITS` take: only the card types given are replaced), and the problems found on the way:
 * an amount that is not one, or (with `lowerOnly`) a limit above the one in force.
 */
export function changedLimits(
  draft: LimitsDraft,
  current: Limits,
  options: { lowerOnly?: boolean } = {},
): { limits: Partial<Limits>; problems: LimitProblem[] } {
  const limits: Partial<Limits> = {};
  const problems: LimitProblem[] = [];
  for (const card of CARD_TYPES) {
    const parsed: Partial<CardLimits> = {};
    let changed = false;
    for (const name of LIMIT_NAMES) {
      const now = current[card][name];
      const fen = parseYuan(draft[card][name]);
      const field = `limits.${card}.${name}`;
      if (fen === undefined || fen < 1) {
        problems.push({ field, code: 'INVALID_AMOUNT', currentFen: now });
        continue;
      }
      if (options.lowerOnly && fen > now) problems.push({ field, code: 'NOT_LOWER', currentFen: now });
      parsed[name] = fen;
      if (fen !== now) changed = true;
    }
    if (changed && parsed.perTransactionFen && parsed.dailyFen && parsed.monthlyFen)
      limits[card] = parsed as CardLimits;
  }
  return { limits, problems };
}

import { describe, expect, it } from 'vitest';
import type { Limits } from '../../../web/common/api';
import { changedLimits, draftOf, formatYuan, parseYuan, percentOf } from '../../../web/console/src/money';

const LIMITS: Limits = {
  DEBIT: { perTransactionFen: 100_000, dailyFen: 500_000, monthlyFen: 1_000_000 },
  CREDIT: { perTransactionFen: 100_000, dailyFen: 500_000, monthlyFen: 1_000_000 },
  QR: { perTransactionFen: 50_050, dailyFen: 200_000, monthlyFen: 500_000 },
};

describe('amounts in the console', () => {
  it('shows fen as yuan with grouping and two decimals', () => {
    expect(formatYuan(150_000)).toBe('¥1,500.00');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(formatYuan(123_456_789_01)).toBe('¥123,456,789.01');
    expect(formatYuan(-2_050)).toBe('-¥20.50');
  });

  it('reads what a person types in yuan as whole fen, and nothing else', () => {
    expect(parseYuan('1500')).toBe(150_000);
    expect(parseYuan(' ¥1,500.5 ')).toBe(150_050);
    expect(parseYuan('0.07')).toBe(7);
    // 0.1 + 0.2 never creeps in: 1.15 yuan is 115 fen exactly.
    expect(parseYuan('1.15')).toBe(115);
    for (const bad of ['', 'abc', '1.234', '-5', '1e3', '12 34']) expect(parseYuan(bad), bad).toBeUndefined();
  });

  it('says the share of a limit in whole per cent, rounded down', () => {
    expect(percentOf(150_000, 100_000)).toBe(150);
    expect(percentOf(99_999, 100_000)).toBe(99);
    expect(percentOf(-5, 100)).toBe(0);
    expect(percentOf(5, 0)).toBe(0);
  });
});

describe('the limits a draft changes', () => {
  it('sends only the card types changed, all three limits of each, in fen', () => {
    const draft = draftOf(LIMITS);
    expect(draft.QR.perTransactionFen).toBe('500.50');
    expect(changedLimits(draft, LIMITS)).toEqual({ limits: {}, problems: [] });
    draft.DEBIT = { ...draft.DEBIT, perTransactionFen: '800' };
    expect(changedLimits(draft, LIMITS)).toEqual({
      limits: { DEBIT: { perTransactionFen: 80_000, dailyFen: 500_000, monthlyFen: 1_000_000 } },
      problems: [],
    });
  });

  it('names the field of an amount that is not one, and (lowering) of a limit above the one in force', () => {
    const draft = draftOf(LIMITS);
    draft.CREDIT = { ...draft.CREDIT, dailyFen: 'lots' };
    draft.QR = { ...draft.QR, monthlyFen: '6000' };
    expect(changedLimits(draft, LIMITS, { lowerOnly: true }).problems).toEqual([
      { field: 'limits.CREDIT.dailyFen', code: 'INVALID_AMOUNT', currentFen: 500_000 },
      { field: 'limits.QR.monthlyFen', code: 'NOT_LOWER', currentFen: 500_000 },
    ]);
    // Raising is an operator's change, not a problem.
    expect(changedLimits(draft, LIMITS).problems.map((p) => p.code)).toEqual(['INVALID_AMOUNT']);
  });
});

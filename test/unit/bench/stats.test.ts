import { describe, expect, it } from 'vitest';
import { judge } from '../../../bench/report';
import {
  describeTarget,
  median,
  meets,
  percentile,
  ratioOf,
  ratioOfMediansInterval,
  seededRandom,
  sum,
} from '../../../bench/stats';

describe('bench order statistics', () => {
  it('interpolates percentiles between closest ranks, whatever the input order', () => {
    expect(percentile([3, 1, 2, 4], 0)).toBe(1);
    expect(percentile([3, 1, 2, 4], 100)).toBe(4);
    expect(percentile([3, 1, 2, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 99)).toBeCloseTo(49.6);
    expect(percentile([7], 99)).toBe(7);
  });

  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(sum([1, 2, 3.5])).toBe(6.5);
  });

  it('refuses no values and percentiles out of range', () => {
    expect(() => median([])).toThrow();
    expect(() => percentile([1], 101)).toThrow();
    expect(() => percentile([1], Number.NaN)).toThrow();
  });
});

describe('bench noise', () => {
  it('bootstraps an interval of a ratio of medians that is reproducible and narrows with samples', () => {
    const noisy = (seed: number, centre: number, count: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: count }, () => centre * (0.85 + 0.3 * random()));
    };
    const few = ratioOfMediansInterval(noisy(1, 110, 15), noisy(2, 100, 15));
    expect(ratioOfMediansInterval(noisy(1, 110, 15), noisy(2, 100, 15))).toEqual(few);
    expect(few.low).toBeLessThan(1.1);
    expect(few.high).toBeGreaterThan(1.1);
    const many = ratioOfMediansInterval(noisy(3, 110, 200), noisy(4, 100, 200));
    expect(many.high - many.low).toBeLessThan(few.high - few.low);
    expect(many.low).toBeLessThan(1.1);
    expect(many.high).toBeGreaterThan(1.1);
    // Without noise the interval is the ratio itself.
    expect(ratioOfMediansInterval([120, 120, 120], [100, 100])).toEqual({ low: 1.2, high: 1.2 });
  });
});

describe('bench targets', () => {
  it('judges ratios, margins, absolute limits and equality against the floor', () => {
    expect(meets({ kind: 'ratio-max', max: 1.15 }, 115, 100)).toBe(true);
    expect(meets({ kind: 'ratio-max', max: 1.15 }, 116, 100)).toBe(false);
    expect(meets({ kind: 'ratio-min', min: 0.5 }, 50, 100)).toBe(true);
    expect(meets({ kind: 'ratio-min', min: 0.5 }, 49, 100)).toBe(false);
    expect(meets({ kind: 'over-floor-max', max: 100, unit: 'KB' }, 500, 400)).toBe(true);
    expect(meets({ kind: 'over-floor-max', max: 100, unit: 'KB' }, 500.5, 400)).toBe(false);
    expect(meets({ kind: 'value-max', max: 100, unit: 'µs' }, 99, undefined)).toBe(true);
    expect(meets({ kind: 'equal-floor' }, 1.5, 1.5)).toBe(true);
    expect(meets({ kind: 'equal-floor' }, 2, 1.5)).toBe(false);
    expect(meets({ kind: 'none' }, 1, 1)).toBeUndefined();
  });

  it('fails a judged figure that has no floor or no value', () => {
    expect(meets({ kind: 'ratio-max', max: 1.15 }, 1, undefined)).toBe(false);
    expect(meets({ kind: 'ratio-max', max: 1.15 }, 1, 0)).toBe(false);
    expect(meets({ kind: 'value-max', max: 100, unit: 'µs' }, Number.NaN, undefined)).toBe(false);
  });

  it('describes each target and computes ratios only against a real floor', () => {
    expect(describeTarget({ kind: 'ratio-max', max: 1.15 })).toBe('≤ 1.15 × floor');
    expect(describeTarget({ kind: 'over-floor-max', max: 100, unit: 'KB' })).toBe('≤ floor + 100 KB');
    expect(ratioOf(3, 2)).toBe(1.5);
    expect(ratioOf(3, 0)).toBeUndefined();
    const figure = judge({
      section: 'throughput',
      name: 'x',
      value: 40,
      unit: 'req/s',
      floor: 100,
      target: { kind: 'ratio-min', min: 0.5 },
    });
    expect(figure).toMatchObject({ ratio: 0.4, pass: false, targetText: '≥ 0.5 × floor' });
  });
});

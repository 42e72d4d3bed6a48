import { describe, expect, it } from 'vitest';
import { quickestRun } from '../../../bench/warm-overhead';

describe('warm overhead runs', () => {
  it('takes the figure from the run whose bare use case was quickest, and reports every run', () => {
    // Five runs of 4 pairs; the machine ran twice as slow in runs 1, 3 and 4 (both arms alike).
    const speeds = [2, 1, 2, 2, 1.05];
    const handlerUs = speeds.flatMap((speed) => [140, 141, 139, 140].map((value) => value * speed));
    const bareUs = speeds.flatMap((speed) => [45, 46, 44, 45].map((value) => value * speed));
    const { quickest, all } = quickestRun(handlerUs, bareUs);
    expect(all).toHaveLength(5);
    expect(quickest).toEqual(all[1]);
    expect(quickest.overheadUs).toBe(95);
    expect(all[0]?.overheadUs).toBe(190);
  });

  it('chooses by the bare use case, not by the overhead it judges', () => {
    // Run 0 has the lowest overhead but a slower bare use case than run 1.
    const handlerUs = [100, 100, 130, 130];
    const bareUs = [60, 60, 50, 50];
    const { quickest } = quickestRun(handlerUs, bareUs, 2);
    expect(quickest.bareUs).toBe(50);
    expect(quickest.overheadUs).toBe(80);
  });

  it('refuses fewer pairs than runs', () => {
    expect(() => quickestRun([1, 2], [1, 2], 5)).toThrow(/not enough pairs/);
  });
});

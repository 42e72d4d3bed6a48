/*
 * Pure helpers of `npm run bench`: order statistics and target evaluation. Unit-tested in
 * test/unit/bench/stats.test.ts; nothing here measures anything.
 */

/** The `p`-th percentile (0–100) of `values`, linearly interpolated between closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is not in 0..100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Sum of `values`. */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** What a figure is held to, relative to its floor measured in the same run. */
export type Target =
  /** value ≤ max × floor */
  | { readonly kind: 'ratio-max'; readonly max: number }
  /** value ≥ min × floor */
  | { readonly kind: 'ratio-min'; readonly min: number }
  /** value − floor ≤ max (e.g. bytes over the floor bundle) */
  | { readonly kind: 'over-floor-max'; readonly max: number; readonly unit: string }
  /** value ≤ max, whatever the floor (the floor is shown for context) */
  | { readonly kind: 'value-max'; readonly max: number; readonly unit: string }
  /** value = floor (e.g. read units at 100,000 items equal those at 1,000) */
  | { readonly kind: 'equal-floor' }
  /** reported, not judged */
  | { readonly kind: 'none' };

/** Relative slack of the comparisons, so that 115 ≤ 1.15 × 100 holds in floating point. */
const SLACK = 1e-9;

/** Whether `value` meets `target` against `floor`; `undefined` for a figure that is not judged. */
export function meets(target: Target, value: number, floor: number | undefined): boolean | undefined {
  switch (target.kind) {
    case 'none':
      return undefined;
    case 'value-max':
      return value <= target.max * (1 + SLACK);
    case 'ratio-max':
      return floor !== undefined && floor > 0 && value <= target.max * floor * (1 + SLACK);
    case 'ratio-min':
      return floor !== undefined && floor > 0 && value >= target.min * floor * (1 - SLACK);
    case 'over-floor-max':
      return floor !== undefined && value - floor <= target.max * (1 + SLACK);
    case 'equal-floor':
      return floor !== undefined && Math.abs(value - floor) < 1e-9;
  }
}

/** `value / floor`, or `undefined` when the floor is missing or zero. */
export function ratioOf(value: number, floor: number | undefined): number | undefined {
  return floor === undefined || floor === 0 ? undefined : value / floor;
}

/** The target in words, for the report (`≤ 1.15 × floor`, `≤ floor + 100 KB`, …). */
export function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'none':
      return '—';
    case 'value-max':
      return `≤ ${target.max} ${target.unit}`;
    case 'ratio-max':
      return `≤ ${target.max} × floor`;
    case 'ratio-min':
      return `≥ ${target.min} × floor`;
    case 'over-floor-max':
      return `≤ floor + ${target.max} ${target.unit}`;
    case 'equal-floor':
      return '= floor';
  }
}

/** A small seeded PRNG (mulberry32), so that a bootstrap gives the same interval for the same samples. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Percentile-bootstrap interval of `median(values) / median(floors)` (both sample sets resampled
 * independently), at `confidence` (e.g. 0.9): how far the ratio of two medians could move with
 * the same machine noise.
 */
export function ratioOfMediansInterval(
  values: readonly number[],
  floors: readonly number[],
  confidence = 0.9,
  resamples = 500,
  seed = 1,
): { readonly low: number; readonly high: number } {
  if (values.length === 0 || floors.length === 0) throw new Error('interval of no samples');
  const random = seededRandom(seed);
  const resample = (samples: readonly number[]) =>
    samples.map(() => samples[Math.floor(random() * samples.length)] as number);
  const ratios: number[] = [];
  for (let index = 0; index < resamples; index++) {
    ratios.push(median(resample(values)) / median(resample(floors)));
  }
  const tail = ((1 - confidence) / 2) * 100;
  return { low: percentile(ratios, tail), high: percentile(ratios, 100 - tail) };
}

import { describe, expect, it } from 'vitest';
import type { FigureInput } from '../../../bench/report';
import { quickestProcess } from '../../../bench/warm-processes';

const target = { kind: 'value-max', max: 100, unit: 'µs' } as const;
const figure = (
  value: number,
  floor: number | undefined,
  why = `handler ${value + (floor ?? 0)} µs`,
): FigureInput => ({
  section: 'warm-overhead',
  name: 'GET /v1/x (x) · overhead',
  value,
  unit: 'µs',
  ...(floor === undefined ? {} : { floor }),
  target,
  why,
});

describe('quickestProcess', () => {
  it('takes the process whose bare use case was quickest, not the one with the smallest overhead', () => {
    const chosen = quickestProcess([figure(60, 19), figure(149, 11)]);
    expect(chosen.value).toBe(149);
    expect(chosen.floor).toBe(11);
    expect(chosen.why).toBe('handler 160 µs; processes 60 over 19, 149 over 11 µs');
  });

  it('passes a single process through unchanged', () => {
    expect(quickestProcess([figure(70, 10)])).toEqual(figure(70, 10));
  });

  it('prefers a process that measured over one that could not, and keeps a failure when all failed', () => {
    const failed = figure(Number.NaN, undefined, 'could not run: boom');
    expect(quickestProcess([failed, figure(80, 12)]).value).toBe(80);
    expect(quickestProcess([failed, failed]).why).toBe('could not run: boom');
  });
});

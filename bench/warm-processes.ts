import type { FigureInput } from './report';

/*
 * The warm overhead's choice between processes. Apart from bench/warm-overhead.ts, which loads the
 * route cases (every use case), so that bench/run.ts can choose without loading them.
 */

/**
 * Fresh processes per route. Whole processes, not only seconds of them, run slow on this VM: the
 * same route, in back-to-back processes of the same code, measured 68 µs of overhead over an 11 µs
 * use case in some and 149 µs over 19 µs in another, every run of it alike. So each route runs in
 * this many processes and is judged in the one where its bare use case was quickest.
 */
export const PROCESSES_PER_ROUTE = 2;

/**
 * Of the same route's figures from several processes, the one whose floor (the bare use case) was
 * quickest: chosen by the floor, never by the overhead judged, as `quickestRun` (bench/warm-overhead.ts)
 * chooses a run within a process. Every process's overhead is added to its `why`, so all show in the
 * table. A process that could not measure (no floor) is chosen only when none could.
 */
export function quickestProcess(figures: readonly FigureInput[]): FigureInput {
  const measured = figures.filter((figure) => Number.isFinite(figure.value) && figure.floor !== undefined);
  const first = measured[0] ?? figures[0];
  if (!first) throw new Error('no figure to choose from');
  const quickest = measured.reduce(
    (best, figure) => ((figure.floor as number) < (best.floor as number) ? figure : best),
    first,
  );
  if (measured.length < 2) return quickest;
  const processes = measured
    .map((figure) => `${figure.value.toFixed(0)} over ${(figure.floor as number).toFixed(0)}`)
    .join(', ');
  return { ...quickest, why: `${quickest.why ?? ''}; processes ${processes} µs`.replace(/^; /, '') };
}

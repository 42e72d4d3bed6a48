import { ROUTES } from '../shared/manifest/functions';
import { lambdaContext } from './fakes';
import type { FigureInput } from './report';
import { median, percentile } from './stats';
import { type RouteCase, routeCases } from './warm-routes';

/** Target for every API route: what the handler adds to its use case, median per request. */
export const OVERHEAD_MAX_US = 100;

/** Invocations per route and arm (issue 7: 10,000). */
export const INVOCATIONS = 10_000;
/**
 * Pairs run before the measured ones. V8 keeps optimizing a route's code for thousands of calls:
 * in nine fresh processes, the first 2,500 pairs of `PUT /v1/applications/{id}` had a median
 * overhead of 144–216 µs; the quickest later run of eight of them 91–99 µs (the ninth stayed near
 * 160 µs throughout). A warm function has served far more requests than that.
 */
const WARM_UP = 6_000;

async function timeCall(call: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - started) / 1000;
}

/** How many consecutive runs of pairs a route's measurement is cut into (see {@link quickestRun}). */
export const RUNS = 5;

/** One run of consecutive pairs: the medians of the handler, the bare use case and their difference. */
export interface RunMedians {
  readonly handlerUs: number;
  readonly bareUs: number;
  readonly overheadUs: number;
}

/**
 * The medians of each of `runs` consecutive runs of pairs, and the run in which the bare use case
 * was quickest. This VM alternates, for seconds at a time, between its normal speed and states in
 * which every call runs up to twice as long, the bare use case as much as the handler (e.g. one
 * route's runs: 93 µs over a 45 µs use case, then 165 µs over 87 µs, in one process). A difference
 * of two medians grows with that slowdown, so the figure is taken from the run where the machine was
 * quickest, which is chosen by the floor (the bare use case), not by the overhead being judged;
 * every run's overhead is reported beside it.
 */
export function quickestRun(
  handlerUs: readonly number[],
  bareUs: readonly number[],
  runs = RUNS,
): { readonly quickest: RunMedians; readonly all: readonly RunMedians[] } {
  const size = Math.floor(handlerUs.length / runs);
  if (size === 0 || bareUs.length !== handlerUs.length) throw new Error('not enough pairs for the runs');
  const all = Array.from({ length: runs }, (_, run) => {
    const handler = handlerUs.slice(run * size, (run + 1) * size);
    const bare = bareUs.slice(run * size, (run + 1) * size);
    return {
      handlerUs: median(handler),
      bareUs: median(bare),
      overheadUs: median(handler.map((value, index) => value - (bare[index] as number))),
    };
  });
  const quickest = all.reduce((best, run) => (run.bareUs < best.bareUs ? run : best));
  return { quickest, all };
}

/**
 * Handler and bare use case of one route, alternating call by call, so that whatever the machine
 * does at a given moment (another process, CPU steal, a GC) hits both arms of a pair alike; the
 * per-request overhead is the handler's time minus the bare use case's time of the same pair.
 */
async function measureRoute(route: RouteCase, invocations: number) {
  const context = lambdaContext(route.functionName);
  const viaHandler = () => route.handler(route.event, context);
  // The sanity call: a route must be measured on its success path, not on an error response.
  const first = await viaHandler();
  await route.bare();
  for (let index = 0; index < WARM_UP; index++) {
    await viaHandler();
    await route.bare();
  }
  const handlerUs: number[] = [];
  const bareUs: number[] = [];
  for (let index = 0; index < invocations; index++) {
    // Which arm goes first alternates too: the second call of a pair finds warmer caches.
    const [handler, bare] =
      index % 2 === 0
        ? [await timeCall(viaHandler), await timeCall(route.bare)]
        : [await timeCall(route.bare), await timeCall(viaHandler)].reverse();
    handlerUs.push(handler as number);
    bareUs.push(bare as number);
  }
  return { statusCode: first.statusCode, handlerUs, bareUs };
}

/**
 * Part 2: each API handler invoked in-process through its `makeHandler` with in-memory ports,
 * against the use case it wraps with the same ports. The median of the per-request differences
 * (in the quickest of {@link RUNS} runs, see {@link quickestRun}) is what the handler adds: the
 * middy middlewares (Powertools log context, request log line, header normalization, body checks
 * and parsing), path parsing, authentication and authorization, and response serialization. Every
 * route is judged against the same target.
 *
 * `npm run bench` measures each route in a process of its own (`only`: its function's name), as
 * Lambda runs one function per process, so that no route runs on middleware, logger and guard code
 * that V8 optimized for the other routes; in two such processes, judged in the quicker
 * (bench/warm-processes.ts).
 */
export async function measureWarmOverhead(
  log: (message: string) => void,
  invocations = INVOCATIONS,
  only?: string,
): Promise<FigureInput[]> {
  const cases = await routeCases(only);
  const figures: FigureInput[] = [];
  const routes = only === undefined ? ROUTES : ROUTES.filter((route) => route.functionName === only);
  if (routes.length === 0) throw new Error(`no route served by ${only}`);
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const routeCase = cases.find((candidate) => candidate.route === key);
    const target = { kind: 'value-max', max: OVERHEAD_MAX_US, unit: 'µs' } as const;
    const name = `${key} (${route.functionName}) · overhead`;
    if (!routeCase) {
      figures.push({
        section: 'warm-overhead',
        name,
        value: Number.NaN,
        unit: 'µs',
        target,
        why: 'no bench case for this route: add one in bench/warm-routes.ts',
      });
      continue;
    }
    try {
      const { statusCode, handlerUs, bareUs } = await measureRoute(routeCase, invocations);
      const { quickest, all } = quickestRun(handlerUs, bareUs);
      const { handlerUs: handler, bareUs: bare, overheadUs: overhead } = quickest;
      const runs = all.map((run) => run.overheadUs.toFixed(0)).join(', ');
      const ok = statusCode >= 200 && statusCode < 300;
      figures.push({
        section: 'warm-overhead',
        name,
        value: overhead,
        unit: 'µs',
        floor: bare,
        floorName: 'bare use case',
        target,
        why: [
          `handler ${handler.toFixed(1)} µs`,
          `runs ${runs} µs`,
          ok ? '' : `status ${statusCode}: not the success path`,
          overhead > OVERHEAD_MAX_US ? 'see § Notes (warm overhead)' : '',
        ]
          .filter(Boolean)
          .join('; '),
        details: {
          statusCode,
          handlerUs: handler,
          handlerP99Us: percentile(handlerUs, 99),
          bareP99Us: percentile(bareUs, 99),
          runs: all,
          invocations,
        },
      });
      log(`warm overhead: ${key} ${overhead.toFixed(1)} µs`);
    } catch (error) {
      figures.push({
        section: 'warm-overhead',
        name,
        value: Number.NaN,
        unit: 'µs',
        target,
        why: `could not run: ${(error as Error).message}`,
      });
    }
  }
  return figures;
}

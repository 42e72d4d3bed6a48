import { ROUTES } from '../shared/manifest/functions';
import { lambdaContext } from './fakes';
import type { FigureInput } from './report';
import { median, percentile } from './stats';
import { type RouteCase, routeCases } from './warm-routes';

/** Target for every API route: what the handler adds to its use case, median per request. */
export const OVERHEAD_MAX_US = 100;

/** Invocations per route and arm (issue 7: 10,000). */
export const INVOCATIONS = 10_000;
const WARM_UP = 1_000;

async function timeCall(call: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - started) / 1000;
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
  const overheadUs: number[] = [];
  for (let index = 0; index < invocations; index++) {
    // Which arm goes first alternates too: the second call of a pair finds warmer caches.
    const [handler, bare] =
      index % 2 === 0
        ? [await timeCall(viaHandler), await timeCall(route.bare)]
        : [await timeCall(route.bare), await timeCall(viaHandler)].reverse();
    handlerUs.push(handler as number);
    bareUs.push(bare as number);
    overheadUs.push((handler as number) - (bare as number));
  }
  return { statusCode: first.statusCode, handlerUs, bareUs, overheadUs };
}

/**
 * Part 2: each API handler invoked in-process through its `makeHandler` with in-memory ports,
 * against the use case it wraps with the same ports. The median of the per-request differences is what the
 * handler adds: the middy middlewares (Powertools log context, request log line, header
 * normalization, body checks and parsing), path parsing, authentication and authorization, and
 * response serialization. Every route is judged against the same target.
 */
export async function measureWarmOverhead(
  log: (message: string) => void,
  invocations = INVOCATIONS,
): Promise<FigureInput[]> {
  const cases = await routeCases();
  const figures: FigureInput[] = [];
  for (const route of ROUTES) {
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
      const { statusCode, handlerUs, bareUs, overheadUs } = await measureRoute(routeCase, invocations);
      const handler = median(handlerUs);
      const bare = median(bareUs);
      const overhead = median(overheadUs);
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

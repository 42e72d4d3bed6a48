import { beforeAll, describe, expect, it } from 'vitest';
import { functionEnvironment } from '../../../bench/cold-start';
import { lambdaContext } from '../../../bench/fakes';
import type { RouteCase } from '../../../bench/warm-routes';
import { ROUTES } from '../../../shared/manifest/functions';

/*
 * The warm-overhead part of `npm run bench` measures every route on its success path: a route
 * without a case is unmeasured, and a case that answers an error measures the error path. Both
 * fail here, long before anyone reads the bench table.
 */

let cases: RouteCase[];

beforeAll(async () => {
  // What the functions read when their modules load (each builds its real adapters at import).
  for (const [name, value] of Object.entries(functionEnvironment())) process.env[name] ??= value;
  const { routeCases } = await import('../../../bench/warm-routes');
  cases = await routeCases();
}, 60_000);

describe('warm-overhead cases', () => {
  it('has one case for every route of the manifest, and none for a route it lacks', () => {
    const routes = ROUTES.map((route) => `${route.method} ${route.path}`).sort();
    expect(cases.map((routeCase) => routeCase.route).sort()).toEqual(routes);
    for (const route of ROUTES) {
      const routeCase = cases.find((candidate) => candidate.route === `${route.method} ${route.path}`);
      expect(routeCase?.functionName, `${route.method} ${route.path}`).toBe(route.functionName);
    }
  });

  it("builds only one function's cases when asked, as each route's own bench process does", async () => {
    const { routeCases } = await import('../../../bench/warm-routes');
    const only = await routeCases('update-application');
    expect(only.map((routeCase) => routeCase.route)).toEqual(['PUT /v1/applications/{id}']);
    const response = await only[0]?.handler(only[0].event, lambdaContext('update-application'));
    expect(response?.statusCode).toBe(200);
  });

  it.each(ROUTES.map((route) => `${route.method} ${route.path}`))(
    '%s answers 2xx through its handler, twice, and its bare use case resolves',
    async (key) => {
      const routeCase = cases.find((candidate) => candidate.route === key);
      if (!routeCase) throw new Error(`no case for ${key}`);
      const context = lambdaContext(routeCase.functionName);
      // Twice: the bench calls each case thousands of times, so a case must not use itself up.
      for (let call = 0; call < 2; call++) {
        const response = await routeCase.handler(routeCase.event, context);
        expect(response.statusCode, `${key}: ${response.body}`).toBeGreaterThanOrEqual(200);
        expect(response.statusCode, `${key}: ${response.body}`).toBeLessThan(300);
        await routeCase.bare();
      }
    },
  );
});

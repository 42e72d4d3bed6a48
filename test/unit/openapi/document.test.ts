import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS_DIR, PROJECT_ROOT } from '../../../infra/house-function';
import { staleFiles } from '../../../scripts/openapi';
import { ROUTES } from '../../../shared/manifest/functions';
import { CONTRACTS } from '../../../shared/openapi/contracts';
import { contractProblems } from '../../../shared/openapi/document';
import document from '../../../shared/openapi/openapi.json' with { type: 'json' };
import { responseProblems } from '../../support/openapi-validator';

/*
 * The OpenAPI document: generated from the manifest and the route contracts, current in the
 * repository (what GET /v1/openapi.json serves), clean for Redocly's recommended rules, complete,
 * and carried by no function but the one serving it.
 */

type Operation = { security: unknown[]; responses: Record<string, unknown>; 'x-staff-groups'?: string[] };
const paths = document.paths as unknown as Record<string, Record<string, Operation>>;

describe('the OpenAPI document', () => {
  it('is current: npm run openapi writes what the repository holds', async () => {
    // The JSON document, the copy the serving function bundles, and the web client's types.
    expect(await staleFiles(), 'run npm run openapi').toEqual([]);
  });

  it('has every route of the manifest, each with its contract, and nothing else', () => {
    expect(contractProblems()).toEqual([]);
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    expect(CONTRACTS.length).toBe(ROUTES.length);
  });

  it('finds a route without a contract and a contract without a route', () => {
    const [first, ...rest] = CONTRACTS;
    if (!first) throw new Error('no contracts');
    const routes = ROUTES.length;
    expect(routes).toBeGreaterThan(30);
    const entries = CONTRACTS.map((contract) => contract.entry);
    expect(contractProblems(entries, rest)).toEqual([
      `${first.entry.trigger.method} ${first.entry.trigger.path} (${first.entry.name}): 0 contracts`,
    ]);
    expect(contractProblems(entries.slice(1), CONTRACTS)).toEqual([
      `${first.entry.name}: a contract without a route in the manifest`,
    ]);
  });

  it('states who may call each route and the error codes its credentials imply', () => {
    for (const route of ROUTES) {
      const operation = paths[route.path]?.[route.method.toLowerCase()];
      if (!operation) throw new Error(`${route.method} ${route.path} missing`);
      const schemes = operation.security.flatMap((requirement) => Object.keys(requirement as object));
      const expected = {
        public: [],
        merchant: ['merchantToken'],
        staff: ['staffJwt'],
        'merchant-or-staff': ['merchantToken', 'staffJwt'],
      }[route.auth];
      expect(schemes, `${route.method} ${route.path}`).toEqual(expected);
      expect(operation['x-staff-groups'], route.path).toEqual(route.groups);
      expect(Object.keys(operation.responses), route.path).toEqual(
        expect.arrayContaining(
          route.auth === 'public' ? ['429', '500', '503'] : ['401', '429', '500', '503'],
        ),
      );
    }
  });

  it('checks answers: an undocumented status, a wrong body or an error code the route does not answer fail', () => {
    const submit = '/v1/applications/01JD8X4ZQ3M6T0V7W9Y2B5C8EF/submit';
    expect(responseProblems('GET', '/v1/health', 200, { status: 'ok' })).toEqual([]);
    expect(responseProblems('GET', '/v1/health', 200, { status: 'down' })).not.toEqual([]);
    expect(responseProblems('GET', '/v1/health', 418, {})).not.toEqual([]);
    const conflict = (code: string) => ({ error: { code, message: 'm', requestId: 'r' } });
    expect(responseProblems('POST', submit, 409, conflict('INVALID_STATE'))).toEqual([]);
    expect(responseProblems('POST', submit, 409, conflict('ACTIVATION_LOCKED'))).not.toEqual([]);
    expect(responseProblems('POST', '/_local/tokens', 200, {})).toEqual([]);
  });

  it('lints clean with Redocly (npm run lint:openapi)', () => {
    const result = spawnSync('npm', ['run', '--silent', 'lint:openapi'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    // Clean means no error and no warning (Redocly then says so in these words).
    expect(result.stdout + result.stderr).toContain('Your API description is valid');
    expect(result.stdout + result.stderr).not.toMatch(/\d+ warnings?\b/);
  }, 60_000);
});

describe('the generator', () => {
  /** The relative modules a file imports, resolved to repository paths. */
  function importsOf(file: string): string[] {
    const source = readFileSync(join(PROJECT_ROOT, file), 'utf8');
    return [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => {
      const specifier = match[1] as string;
      if (!specifier.startsWith('.')) return specifier;
      const base = resolve(PROJECT_ROOT, dirname(file), specifier);
      const found = ['.ts', '/index.ts', '']
        .map((suffix) => `${base}${suffix}`)
        .find((path) => existsSync(path));
      return relative(PROJECT_ROOT, found ?? base);
    });
  }

  it('is in no function: functions reach neither zod-openapi nor a route contract', () => {
    const functions = readdirSync(FUNCTIONS_DIR)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => relative(PROJECT_ROOT, join(FUNCTIONS_DIR, name)));
    for (const start of functions) {
      const seen = new Set<string>();
      const queue = [start];
      while (queue.length > 0) {
        const file = queue.pop() as string;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const imported of importsOf(file)) {
          expect(imported, `${start} through ${file}`).not.toMatch(
            /^zod-openapi|openapi-typescript|contracts?\.ts$|openapi\/document/,
          );
          if (imported.endsWith('.ts')) queue.push(imported);
        }
      }
    }
  });
});

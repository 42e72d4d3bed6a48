import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS_DIR, PROJECT_ROOT } from '../../../infra/house-function';
import { statusOf } from '../../../shared/errors';
import { GATEWAY_RESPONSES, gatewayResponse, MAX_BODY_BYTES } from '../../../shared/manifest/api';
import { FUNCTIONS, manifestProblems, ROUTES, taskFunctionsOf } from '../../../shared/manifest/functions';
import { PROCESSES } from '../../../shared/manifest/processes';
import type { FunctionEntry } from '../../../shared/manifest/types';

const functionFiles = readdirSync(FUNCTIONS_DIR)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3))
  .sort();

/** Every .ts file under a top-level directory, as [path relative to the repository, source]. */
function sources(directory: string): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts'))
        files.push([relative(PROJECT_ROOT, path), readFileSync(path, 'utf8')]);
    }
  };
  walk(join(PROJECT_ROOT, directory));
  return files;
}

const importsOf = (source: string) =>
  [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] as string);

describe('the function manifest', () => {
  it('has exactly one entry per file under functions/', () => {
    expect(FUNCTIONS.map((entry) => entry.name).sort()).toEqual(functionFiles);
  });

  it('is consistent: groups on staff routes, object kinds on merchant routes, workflows with state machine capabilities', () => {
    expect(manifestProblems()).toEqual([]);
  });

  it('finds what the types cannot say', () => {
    const bad: FunctionEntry[] = [
      { name: 'a', trigger: { kind: 'route', method: 'GET', path: '/v1/a', auth: 'staff' } },
      { name: 'b', trigger: { kind: 'route', method: 'GET', path: '/v1/a', auth: 'merchant' } },
      {
        name: 'd',
        trigger: {
          kind: 'route',
          method: 'GET',
          path: '/v1/d/{id}',
          auth: 'merchant',
          object: 'application',
        },
        table: { read: ['application'] },
      },
      { name: 'c', trigger: { kind: 'task', process: 'onboarding' }, capabilities: ['taskResponse'] },
      { name: 'c', trigger: { kind: 'event', source: 'email-events' }, workflows: ['onboarding'] },
      {
        name: 'Not_Kebab',
        trigger: { kind: 'route', method: 'GET', path: '/v2/x', auth: 'public', groups: ['operator'] },
      },
    ];
    expect(manifestProblems(bad)).toEqual([
      'a: groups are required on staff routes and allowed nowhere else',
      'b: GET /v1/a is served by another function too',
      'b: an object kind is required on merchant routes and allowed nowhere else',
      'd: an application route must write tokenReplay (the guard forgets it)',
      'c: workflows are required with a state machine capability and allowed nowhere else',
      'c: more than one entry',
      'c: workflows are required with a state machine capability and allowed nowhere else',
      'Not_Kebab: not a kebab-case file name',
      'Not_Kebab: /v2/x is outside /v1',
      'Not_Kebab: groups are required on staff routes and allowed nowhere else',
    ]);
  });

  it('names each Task of a process in its ASL file, and nothing else', () => {
    for (const process of PROCESSES) {
      const asl = readFileSync(join(PROJECT_ROOT, process.aslPath), 'utf8');
      const placeholders = [
        ...new Set([...asl.matchAll(/\$\{([A-Za-z0-9]+)Arn\}/g)].map((match) => match[1])),
      ];
      const tasks = taskFunctionsOf(process.name).map((name) =>
        name
          .split('-')
          .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
          .join(''),
      );
      expect(placeholders.sort(), process.name).toEqual([...tasks].sort());
    }
  });

  it('lets every function import its own entry only, never the whole manifest', () => {
    for (const name of functionFiles) {
      const source = readFileSync(join(FUNCTIONS_DIR, `${name}.ts`), 'utf8');
      for (const specifier of importsOf(source).filter((path) => path.includes('/manifest/'))) {
        expect(specifier, name).toMatch(/^\.\.\/shared\/manifest\/(?!functions$|asl$|processes$)[a-z-]+$/);
      }
      const constants = [...source.matchAll(/import \{([^}]*)\} from '\.\.\/shared\/manifest\//g)].flatMap(
        (match) => (match[1] as string).split(',').map((part) => part.trim()),
      );
      for (const constant of constants) expect(constant, name).toBe(name.toUpperCase().replaceAll('-', '_'));
    }
  });

  it('keeps imports pointing down: shared/ and functions/ never import infra/, local/ or bench/', () => {
    for (const [path, source] of [...sources('shared'), ...sources('functions')]) {
      for (const specifier of importsOf(source)) {
        expect(specifier, path).not.toMatch(/(^|\/)(infra|local|bench)(\/|$)/);
      }
    }
  });

  it('has one route per method and path, each served by a function of the manifest', () => {
    const keys = ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('configuration', () => {
  it('reads the environment only in shared/config/ (and the logger and metrics, Powertools-style)', () => {
    const readers = [...sources('shared'), ...sources('functions')]
      .filter(([, source]) => /process\.env\b/.test(source))
      .map(([path]) => path)
      .filter((path) => !path.startsWith('shared/config/'));
    // Like Powertools, the logger and the metrics read their own variables (POWERTOOLS_*, the trace id).
    expect(readers.sort()).toEqual(['shared/logger.ts', 'shared/metrics.ts']);
  });
});

describe('API-wide facts', () => {
  it('answers API Gateway errors with error codes of shared/errors.ts and their statuses', () => {
    expect(GATEWAY_RESPONSES.length).toBeGreaterThan(10);
    expect(gatewayResponse('UNAUTHORIZED')).toEqual({
      type: 'UNAUTHORIZED',
      code: 'UNAUTHENTICATED',
      message: 'Authentication required',
    });
    expect(statusOf(gatewayResponse('REQUEST_TOO_LARGE').code)).toBe(413);
    expect(statusOf(gatewayResponse('DEFAULT_4XX').code)).toBe(400);
  });

  it('has one body limit: 32 KB (spec 4.1)', () => {
    expect(MAX_BODY_BYTES).toBe(32 * 1024);
    const definitions = [...sources('shared'), ...sources('infra'), ...sources('local')].filter(
      ([, source]) => /(?:MAX_BODY_BYTES|MAX_REQUEST_BODY_BYTES)\s*=/.test(source),
    );
    expect(definitions.map(([path]) => path)).toEqual(['shared/manifest/api.ts']);
  });
});

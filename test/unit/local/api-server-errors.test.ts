import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiServer } from '../../../local/api-server';
import { listen } from '../../../local/http';
import { HandlerLoader } from '../../../local/lambda-runtime';
import { LocalStaffAuth } from '../../../local/staff-auth';
import type { RouteDefinition } from '../../../shared/manifest/types';

/*
 * The local API server's own errors, in the error shape of docs/api.md: an unknown path is
 * 404 NOT_FOUND, a known path with another method 405 METHOD_NOT_ALLOWED with an Allow header.
 */

const ROUTES: RouteDefinition[] = [
  { method: 'POST', path: '/v1/things', functionName: 'echo', auth: 'public' },
  { method: 'GET', path: '/v1/things', functionName: 'echo', auth: 'public' },
];

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'api-server-errors-'));
  writeFileSync(
    join(dir, 'echo.mjs'),
    'export const handler = async () => ({ statusCode: 200, body: "{}" });',
  );
  server = createApiServer({
    routes: ROUTES,
    localRoutes: [],
    loader: new HandlerLoader(dir),
    staffAuth: await LocalStaffAuth.create({ stateDir: dir, issuer: 'http://local', audience: 'local' }),
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('local API server errors', () => {
  it('a known path with another method is 405 METHOD_NOT_ALLOWED, naming the allowed methods', async () => {
    const response = await fetch(`${base}/v1/things`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, GET');
    expect(await response.json()).toEqual({
      error: {
        code: 'METHOD_NOT_ALLOWED',
        message: 'DELETE is not allowed on /v1/things (allowed: POST, GET)',
        requestId: expect.any(String),
      },
    });
  });

  it('an unknown path is 404 NOT_FOUND', async () => {
    const response = await fetch(`${base}/v1/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

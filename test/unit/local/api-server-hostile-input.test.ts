import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../../local/api-server';
import { listen } from '../../../local/http';
import { HandlerLoader } from '../../../local/lambda-runtime';
import { LocalStaffAuth } from '../../../local/staff-auth';
import type { RouteDefinition } from '../../../shared/manifest/types';

/*
 * Regressions found by test/security/fuzz-routes.test.ts in the local API gateway:
 * - a query or header named `__proto__` / `constructor` made the event builder call `.push` on
 *   Object.prototype's member: 500 with `{"message": …}` instead of reaching the handler;
 * - a staff route without a valid token answered `{"message": "Unauthorized"}`, not the spec's
 *   error shape that the deployed API's gateway response sends.
 */

const ROUTES: RouteDefinition[] = [
  { method: 'GET', path: '/v1/echo', functionName: 'echo', auth: 'public' },
  { method: 'GET', path: '/v1/staff-echo', functionName: 'echo', auth: 'staff', groups: ['reviewer'] },
];

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'api-server-hostile-'));
  // The handler answers with what it received, to show the keys arrived as plain own keys.
  writeFileSync(
    join(dir, 'echo.mjs'),
    `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({
      query: Object.keys(event.queryStringParameters ?? {}),
      multiQuery: Object.keys(event.multiValueQueryStringParameters ?? {}),
      headers: Object.keys(event.headers).filter((name) => name.startsWith('__') || name === 'constructor'),
    }) });`,
  );
  const staffAuth = await LocalStaffAuth.create({ stateDir: dir, issuer: 'http://local', audience: 'local' });
  server = createApiServer({
    routes: ROUTES,
    localRoutes: [],
    loader: new HandlerLoader(dir),
    staffAuth,
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** One GET over a raw socket, with header lines exactly as given. */
function rawGet(path: string, headerLines: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n${headerLines}\r\n`),
    );
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('end', () =>
      resolve({ status: Number(text.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) }),
    );
  });
}

describe('local API gateway under hostile names', () => {
  it('passes `__proto__` and `constructor` query and header names to the handler as plain keys', async () => {
    // Raw HTTP: fetch itself drops a header named `__proto__`.
    const raw = await rawGet(
      '/v1/echo?__proto__=a&constructor=b&constructor=c&toString=d',
      'constructor: x\r\n__proto__: y\r\n',
    );
    expect(raw.status).toBe(200);
    const body = JSON.parse(raw.body) as { query: string[]; multiQuery: string[]; headers: string[] };
    expect(body.query.sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(body.multiQuery.sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(body.headers.sort()).toEqual(['__proto__', 'constructor']);
  });

  it('answers a staff route without a valid token in the spec error shape', async () => {
    for (const authorization of [undefined, 'Bearer not-a-jwt', 'Bearer a.b.c']) {
      const response = await fetch(`${base}/v1/staff-echo`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'Authentication required', requestId: expect.any(String) },
      });
    }
  });
});

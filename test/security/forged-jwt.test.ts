import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/manifest/functions';
import type { RouteDefinition } from '../../shared/manifest/types';
import { approvedMerchant } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Issue 6, OWASP API2: forged staff JWTs are refused with 401 on every `merchant-or-staff` route
 * (verified by the handler, shared/adapters/jwt-staff-verifier.ts) and on every `staff` route of
 * the local server (its stand-in for API Gateway's Cognito authorizer). The route lists come from
 * the manifest (shared/manifest/), so a new route cannot be missed. Every forgery claims the groups the route
 * needs; the controls show that a genuine token with those groups gets past authentication on the
 * same requests, so each 401 is the forgery's.
 */

let testStack: TestStack;
let issuer: string;
let audience: string;
let poolKey: Awaited<ReturnType<typeof importJWK>>;
let poolKid: string;
let poolPublic: JWK;
let merchantNo: string;
const figures = { routes: 0, forgeries: 0, requests: 0, controls: 0 };

const GUARDED = ROUTES.filter((route) => route.auth === 'merchant-or-staff' || route.auth === 'staff');

function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function claims(groups: readonly string[], overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'forger',
    'cognito:groups': [...groups],
    token_use: 'id',
    iss: issuer,
    aud: audience,
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

/** Signs with the pool's own key: a genuine signature on claims that must still be refused. */
function signWithPool(payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: poolKid, ...header }).sign(poolKey);
}

type Forgery = readonly [name: string, make: (groups: readonly string[]) => Promise<string>];

const FORGERIES: readonly Forgery[] = [
  ['alg none, no signature', async (g) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(g))}.`],
  ['alg None (case), no signature', async (g) => `${b64({ alg: 'None', typ: 'JWT' })}.${b64(claims(g))}.`],
  [
    'signed with a foreign RSA key under the pool kid',
    async (g) => {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims(g)).setProtectedHeader({ alg: 'RS256', kid: poolKid }).sign(privateKey);
    },
  ],
  [
    'foreign key announced in jwk/jku headers',
    async (g) => {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const jwk = await exportJWK(publicKey);
      return new SignJWT(claims(g))
        .setProtectedHeader({ alg: 'RS256', kid: 'attacker', jwk, jku: 'http://127.0.0.1:1/jwks.json' })
        .sign(privateKey);
    },
  ],
  [
    'HS256 keyed with the public key (algorithm confusion)',
    async (g) => {
      const secret = new TextEncoder().encode(JSON.stringify(poolPublic));
      return new SignJWT(claims(g)).setProtectedHeader({ alg: 'HS256', kid: poolKid }).sign(secret);
    },
  ],
  [
    'genuine token with groups changed after signing',
    async (g) => {
      const [header, , signature] = (await signWithPool(claims(['none-of-them']))).split('.');
      return `${header}.${b64(claims(g))}.${signature}`;
    },
  ],
  [
    'genuine token with sub changed after signing',
    async (g) => {
      const [header, payload, signature] = (await signWithPool(claims(g))).split('.');
      const changed = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), sub: 'admin' };
      return `${header}.${b64(changed)}.${signature}`;
    },
  ],
  [
    'genuine token without its signature',
    async (g) => {
      const [header, payload] = (await signWithPool(claims(g))).split('.');
      return `${header}.${payload}.`;
    },
  ],
  ['expired (pool key)', (g) => signWithPool(claims(g, { exp: Math.floor(Date.now() / 1000) - 120 }))],
  ['not yet valid (pool key)', (g) => signWithPool(claims(g, { nbf: Math.floor(Date.now() / 1000) + 3600 }))],
  [
    'wrong issuer (pool key)',
    (g) => signWithPool(claims(g, { iss: 'https://cognito-idp.example.com/other' })),
  ],
  ['wrong audience (pool key)', (g) => signWithPool(claims(g, { aud: 'another-client' }))],
  ['three garbage segments', async () => 'eyJhbGciOiJSUzI1NiJ9.e30.AAAA'],
];

/** The merchant-or-staff routes' `token_use` rule only the handler checks (Cognito access tokens). */
const HANDLER_ONLY: readonly Forgery[] = [
  ['access token instead of ID token (pool key)', (g) => signWithPool(claims(g, { token_use: 'access' }))],
];

function requestFor(route: RouteDefinition): { path: string; body?: unknown } {
  const params: Record<string, string> = {
    merchantNo,
    id: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
    taskId: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF-1',
    sn: 'FORGED0001',
  };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? 'x');
  // Bodies the routes would refuse as invalid: a genuine control never changes anything.
  return { path, body: route.method === 'GET' ? undefined : { probe: true } };
}

beforeAll(async () => {
  testStack = await startTestStack('forged-jwt', {
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  });
  const env = testStack.stack.env;
  issuer = env.STAFF_JWT_ISSUER ?? '';
  audience = env.STAFF_JWT_AUDIENCE ?? '';
  expect(issuer).not.toBe('');
  const privateJwk = JSON.parse(
    readFileSync(join(testStack.stack.stateDir, 'staff-jwt-key.json'), 'utf8'),
  ) as JWK;
  poolKid = privateJwk.kid ?? '';
  poolKey = await importJWK(privateJwk, 'RS256');
  poolPublic = { kty: privateJwk.kty, n: privateJwk.n, e: privateJwk.e, kid: poolKid };
  ({ merchantNo } = await approvedMerchant(testStack.api, testStack.reviewer));
}, 120_000);

afterAll(async () => {
  console.info(`forged JWT figures: ${JSON.stringify(figures)}`);
  await testStack?.stop();
});

describe('forged staff JWTs', () => {
  it('the route lists are not empty', () => {
    expect(GUARDED.filter((route) => route.auth === 'merchant-or-staff').length).toBeGreaterThanOrEqual(3);
    expect(GUARDED.filter((route) => route.auth === 'staff').length).toBeGreaterThanOrEqual(10);
  });

  it.each(GUARDED.map((route) => [`${route.auth} ${route.method} ${route.path}`, route] as const))(
    '%s: every forgery → 401; a genuine token with the same groups passes authentication',
    async (_name, route) => {
      figures.routes += 1;
      const groups = route.groups ?? [];
      const { path, body } = requestFor(route);
      const forgeries = route.auth === 'merchant-or-staff' ? [...FORGERIES, ...HANDLER_ONLY] : FORGERIES;
      for (const [name, make] of forgeries) {
        const token = await make(groups);
        const res = await testStack.api.call(route.method, path, { token, body });
        figures.forgeries += 1;
        figures.requests += 1;
        expect(res.status, `${name}: ${JSON.stringify(res.json)}`).toBe(401);
        expect(res.json.error.code).toBe('UNAUTHENTICATED');
      }
      const genuine = await testStack.api.staffToken('genuine', [...groups]);
      const control = await testStack.api.call(route.method, path, { token: genuine, body });
      figures.controls += 1;
      expect(control.status, `control: ${JSON.stringify(control.json)}`).not.toBe(401);
      expect(control.status).not.toBe(403);
      if (route.functionName === 'get-merchant') expect(control.status).toBe(200);
    },
    60_000,
  );
});

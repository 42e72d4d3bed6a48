import { createHash, randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEB_DIR, ensureWebBuilt } from '../../local/web-build';
import { createWebStatic } from '../../local/web-static';
import { type ConsoleRuntimeConfig, cognitoHostedUiSignIn } from '../../web/runtime-config';
import { startTestStack, type TestStack } from '../support/test-stack';
import { checkPage, launchChromium, openPage } from './support/browser';

/*
 * How staff sign in to the console, in a real Chromium:
 * - under `npm run dev` (the local stack's `config.json`), the "Sign in" form with a user name and a
 *   role, as before;
 * - deployed (`config.json` naming an OpenID Connect provider), authorization code + PKCE: the
 *   console, served here by the same static server with such a config, goes to a provider on
 *   127.0.0.1 that does what the Cognito Hosted UI does with a code (binds it to the S256 challenge,
 *   issues tokens only for the matching verifier), comes back, exchanges the code from the browser
 *   under the console's CSP, calls the API with the ID token, and signs out at the provider. A
 *   callback this tab did not ask for is refused.
 */

let testStack: TestStack;
let browser: Browser;
let apiBase: string;

/** What the provider saw. */
const seen = {
  authorize: [] as URLSearchParams[],
  token: [] as URLSearchParams[],
  revoke: [] as URLSearchParams[],
  logout: [] as URLSearchParams[],
};
const codes = new Map<string, { challenge: string; redirectUri: string }>();
let idp: Server;
let idpBase: string;
let host: Server;
let hostBase: string;

const CLIENT_ID = 'console-client';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function bodyOf(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += (chunk as Buffer).toString('utf8');
  return new URLSearchParams(text);
}

/** The provider: authorize (a code bound to the challenge), token (PKCE-checked), revoke, logout. */
async function handleProvider(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', idpBase);
  const cors = { 'Access-Control-Allow-Origin': hostBase, Vary: 'Origin' };
  if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
    seen.authorize.push(url.searchParams);
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    const valid =
      url.searchParams.get('response_type') === 'code' &&
      url.searchParams.get('client_id') === CLIENT_ID &&
      url.searchParams.get('code_challenge_method') === 'S256' &&
      /^[A-Za-z0-9_-]{43}$/.test(url.searchParams.get('code_challenge') ?? '') &&
      redirectUri === `${hostBase}/console/`;
    if (!valid) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('invalid_request');
      return;
    }
    // The person signs in here (password, TOTP); the provider then sends the browser back.
    const code = randomUUID();
    codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { Location: back.toString() }).end();
    return;
  }
  if (req.method === 'POST' && url.pathname === '/oauth2/token') {
    const form = await bodyOf(req);
    seen.token.push(form);
    const issued = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const matches =
      issued !== undefined &&
      form.get('grant_type') === 'authorization_code' &&
      form.get('client_id') === CLIENT_ID &&
      form.get('redirect_uri') === issued.redirectUri &&
      createHash('sha256').update(verifier, 'ascii').digest('base64url') === issued.challenge;
    if (!matches) {
      res.writeHead(400, { ...cors, 'Content-Type': 'application/json' }).end('{"error":"invalid_grant"}');
      return;
    }
    // An ID token the local API accepts, as the pool's would be in AWS.
    const idToken = await testStack.api.staffToken('wang.fang', ['reviewer']);
    res.writeHead(200, { ...cors, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(
      JSON.stringify({
        id_token: idToken,
        access_token: 'unused',
        refresh_token: 'refresh-1',
        token_type: 'Bearer',
        expires_in: 300,
      }),
    );
    return;
  }
  if (req.method === 'POST' && url.pathname === '/oauth2/revoke') {
    seen.revoke.push(await bodyOf(req));
    res.writeHead(200, cors).end();
    return;
  }
  if (req.method === 'GET' && url.pathname === '/logout') {
    seen.logout.push(url.searchParams);
    res.writeHead(302, { Location: url.searchParams.get('logout_uri') ?? '/' }).end();
    return;
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  await ensureWebBuilt();
  [testStack, browser] = await Promise.all([startTestStack('e2e-sign-in', {}), launchChromium()]);
  apiBase = testStack.stack.urls.api;

  idp = createServer((req, res) => {
    handleProvider(req, res).catch(() => res.writeHead(500).end());
  });
  idpBase = await listen(idp);

  // The console as deployed: the built files with a provider's config.json and the CSP allowing
  // its token endpoint, and /v1 on the same origin (here forwarded to the local API).
  const config: ConsoleRuntimeConfig = { signIn: cognitoHostedUiSignIn(idpBase, CLIENT_ID) };
  const web = createWebStatic({
    rootDir: DEFAULT_WEB_DIR,
    documentsOrigin: testStack.stack.urls.s3,
    consoleConfig: config,
    connectOrigins: [idpBase],
  });
  host = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (web.handles(url.pathname)) {
      void web.serve(req, res, url);
      return;
    }
    if (!url.pathname.startsWith('/v1/')) {
      res.writeHead(404).end();
      return;
    }
    const target = new URL(`${url.pathname}${url.search}`, apiBase);
    const forward = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  hostBase = await listen(host);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([idp, host].map((server) => server && new Promise((resolve) => server.close(resolve))));
  await testStack?.stop();
});

describe('signing in to the staff console', () => {
  it('uses the local "Sign in" form under npm run dev: user and role, a token from /_local/tokens', async () => {
    expect(await (await fetch(`${apiBase}/console/config.json`)).json()).toEqual({
      signIn: { kind: 'local' },
    });
    const tab = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const { page } = tab;
    await page.goto(`${apiBase}/console/?lang=en`);
    await page.getByRole('textbox', { name: 'User' }).fill('li.lei');
    await page.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Reviewer' });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('table', { name: 'Review queue' }).waitFor();
    await expect.poll(() => page.locator('.whoami').textContent()).toContain('li.lei');
    await checkPage(tab, 'queue after local sign-in');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('textbox', { name: 'User' }).waitFor();
    // A local session has nothing to end elsewhere: the page stays on the console.
    expect(new URL(page.url()).origin).toBe(apiBase);
    await tab.close();
  }, 120_000);

  it('signs in at an OIDC provider with authorization code + PKCE, calls the API with the ID token, and signs out there', async () => {
    const tab = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const { page } = tab;
    await page.goto(`${hostBase}/console/?lang=en#/queue`);
    const signIn = page.getByRole('button', { name: 'Sign in' });
    await signIn.waitFor();
    expect(await page.getByRole('textbox', { name: 'User' }).count()).toBe(0);
    await checkPage(tab, 'provider sign-in page');

    await signIn.click();
    await page.getByRole('table', { name: 'Review queue' }).waitFor();
    await expect.poll(() => page.locator('.whoami').textContent()).toContain('wang.fang');
    // Back where the person started, without the provider's parameters.
    const url = new URL(page.url());
    expect(`${url.origin}${url.pathname}${url.search}${url.hash}`).toBe(
      `${hostBase}/console/?lang=en#/queue`,
    );
    expect(seen.authorize).toHaveLength(1);
    expect(seen.authorize[0]?.get('scope')).toBe('openid email profile');
    // The provider issued tokens, so the verifier the browser sent hashes to the challenge.
    expect(seen.token).toHaveLength(1);
    expect(seen.token[0]?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(seen.authorize[0]?.toString()).not.toContain(seen.token[0]?.get('code_verifier') ?? '');
    const storage = await page.evaluate(() => Object.keys(window.sessionStorage));
    expect(storage).toEqual(['pos-console.session']);
    // The token exchange ran under the console's CSP (connect-src allows the provider): no violation.
    await checkPage(tab, 'queue after provider sign-in');

    await page.getByRole('button', { name: 'Sign out' }).click();
    // Back from the provider's logout at the registered address (no query: the default language).
    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(page.url()).toBe(`${hostBase}/console/`);
    expect(seen.revoke.map((form) => Object.fromEntries(form))).toEqual([
      { client_id: CLIENT_ID, token: 'refresh-1' },
    ]);
    expect(seen.logout.map((query) => Object.fromEntries(query))).toEqual([
      { client_id: CLIENT_ID, logout_uri: `${hostBase}/console/` },
    ]);
    expect(await page.evaluate(() => window.sessionStorage.getItem('pos-console.session'))).toBeNull();
    await tab.close();
  }, 120_000);

  it('refuses a sign-in answer this tab did not ask for, without exchanging its code', async () => {
    const tab = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const { page } = tab;
    const exchanges = seen.token.length;
    await page.goto(`${hostBase}/console/?lang=en&code=stolen-code&state=forged-state`);
    await page.getByText('This sign-in answer does not belong to this tab').waitFor();
    expect(seen.token).toHaveLength(exchanges);
    expect(new URL(page.url()).search).toBe('?lang=en');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await tab.close();
  }, 60_000);
});

import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  base64Url,
  beginSignIn,
  challengeOf,
  completeSignIn,
  createVerifier,
  isCallback,
  type KeyValueStorage,
  logoutUrl,
  refreshTokens,
  SignInError,
  withoutCallbackParameters,
} from '../../../web/console/src/pkce';
import {
  cognitoHostedUiSignIn,
  LOCAL_CONSOLE_CONFIG,
  type OidcSignIn,
  parseConsoleConfig,
} from '../../../web/runtime-config';

/** RFC 7636 appendix B: the 32 octets, the verifier they encode to, and its S256 challenge. */
const RFC_OCTETS = [
  116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
  240, 91, 88, 5, 88, 83, 132, 141, 121,
];
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

/**
 * A token endpoint on 127.0.0.1 that does what a provider does with a PKCE code: it knows the
 * challenge sent with the authorization request and issues tokens only for the verifier whose
 * SHA-256 it is.
 */
let server: Server;
let tokenEndpoint: string;
const issuedCodes = new Map<string, string>();
const received: URLSearchParams[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      received.push(form);
      const answer = (status: number, json: object) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (form.get('grant_type') === 'refresh_token') {
        if (form.get('refresh_token') === 'refresh-1')
          answer(200, { id_token: 'id-2', token_type: 'Bearer' });
        else answer(400, { error: 'invalid_grant' });
        return;
      }
      const challenge = issuedCodes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
      if (form.get('grant_type') !== 'authorization_code' || !challenge || computed !== challenge) {
        answer(400, { error: 'invalid_grant' });
        return;
      }
      answer(200, {
        id_token: 'id-1',
        refresh_token: 'refresh-1',
        access_token: 'access-1',
        token_type: 'Bearer',
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tokenEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  issuedCodes.clear();
});

const REDIRECT_URI = 'https://console.example.com/console/';

function provider(): OidcSignIn {
  return { ...cognitoHostedUiSignIn('https://staff.auth.example.com', 'console-client'), tokenEndpoint };
}

/** What the provider does after the person signs in: a code bound to the request's challenge. */
function providerRedirect(authorizeUrl: string, code = 'code-1'): URL {
  const request = new URL(authorizeUrl);
  issuedCodes.set(code, request.searchParams.get('code_challenge') ?? '');
  const back = new URL(request.searchParams.get('redirect_uri') ?? '');
  back.searchParams.set('code', code);
  back.searchParams.set('state', request.searchParams.get('state') ?? '');
  return back;
}

describe('PKCE (RFC 7636)', () => {
  it('encodes the verifier and derives the S256 challenge of the RFC’s appendix B example', async () => {
    expect(base64Url(Uint8Array.from(RFC_OCTETS))).toBe(RFC_VERIFIER);
    expect(await challengeOf(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it('makes 43-character verifiers of the unreserved set, a new one each time, and refuses short ones', async () => {
    const verifiers = new Set(Array.from({ length: 50 }, createVerifier));
    expect(verifiers.size).toBe(50);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9\-_]{43}$/);
    await expect(challengeOf('too-short')).rejects.toThrow(/43-128/);
  });

  it('sends the browser to the authorization endpoint with the code flow, the S256 challenge and a state', async () => {
    const storage = new MemoryStorage();
    const url = new URL(
      await beginSignIn(provider(), { redirectUri: REDIRECT_URI, returnTo: '?lang=en#/queue', storage }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://staff.auth.example.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'console-client',
      redirect_uri: REDIRECT_URI,
      scope: 'openid email profile',
      state: expect.stringMatching(/^[A-Za-z0-9\-_]{22}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9\-_]{43}$/),
      code_challenge_method: 'S256',
    });
    // The verifier stays in the tab: only its challenge leaves.
    const stored = [...storage.items.values()].join('');
    expect(url.toString()).not.toContain(JSON.parse(stored).verifier);
    expect(await challengeOf(JSON.parse(stored).verifier)).toBe(url.searchParams.get('code_challenge'));
  });

  it('exchanges the code with the verifier and gives back the tokens and the page to return to', async () => {
    const storage = new MemoryStorage();
    const authorize = await beginSignIn(provider(), {
      redirectUri: REDIRECT_URI,
      returnTo: '#/cases/1',
      storage,
    });
    const callback = providerRedirect(authorize);
    expect(isCallback(callback)).toBe(true);
    const tokens = await completeSignIn(provider(), callback, { redirectUri: REDIRECT_URI, storage });
    expect(tokens).toEqual({ idToken: 'id-1', refreshToken: 'refresh-1', returnTo: '#/cases/1' });
    expect(Object.fromEntries(received[0] ?? [])).toEqual({
      client_id: 'console-client',
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: REDIRECT_URI,
      code_verifier: expect.stringMatching(/^[A-Za-z0-9\-_]{43}$/),
    });
    expect(storage.items.size).toBe(0);
    expect(withoutCallbackParameters(callback).toString()).toBe(REDIRECT_URI);
  });

  it('refuses a callback whose state is not the one this tab sent, without calling the token endpoint', async () => {
    const storage = new MemoryStorage();
    const authorize = await beginSignIn(provider(), { redirectUri: REDIRECT_URI, returnTo: '', storage });
    const forged = providerRedirect(authorize);
    forged.searchParams.set('state', 'an-attackers-state');
    const attempt = completeSignIn(provider(), forged, { redirectUri: REDIRECT_URI, storage });
    await expect(attempt).rejects.toBeInstanceOf(SignInError);
    await expect(attempt).rejects.toMatchObject({ reason: 'state' });
    expect(received).toHaveLength(0);
    // The pending sign-in is used up: even the genuine answer now finds nothing to match.
    const genuine = providerRedirect(authorize, 'code-2');
    await expect(
      completeSignIn(provider(), genuine, { redirectUri: REDIRECT_URI, storage }),
    ).rejects.toMatchObject({ reason: 'state' });
    expect(received).toHaveLength(0);
  });

  it('refuses a callback in a tab that started no sign-in', async () => {
    const callback = new URL(`${REDIRECT_URI}?code=code-1&state=anything`);
    await expect(
      completeSignIn(provider(), callback, { redirectUri: REDIRECT_URI, storage: new MemoryStorage() }),
    ).rejects.toMatchObject({ reason: 'state' });
    expect(received).toHaveLength(0);
  });

  it('reports the provider’s error answer, and a code the token endpoint refuses', async () => {
    const storage = new MemoryStorage();
    const denied = new URL(
      await beginSignIn(provider(), { redirectUri: REDIRECT_URI, returnTo: '', storage }),
    );
    const back = new URL(`${REDIRECT_URI}?error=access_denied&state=${denied.searchParams.get('state')}`);
    await expect(
      completeSignIn(provider(), back, { redirectUri: REDIRECT_URI, storage }),
    ).rejects.toMatchObject({
      reason: 'provider',
    });

    const authorize = await beginSignIn(provider(), { redirectUri: REDIRECT_URI, returnTo: '', storage });
    const callback = providerRedirect(authorize);
    issuedCodes.set('code-1', 'a-challenge-of-another-verifier');
    await expect(
      completeSignIn(provider(), callback, { redirectUri: REDIRECT_URI, storage }),
    ).rejects.toMatchObject({
      reason: 'token',
      message: expect.stringContaining('invalid_grant'),
    });
  });

  it('refreshes with the refresh token, and fails cleanly on a refused one', async () => {
    await expect(refreshTokens(provider(), 'refresh-1')).resolves.toEqual({ idToken: 'id-2' });
    await expect(refreshTokens(provider(), 'revoked')).rejects.toMatchObject({ reason: 'token' });
  });

  it('ends the Cognito session with logout_uri, and an OIDC provider’s with post_logout_redirect_uri', () => {
    expect(logoutUrl(provider(), REDIRECT_URI)).toBe(
      `https://staff.auth.example.com/logout?client_id=console-client&logout_uri=${encodeURIComponent(REDIRECT_URI)}`,
    );
    const oidc: OidcSignIn = {
      ...provider(),
      logout: { endpoint: 'https://idp.example.cn/logout', redirectParameter: 'post_logout_redirect_uri' },
    };
    expect(new URL(logoutUrl(oidc, REDIRECT_URI) ?? '').searchParams.get('post_logout_redirect_uri')).toBe(
      REDIRECT_URI,
    );
    expect(logoutUrl({ ...provider(), logout: undefined }, REDIRECT_URI)).toBeUndefined();
  });
});

describe('the console’s config.json', () => {
  it('accepts the local form and a Cognito Hosted UI or another OIDC provider', () => {
    expect(parseConsoleConfig(LOCAL_CONSOLE_CONFIG)).toEqual(LOCAL_CONSOLE_CONFIG);
    const cognito = {
      signIn: cognitoHostedUiSignIn('https://staff.auth.ap-southeast-1.amazoncognito.com/', 'abc'),
    };
    expect(parseConsoleConfig(cognito).signIn).toMatchObject({
      kind: 'oidc',
      tokenEndpoint: 'https://staff.auth.ap-southeast-1.amazoncognito.com/oauth2/token',
      groupsClaim: 'cognito:groups',
    });
    const acquirerIdp = {
      signIn: {
        kind: 'oidc',
        authorizationEndpoint: 'https://idp.example.cn/oauth2/authorize',
        tokenEndpoint: 'https://idp.example.cn/oauth2/token',
        clientId: 'merchant-onboarding',
        scopes: ['openid', 'profile'],
        groupsClaim: 'groups',
      },
    };
    expect(parseConsoleConfig(acquirerIdp)).toEqual(acquirerIdp);
  });

  it('refuses a plain-http endpoint, scopes without openid, an unknown kind, naming the field', () => {
    const good = cognitoHostedUiSignIn('https://staff.auth.example.com', 'abc');
    expect(() =>
      parseConsoleConfig({ signIn: { ...good, tokenEndpoint: 'http://idp.example.com/token' } }),
    ).toThrow(/signIn\.tokenEndpoint/);
    expect(() =>
      parseConsoleConfig({ signIn: { ...good, tokenEndpoint: 'http://idp.127.0.0.1.example/token' } }),
    ).toThrow(/must be an https URL/);
    // Plain http only on the loopback address, where a local test runs its provider.
    expect(
      parseConsoleConfig({ signIn: { ...good, tokenEndpoint: 'http://127.0.0.1:8443/token' } }).signIn,
    ).toMatchObject({ tokenEndpoint: 'http://127.0.0.1:8443/token' });
    expect(() => parseConsoleConfig({ signIn: { ...good, scopes: ['email'] } })).toThrow(/openid/);
    expect(() => parseConsoleConfig({ signIn: { kind: 'password' } })).toThrow(/signIn/);
    expect(() => parseConsoleConfig('local')).toThrow(/config\.json/);
  });
});

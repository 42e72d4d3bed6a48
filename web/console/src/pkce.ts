/**
 * OpenID Connect authorization code flow with PKCE (RFC 7636, method S256) for the console, a
 * public client: no secret, so the code is bound to this tab by a one-time verifier whose SHA-256
 * the provider saw in the authorization request. The verifier and the `state` live in the tab's
 * session storage until the provider redirects back; a callback whose `state` is not the one this
 * tab sent is refused (a forged or replayed redirect), and each pending sign-in is used once.
 *
 * Pure functions of Web Crypto, `fetch` and a storage, so the unit tests run them as the browser does.
 */
import * as z from 'zod/mini';
import type { OidcSignIn } from '../../runtime-config';

/** The part of `sessionStorage` this module uses. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What the tab remembers between the redirect to the provider and the way back. */
interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  /** The console's hash route to return to (`#/cases/…`). */
  readonly returnTo: string;
  /** Epoch milliseconds; an older pending sign-in is discarded. */
  readonly createdAt: number;
}

const PENDING_KEY = 'pos-console.pending-sign-in';
/** How long a sign-in at the provider may take (password, MFA) before the tab forgets it. */
const PENDING_MAX_AGE_MS = 15 * 60_000;
/** 32 random octets: a 43-character verifier, the RFC's recommendation (256 bits of entropy). */
const VERIFIER_OCTETS = 32;
const STATE_OCTETS = 16;

/** Why a sign-in did not complete. */
export type SignInFailure =
  /** The callback's `state` is not the one this tab sent (or nothing was pending): refused. */
  | 'state'
  /** The provider answered the authorization request with an error (e.g. `access_denied`). */
  | 'provider'
  /** The token endpoint refused the code or the refresh token, or answered something else. */
  | 'token';

/** A sign-in or refresh that did not complete, and why. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Base64url without padding (RFC 7636 appendix A). */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomToken(octets: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(octets)));
}

/** A fresh code verifier: 43 characters of the unreserved set, from 32 random octets. */
export function createVerifier(): string {
  return randomToken(VERIFIER_OCTETS);
}

/** The S256 code challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier))). */
export async function challengeOf(verifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier))
    throw new Error('A code verifier is 43-128 unreserved characters');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/**
 * Starts a sign-in: remembers a new verifier and state in `storage` and returns the authorization
 * URL to send the browser to.
 */
export async function beginSignIn(
  config: OidcSignIn,
  options: { readonly redirectUri: string; readonly returnTo: string; readonly storage: KeyValueStorage },
): Promise<string> {
  const pending: PendingSignIn = {
    state: randomToken(STATE_OCTETS),
    verifier: createVerifier(),
    returnTo: options.returnTo,
    createdAt: Date.now(),
  };
  options.storage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(config.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('scope', config.scopes.join(' '));
  url.searchParams.set('state', pending.state);
  url.searchParams.set('code_challenge', await challengeOf(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** Whether `url` is the provider's redirect back (a code or an error, with a state). */
export function isCallback(url: URL): boolean {
  return url.searchParams.has('state') && (url.searchParams.has('code') || url.searchParams.has('error'));
}

/** The URL without the callback's parameters (what the address bar should show afterwards). */
export function withoutCallbackParameters(url: URL): URL {
  const clean = new URL(url);
  for (const name of ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'])
    clean.searchParams.delete(name);
  return clean;
}

/** The tokens of a successful exchange or refresh. */
export interface TokenSet {
  readonly idToken: string;
  /** Absent when the provider issues none (or does not rotate it on refresh). */
  readonly refreshToken?: string;
}

const tokenResponse = z.object({
  id_token: z.string().check(z.minLength(1)),
  refresh_token: z.optional(z.string()),
  token_type: z.optional(z.string()),
});

async function postToken(
  config: OidcSignIn,
  parameters: Record<string, string>,
  fetchImpl: typeof fetch,
): Promise<TokenSet> {
  let response: Response;
  try {
    response = await fetchImpl(config.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ client_id: config.clientId, ...parameters }).toString(),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new SignInError('token', 'The token endpoint could not be reached');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const code = z.safeParse(z.object({ error: z.string() }), body);
    throw new SignInError(
      'token',
      `The token endpoint refused: ${code.success ? code.data.error : response.status}`,
    );
  }
  const parsed = z.safeParse(tokenResponse, body);
  if (!parsed.success) throw new SignInError('token', 'The token endpoint answered without an ID token');
  return {
    idToken: parsed.data.id_token,
    ...(parsed.data.refresh_token ? { refreshToken: parsed.data.refresh_token } : {}),
  };
}

/**
 * Completes a sign-in from the provider's redirect: checks that `state` is the one this tab sent
 * (the pending sign-in is consumed whatever the outcome), then exchanges the code and the verifier
 * at the token endpoint.
 *
 * @throws SignInError `state` for a callback this tab did not ask for, `provider` for an error
 *   answer, `token` when the exchange fails
 */
export async function completeSignIn(
  config: OidcSignIn,
  callbackUrl: URL,
  options: { readonly redirectUri: string; readonly storage: KeyValueStorage; readonly fetch?: typeof fetch },
): Promise<TokenSet & { readonly returnTo: string }> {
  const pending = takePending(options.storage);
  const state = callbackUrl.searchParams.get('state');
  if (!pending || state === null || !sameString(state, pending.state))
    throw new SignInError('state', 'The sign-in answer does not belong to this tab');
  const error = callbackUrl.searchParams.get('error');
  if (error !== null) throw new SignInError('provider', `The identity provider answered ${error}`);
  const code = callbackUrl.searchParams.get('code');
  if (!code) throw new SignInError('provider', 'The identity provider answered without a code');
  const tokens = await postToken(
    config,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: options.redirectUri,
      code_verifier: pending.verifier,
    },
    options.fetch ?? fetch,
  );
  return { ...tokens, returnTo: pending.returnTo };
}

/** New tokens for a refresh token (the provider may or may not rotate the refresh token). */
export function refreshTokens(
  config: OidcSignIn,
  refreshToken: string,
  fetchImpl: typeof fetch = fetch,
): Promise<TokenSet> {
  return postToken(config, { grant_type: 'refresh_token', refresh_token: refreshToken }, fetchImpl);
}

/** Revokes a refresh token at sign-out (RFC 7009), where the provider has a revocation endpoint. */
export async function revokeRefreshToken(
  config: OidcSignIn,
  refreshToken: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  if (!config.revocationEndpoint) return;
  await fetchImpl(config.revocationEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.clientId, token: refreshToken }).toString(),
    credentials: 'omit',
  }).catch(() => undefined);
}

/** Where to send the browser to end the provider's session, or `undefined` if it has no logout. */
export function logoutUrl(config: OidcSignIn, redirectUri: string): string | undefined {
  if (!config.logout) return undefined;
  const url = new URL(config.logout.endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set(config.logout.redirectParameter, redirectUri);
  return url.toString();
}

function takePending(storage: KeyValueStorage): PendingSignIn | undefined {
  const text = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (text === null) return undefined;
  try {
    const pending = JSON.parse(text) as Partial<PendingSignIn>;
    if (
      typeof pending.state !== 'string' ||
      typeof pending.verifier !== 'string' ||
      typeof pending.createdAt !== 'number' ||
      Date.now() - pending.createdAt > PENDING_MAX_AGE_MS
    )
      return undefined;
    return {
      state: pending.state,
      verifier: pending.verifier,
      returnTo: typeof pending.returnTo === 'string' ? pending.returnTo : '',
      createdAt: pending.createdAt,
    };
  } catch {
    return undefined;
  }
}

/** Compares without an early exit on the first differing character. */
function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

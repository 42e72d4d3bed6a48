import { clearSession, readSession, writeSession } from '../../common/session';
import type { OidcSignIn } from '../../runtime-config';
import { consoleBaseUrl, loadConsoleConfig } from './console-config';
import { logoutUrl, refreshTokens, revokeRefreshToken, type TokenSet } from './pkce';

/** The signed-in staff member of this tab (session storage only). */
export interface StaffSession {
  /** The ID token the API is called with. */
  readonly token: string;
  readonly sub: string;
  /** What the top bar shows: the user name (or email) where the token names one, else `sub`. */
  readonly name?: string;
  readonly groups: readonly string[];
  /** Epoch seconds of the token's `exp`. */
  readonly expiresAt: number;
  /**
   * The refresh token of a session from an identity provider: the ID token lives minutes (5 with
   * Cognito), so the tab gets a new one before it expires. Session storage only, like the token.
   */
  readonly refreshToken?: string;
}

const KEY = 'pos-console.session';
/** Refresh this long before the ID token expires. */
const REFRESH_MARGIN_SECONDS = 60;

/** The JWT's payload claims, read without verifying (the API verifies every request). */
function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function expiryOf(claims: Record<string, unknown>): number {
  return typeof claims.exp === 'number' ? claims.exp : Math.floor(Date.now() / 1000) + 3600;
}

/** A session from a fresh token of the local stack (the local "Sign in" form). */
export function sessionFromToken(
  token: string,
  fallbackSub: string,
  groups: readonly string[],
): StaffSession {
  const claims = claimsOf(token);
  const sub = typeof claims.sub === 'string' ? claims.sub : fallbackSub;
  return { token, sub, groups, expiresAt: expiryOf(claims) };
}

/** A session from the tokens of an identity provider; the groups are in the claim `groupsClaim`. */
export function sessionFromTokens(tokens: TokenSet, groupsClaim: string): StaffSession {
  const claims = claimsOf(tokens.idToken);
  const raw = claims[groupsClaim];
  const groups = Array.isArray(raw)
    ? raw.filter((group): group is string => typeof group === 'string')
    : typeof raw === 'string'
      ? raw.split(/[\s,]+/).filter(Boolean)
      : [];
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const name = [claims['cognito:username'], claims.preferred_username, claims.email].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  return {
    token: tokens.idToken,
    sub,
    ...(name ? { name } : {}),
    groups,
    expiresAt: expiryOf(claims),
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
  };
}

/** The newest stored state of the tab's session; the object the app holds reads through it. */
let latest: StaffSession | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * The session object the app keeps for the whole sign-in: its `token` and `expiresAt` read the
 * newest refreshed values, so a refresh changes no page state (pages call the API with
 * `session.token` when they call it).
 */
function live(session: StaffSession): StaffSession {
  latest = session;
  return {
    get token() {
      return latest?.token ?? session.token;
    },
    get expiresAt() {
      return latest?.expiresAt ?? session.expiresAt;
    },
    sub: session.sub,
    ...(session.name ? { name: session.name } : {}),
    groups: session.groups,
  };
}

/** The stored session, unless it has expired; a session with a refresh token is kept fresh. */
export function loadSession(): StaffSession | undefined {
  const session = readSession<StaffSession>(KEY);
  if (!session || typeof session.token !== 'string') return undefined;
  if (session.expiresAt * 1000 <= Date.now()) {
    clearSession(KEY);
    return undefined;
  }
  scheduleRefresh(session);
  return live(session);
}

/** Stores a new session for this tab and returns the object the app should hold. */
export function saveSession(session: StaffSession): StaffSession {
  writeSession(KEY, session);
  scheduleRefresh(session);
  return live(session);
}

function scheduleRefresh(session: StaffSession): void {
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = undefined;
  if (!session.refreshToken) return;
  const delayMs = Math.max(5_000, (session.expiresAt - REFRESH_MARGIN_SECONDS) * 1000 - Date.now());
  refreshTimer = setTimeout(() => void refresh(session), delayMs);
}

async function refresh(session: StaffSession): Promise<void> {
  const signIn = await oidcSignIn();
  if (!signIn || !session.refreshToken || latest?.sub !== session.sub) return;
  try {
    const tokens = await refreshTokens(signIn, session.refreshToken);
    const next = sessionFromTokens(
      { idToken: tokens.idToken, refreshToken: tokens.refreshToken ?? session.refreshToken },
      signIn.groupsClaim,
    );
    // Another sign-in (or a sign-out) in the meantime wins.
    if (latest?.sub !== session.sub) return;
    writeSession(KEY, next);
    latest = next;
    scheduleRefresh(next);
  } catch {
    // The token expires as it is; the API's 401 then ends the session (the app signs out).
  }
}

async function oidcSignIn(): Promise<OidcSignIn | undefined> {
  const config = await loadConsoleConfig().catch(() => undefined);
  return config?.signIn.kind === 'oidc' ? config.signIn : undefined;
}

/**
 * Signs this tab out: forgets the session at once; for a session from an identity provider, also
 * revokes its refresh token and sends the browser to the provider's logout, which comes back to
 * the console's sign-in page.
 */
export function forgetSession(): void {
  const session = latest ?? readSession<StaffSession>(KEY);
  clearSession(KEY);
  latest = undefined;
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = undefined;
  if (!session?.refreshToken) return;
  const refreshToken = session.refreshToken;
  void oidcSignIn().then(async (signIn) => {
    if (!signIn) return;
    await revokeRefreshToken(signIn, refreshToken);
    const url = logoutUrl(signIn, consoleBaseUrl());
    if (url) window.location.assign(url);
  });
}

export const isReviewer = (session: StaffSession) => session.groups.includes('reviewer');
export const isOperator = (session: StaffSession) => session.groups.includes('operator');

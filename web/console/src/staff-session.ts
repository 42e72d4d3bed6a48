import { clearSession, readSession, writeSession } from '../../common/session';

/** The signed-in staff member of this tab (session storage only). */
export interface StaffSession {
  readonly token: string;
  readonly sub: string;
  readonly groups: readonly string[];
  /** Epoch seconds of the token's `exp`. */
  readonly expiresAt: number;
}

const KEY = 'pos-console.session';

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

/** A session from a fresh token. */
export function sessionFromToken(
  token: string,
  fallbackSub: string,
  groups: readonly string[],
): StaffSession {
  const claims = claimsOf(token);
  const exp = typeof claims.exp === 'number' ? claims.exp : Math.floor(Date.now() / 1000) + 3600;
  const sub = typeof claims.sub === 'string' ? claims.sub : fallbackSub;
  return { token, sub, groups, expiresAt: exp };
}

/** The stored session, unless it has expired. */
export function loadSession(): StaffSession | undefined {
  const session = readSession<StaffSession>(KEY);
  if (!session || typeof session.token !== 'string') return undefined;
  if (session.expiresAt * 1000 <= Date.now()) {
    clearSession(KEY);
    return undefined;
  }
  return session;
}

export function saveSession(session: StaffSession): void {
  writeSession(KEY, session);
}

export function forgetSession(): void {
  clearSession(KEY);
}

export const isReviewer = (session: StaffSession) => session.groups.includes('reviewer');
export const isOperator = (session: StaffSession) => session.groups.includes('operator');

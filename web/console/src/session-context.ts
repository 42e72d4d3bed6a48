import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError } from '../../common/api';
import type { Strings } from './i18n';
import type { StaffSession } from './staff-session';

/** What the signed-in pages share. */
export interface SessionContextValue {
  readonly session: StaffSession;
  /** A message for an API error; a 401 signs out (the token expired or was refused). */
  readonly describeError: (error: unknown) => string;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

/** The signed-in staff member and the error helper (inside the signed-in layout only). */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside the signed-in layout');
  return value;
}

/** A message for an error of the API or the network, in the page's language. */
export function errorMessage(t: Strings, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return t.sessionExpired;
    if (error.status === 403) return t.forbidden;
    if (error.status === 404) return t.notFound;
    return `${error.message} (${error.code})`;
  }
  return t.networkError;
}

/**
 * A form's error: the API's 400 answer itself, so that each field's problem shows next to its
 * input, or else the sentence `describe` makes of it.
 */
export function keepFieldErrors(describe: (error: unknown) => string): (error: unknown) => ApiError | string {
  return (error) => (error instanceof ApiError && error.status === 400 ? error : describe(error));
}

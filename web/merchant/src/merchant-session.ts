import { clearSession, readSession, writeSession } from '../../common/session';
import type { FormValues } from './form-model';

/**
 * The merchant's application in this tab: its id and access token, kept in session storage only
 * (spec section 11), so a reload keeps the merchant signed in and closing the tab forgets it. A
 * merchant who comes back later signs in with the application id and an SMS code (section 11's
 * `POST /v1/applications/{id}/sessions`, a later page of this app).
 */
export interface MerchantSession {
  readonly applicationId: string;
  readonly token: string;
}

const SESSION_KEY = 'pos-m.session';
const DRAFT_KEY = 'pos-m.draft';
const IDEMPOTENCY_KEY = 'pos-m.idempotency-key';

export const loadSession = () => readSession<MerchantSession>(SESSION_KEY);
export const saveSession = (session: MerchantSession) => writeSession(SESSION_KEY, session);

/**
 * The form as the merchant typed it (unmasked), for this tab only: the API answers masked numbers,
 * so without it a correction would need the ID, account and phone numbers typed again. Forgotten
 * once the application is decided.
 */
export const loadDraft = () => readSession<{ applicationId?: string; values: FormValues }>(DRAFT_KEY);
export const saveDraft = (values: FormValues, applicationId?: string) =>
  writeSession(DRAFT_KEY, { applicationId, values });
export const forgetDraft = () => clearSession(DRAFT_KEY);

/** One Idempotency-Key per new application, so a retried create returns the same application. */
export function idempotencyKey(): string {
  const existing = readSession<string>(IDEMPOTENCY_KEY);
  if (existing) return existing;
  const key = crypto.randomUUID();
  writeSession(IDEMPOTENCY_KEY, key);
  return key;
}

/** Starts over: forgets the application, its draft and its key. */
export function forgetAll(): void {
  clearSession(SESSION_KEY);
  clearSession(DRAFT_KEY);
  clearSession(IDEMPOTENCY_KEY);
}

import { ApiError } from '../../common/api';
import type { Strings } from './i18n';

/**
 * What a merchant reads when sending or confirming a one-time code failed (verification, signing in
 * again): the answers of the shared one-time-code module, in the page's language. `undefined` for
 * any other API error, which the calling page explains in its own terms.
 */
export function explainCodeError(t: Strings, caught: unknown): string | undefined {
  if (!(caught instanceof ApiError)) return t.networkError;
  if (caught.code === 'VERIFICATION_CODE_INVALID' && typeof caught.details.attemptsLeft === 'number')
    return t.verify.attemptsLeft(caught.details.attemptsLeft);
  if (caught.code === 'VERIFICATION_LOCKED') return t.verify.locked;
  if (caught.code === 'VERIFICATION_EXPIRED') return t.verify.expired;
  if (caught.code === 'RATE_LIMITED' && typeof caught.details.retryAfterSeconds === 'number')
    return t.verify.rateLimited(Math.ceil(caught.details.retryAfterSeconds / 60));
  return undefined;
}

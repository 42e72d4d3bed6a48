import type { StaffPrincipal } from '../auth/principals';
import { newMerchantToken, sha256Hex } from '../auth/tokens';
import type { Actor, ApplicationRecord, TimelineEntry } from '../domain/application';
import { maskEmail } from '../domain/masking';
import { AppError, notFound, unauthenticated } from '../errors';
import { logger } from '../logger';
import { renderAccessTokenEmail } from '../notifications/access-token-templates';
import type { Clock, Mailer } from '../ports';
import type { MerchantRepository } from '../ports/merchants';
import type { ApplicationRepository } from '../ports/repositories';

/*
 * Merchant access tokens after creation: rotation and revocation by the merchant, reissue by an
 * operator. The stored hash changes only by a conditional write (on the hash the caller presented,
 * for the merchant's own changes), so of two concurrent rotations exactly one wins and the other
 * caller's token — no longer the stored one — gets the 401 of any stale token. Each change is in
 * the application's timeline: who, what, when; never a token or a hash.
 */

/** Dependencies of the merchant's own token changes. */
export interface AccessTokenDeps {
  readonly applications: ApplicationRepository;
  readonly clock: Clock;
}

/** Dependencies of the operator's reissue. */
export interface ReissueDeps extends AccessTokenDeps {
  readonly merchants: Pick<MerchantRepository, 'getMerchant'>;
  readonly mailer: Mailer;
}

/** Timeline actions of token changes. */
export type AccessTokenAction = 'ACCESS_TOKEN_ROTATED' | 'ACCESS_TOKEN_REVOKED' | 'ACCESS_TOKEN_REISSUED';

function entry(
  record: ApplicationRecord,
  at: string,
  actor: Actor,
  action: AccessTokenAction,
): TimelineEntry {
  return { status: record.status, at, actor, action };
}

/**
 * `POST /v1/applications/{id}/access-token`: a new token replaces the presented one at once.
 * `record` is the application the guard read with the presented token (its hash is the condition).
 */
export async function rotateAccessToken(deps: AccessTokenDeps, record: ApplicationRecord) {
  const accessToken = newMerchantToken(record.applicationId);
  const issuedAt = deps.clock.now().toISOString();
  const replaced = await deps.applications.replaceTokenHash(record.applicationId, {
    tokenHash: sha256Hex(accessToken),
    expectedTokenHash: record.tokenHash,
    entry: entry(record, issuedAt, `merchant:${record.applicationId}`, 'ACCESS_TOKEN_ROTATED'),
  });
  // Rotated or revoked meanwhile: the presented token is no longer valid.
  if (!replaced) throw unauthenticated();
  logger.info('access token rotated', { applicationId: record.applicationId });
  return { accessToken, issuedAt };
}

/** `DELETE /v1/applications/{id}/access-token`: no token works until an operator reissues one. */
export async function revokeAccessToken(deps: AccessTokenDeps, record: ApplicationRecord): Promise<void> {
  const at = deps.clock.now().toISOString();
  const revoked = await deps.applications.replaceTokenHash(record.applicationId, {
    tokenHash: '',
    expectedTokenHash: record.tokenHash,
    entry: entry(record, at, `merchant:${record.applicationId}`, 'ACCESS_TOKEN_REVOKED'),
  });
  if (!revoked) throw unauthenticated();
  logger.info('access token revoked', { applicationId: record.applicationId });
}

/**
 * `POST /v1/applications/{id}/access-token/reissue` (operator): revokes whatever token exists and
 * emails a fresh one to the registered contact — the merchant's current contact once approved
 * (change requests may have moved it), else the application's. The token is never in the response.
 */
export async function reissueAccessToken(deps: ReissueDeps, operator: StaffPrincipal, applicationId: string) {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(applicationId)) throw notFound('Application');
  const record = await deps.applications.get(applicationId);
  if (!record) throw notFound('Application');
  const merchant = record.merchantNo ? await deps.merchants.getMerchant(record.merchantNo) : undefined;
  const email = merchant?.contact.email ?? record.body.contact.email;
  const locale = merchant?.locale ?? record.body.locale ?? 'zh-CN';
  const businessName = merchant?.business.name ?? record.body.business.name;

  const accessToken = newMerchantToken(applicationId);
  const issuedAt = deps.clock.now().toISOString();
  const replaced = await deps.applications.replaceTokenHash(applicationId, {
    tokenHash: sha256Hex(accessToken),
    entry: entry(record, issuedAt, `staff:${operator.sub}`, 'ACCESS_TOKEN_REISSUED'),
  });
  if (!replaced) throw notFound('Application');
  try {
    await deps.mailer.send({
      to: [email],
      ...renderAccessTokenEmail('ACCESS_TOKEN_REISSUED', locale, {
        businessName,
        applicationId,
        accessToken,
      }),
    });
  } catch (error) {
    // The old token is revoked either way; reissuing again sends a new one.
    throw new AppError('SERVICE_UNAVAILABLE', 'The new access token could not be sent now; reissue again', {
      cause: error,
    });
  }
  logger.info('access token reissued', { applicationId });
  return { applicationId, issuedAt, sentTo: maskEmail(email) };
}

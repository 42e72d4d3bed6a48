import { type ReissueDeps, reissueAccessToken } from '../shared/access-tokens/requests';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { applicationRepository, merchantRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { REISSUE_ACCESS_TOKEN } from '../shared/manifest/onboarding';
import { systemClock } from '../shared/ports';

/**
 * `POST /v1/applications/{id}/access-token/reissue` (operator): revokes the merchant's token and
 * emails a new one to the registered contact; the response never holds it.
 */
export const makeHandler = (deps: ReissueDeps) =>
  staffRoute(REISSUE_ACCESS_TOKEN, async (request, operator) => {
    // Accepted: the new token is on its way by email, never in this response.
    return { statusCode: 202, body: await reissueAccessToken(deps, operator, pathParameter(request, 'id')) };
  });

export const handler = makeHandler({
  applications: applicationRepository(),
  merchants: merchantRepository(),
  mailer: mailerFromEnv(),
  clock: systemClock,
});

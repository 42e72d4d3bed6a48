import { type ReissueDeps, reissueAccessToken } from '../shared/access-tokens/requests';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { staffFromAuthorizer } from '../shared/auth/principals';
import { applicationRepository, merchantRepository } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { systemClock } from '../shared/ports';

/**
 * `POST /v1/applications/{id}/access-token/reissue` (operator): revokes the merchant's token and
 * emails a new one to the registered contact; the response never holds it.
 */
export const makeHandler = (deps: ReissueDeps) =>
  httpRoute(async (request) => {
    const operator = staffFromAuthorizer(request.event, ['operator']);
    // Accepted: the new token is on its way by email, never in this response.
    return { statusCode: 202, body: await reissueAccessToken(deps, operator, pathParameter(request, 'id')) };
  });

export const handler = makeHandler({
  applications: applicationRepository(),
  merchants: merchantRepository(),
  mailer: mailerFromEnv(),
  clock: systemClock,
});

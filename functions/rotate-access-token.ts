import { type AccessTokenDeps, rotateAccessToken } from '../shared/access-tokens/requests';
import { applicationRepository } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { ROTATE_ACCESS_TOKEN } from '../shared/manifest/onboarding';
import { systemClock } from '../shared/ports';

/** `POST /v1/applications/{id}/access-token` (merchant Bearer token): a new token; the old one stops working. */
export const makeHandler = (deps: AccessTokenDeps) =>
  guardedRoute(ROTATE_ACCESS_TOKEN, deps, async (_request, access) => ({
    statusCode: 201,
    body: await rotateAccessToken(deps, applicationOf(access)),
  }));

export const handler = makeHandler({ applications: applicationRepository(), clock: systemClock });

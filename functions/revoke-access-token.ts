import { applicationRepository } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { REVOKE_ACCESS_TOKEN } from '../shared/manifest/onboarding';
import { systemClock } from '../shared/ports';
import { type AccessTokenDeps, revokeAccessToken } from '../shared/use-cases/access-tokens';

/** `DELETE /v1/applications/{id}/access-token` (merchant Bearer token): no token works any more. */
export const makeHandler = (deps: AccessTokenDeps) =>
  guardedRoute(REVOKE_ACCESS_TOKEN, deps, async (_request, access) =>
    revokeAccessToken(deps, applicationOf(access)),
  );

export const handler = makeHandler({ applications: applicationRepository(), clock: systemClock });

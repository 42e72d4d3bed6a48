import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { applicationRepository, usageReader } from '../shared/composition';
import { dailyCheckDeps } from '../shared/daily-checks/composition';
import { getLimits, type LimitDeps } from '../shared/daily-checks/limits';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute } from '../shared/http/merchant-route';
import { GET_LIMITS } from '../shared/manifest/daily-checks';
import type { StaffTokenVerifier } from '../shared/ports';
import type { UsageReader } from '../shared/ports/daily-checks';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** `GET /v1/merchants/{merchantNo}/limits`: limits in force and today's usage (merchant or staff). */
export const makeHandler = (
  deps: LimitDeps<UsageReader> & { applications: ApplicationRepository; staffVerifier: StaffTokenVerifier },
) =>
  guardedRoute(GET_LIMITS, deps, async (request) => ({
    statusCode: 200,
    body: await getLimits(deps, pathParameter(request, 'merchantNo')),
  }));

export const handler = makeHandler({
  ...dailyCheckDeps(usageReader()),
  applications: applicationRepository(),
  staffVerifier: staffVerifierFromEnv(),
});

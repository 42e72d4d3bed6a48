import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { applicationRepository, dailySummaryReader } from '../shared/composition';
import { dailyCheckDeps } from '../shared/daily-checks/composition';
import { listDailySummaries } from '../shared/daily-checks/daily-run';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute } from '../shared/http/merchant-route';
import { GET_DAILY_SUMMARIES } from '../shared/manifest/daily-checks';
import type { StaffTokenVerifier } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** `GET /v1/merchants/{merchantNo}/daily-summaries?from=&to=` (merchant or staff). */
export const makeHandler = (
  deps: Parameters<typeof listDailySummaries>[0] & {
    applications: ApplicationRepository;
    staffVerifier: StaffTokenVerifier;
  },
) =>
  guardedRoute(GET_DAILY_SUMMARIES, deps, async (request) => ({
    statusCode: 200,
    body: await listDailySummaries(deps, pathParameter(request, 'merchantNo'), request.query),
  }));

export const handler = makeHandler({
  ...dailyCheckDeps(dailySummaryReader()),
  applications: applicationRepository(),
  staffVerifier: staffVerifierFromEnv(),
});

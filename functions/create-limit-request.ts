import { applicationRepository, limitWriter } from '../shared/composition';
import { dailyCheckDeps } from '../shared/daily-checks/composition';
import { type LimitDeps, requestLimitIncrease } from '../shared/daily-checks/limits';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute } from '../shared/http/merchant-route';
import { CREATE_LIMIT_REQUEST } from '../shared/manifest/daily-checks';
import type { LimitWriter } from '../shared/ports/daily-checks';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** `POST /v1/merchants/{merchantNo}/limit-requests` (the merchant): a LIMIT_INCREASE review task. */
export const makeHandler = (deps: LimitDeps<LimitWriter> & { applications: ApplicationRepository }) =>
  guardedRoute(CREATE_LIMIT_REQUEST, deps, async (request) => ({
    statusCode: 202,
    body: await requestLimitIncrease(deps, pathParameter(request, 'merchantNo'), request.body),
  }));

export const handler = makeHandler({
  ...dailyCheckDeps(limitWriter()),
  applications: applicationRepository(),
});

import { limitWriter } from '../shared/composition';
import { dailyCheckDeps } from '../shared/daily-checks/composition';
import { type LimitDeps, putLimits } from '../shared/daily-checks/limits';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { PUT_LIMITS } from '../shared/manifest/daily-checks';
import type { LimitWriter, UsageReader } from '../shared/ports/daily-checks';

/** `PUT /v1/merchants/{merchantNo}/limits` (operator): new limits with a reason, audited. */
export const makeHandler = (deps: LimitDeps<LimitWriter & UsageReader>) =>
  staffRoute(PUT_LIMITS, async (request, operator) => ({
    statusCode: 200,
    body: await putLimits(deps, operator.sub, pathParameter(request, 'merchantNo'), request.body),
  }));

export const handler = makeHandler(dailyCheckDeps(limitWriter()));

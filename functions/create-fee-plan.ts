import { feePlanRepository } from '../shared/composition';
import { createFeePlan, type FeePlanDeps } from '../shared/fee-plans/requests';
import { staffRoute } from '../shared/http/staff-route';
import { CREATE_FEE_PLAN } from '../shared/manifest/agreements';
import { systemClock } from '../shared/ports';

/** `POST /v1/fee-plans` (operator): the next version of a fee plan (never an edit in place). */
export const makeHandler = (deps: FeePlanDeps) =>
  staffRoute(CREATE_FEE_PLAN, async (request, operator) => ({
    statusCode: 201,
    body: await createFeePlan(deps, operator, request.body),
  }));

export const handler = makeHandler({ feePlans: feePlanRepository(), clock: systemClock });

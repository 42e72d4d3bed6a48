import { feePlanRepository } from '../shared/composition';
import { type FeePlanDeps, listFeePlans } from '../shared/fee-plans/requests';
import { staffRoute } from '../shared/http/staff-route';
import { LIST_FEE_PLANS } from '../shared/manifest/agreements';
import { systemClock } from '../shared/ports';

/** `GET /v1/fee-plans` (reviewer or operator): the current version of every plan. */
export const makeHandler = (deps: FeePlanDeps) =>
  staffRoute(LIST_FEE_PLANS, async () => ({ statusCode: 200, body: await listFeePlans(deps) }));

export const handler = makeHandler({ feePlans: feePlanRepository(), clock: systemClock });

import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository, deadlines, reviewCloser } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { WITHDRAW_APPLICATION } from '../shared/manifest/onboarding';
import { withdrawApplication } from '../shared/onboarding/requests';
import { systemClock } from '../shared/ports';

/** `POST /v1/applications/{id}/withdraw` (merchant Bearer token, own application only). */
export const makeHandler = (deps: Parameters<typeof withdrawApplication>[0]) =>
  guardedRoute(WITHDRAW_APPLICATION, deps, async (_request, access) => ({
    statusCode: 200,
    body: await withdrawApplication(access.scoped(deps), applicationOf(access).applicationId),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  reviews: reviewCloser(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository, deadlines, reviewRepository } from '../shared/composition';
import { ownApplicationRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import { withdrawApplication } from '../shared/use-cases/applications';

/** `POST /v1/applications/{id}/withdraw` (merchant Bearer token, own application only). */
export const makeHandler = (deps: Parameters<typeof withdrawApplication>[0]) =>
  ownApplicationRoute(deps.applications, async (_request, id) => ({
    statusCode: 200,
    body: await withdrawApplication(deps, id),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  reviews: reviewRepository(),
  workflow: workflowFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository, deadlines, reviewRepository } from '../shared/composition';
import { ownApplicationRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import { submitApplication, type WorkflowDeps } from '../shared/use-cases/applications';

/** `POST /v1/applications/{id}/submit` (merchant Bearer token, own application only). */
export const makeHandler = (deps: WorkflowDeps) =>
  ownApplicationRoute(deps.applications, async (_request, id) => ({
    statusCode: 202,
    body: await submitApplication(deps, id),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  reviews: reviewRepository(),
  hasher: keyedHasherFromEnv(),
  storage: documentStorageFromEnv(),
  workflow: workflowFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

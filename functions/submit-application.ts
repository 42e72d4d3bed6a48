import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { documentInspectorFromEnv } from '../shared/adapters/s3-document-inspector';
import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository, deadlines } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { SUBMIT_APPLICATION } from '../shared/manifest/onboarding';
import { submitApplication, type WorkflowDeps } from '../shared/onboarding/requests';
import { systemClock } from '../shared/ports';

/** `POST /v1/applications/{id}/submit` (merchant Bearer token, own application only). */
export const makeHandler = (deps: WorkflowDeps) =>
  guardedRoute(SUBMIT_APPLICATION, deps, async (_request, access) => ({
    statusCode: 202,
    body: await submitApplication(access.scoped(deps), applicationOf(access).applicationId),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  hasher: keyedHasherFromEnv(),
  storage: documentInspectorFromEnv(),
  workflow: workflowFromEnv('onboarding'),
  clock: systemClock,
  deadlines: deadlines(),
});

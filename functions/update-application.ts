import { documentInspectorFromEnv } from '../shared/adapters/s3-document-inspector';
import { applicationRepository, deadlines } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { UPDATE_APPLICATION } from '../shared/manifest/onboarding';
import { type DraftDeps, updateApplication } from '../shared/onboarding/requests';
import { systemClock } from '../shared/ports';

/** `PUT /v1/applications/{id}` (merchant Bearer token, own application only). */
export const makeHandler = (deps: DraftDeps) =>
  guardedRoute(UPDATE_APPLICATION, deps, async (request, access) => ({
    statusCode: 200,
    body: await updateApplication(access.scoped(deps), applicationOf(access).applicationId, request.body),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  storage: documentInspectorFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

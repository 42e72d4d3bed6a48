import { documentInspectorFromEnv } from '../shared/adapters/s3-document-inspector';
import { applicationRepository, deadlines } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { GET_APPLICATION } from '../shared/manifest/onboarding';
import { type DraftDeps, getApplication } from '../shared/onboarding/requests';
import { systemClock } from '../shared/ports';

/** `GET /v1/applications/{id}` (merchant Bearer token, own application only). */
export const makeHandler = (deps: DraftDeps) =>
  guardedRoute(GET_APPLICATION, deps, async (_request, access) => ({
    statusCode: 200,
    body: await getApplication(access.scoped(deps), applicationOf(access).applicationId),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  storage: documentInspectorFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

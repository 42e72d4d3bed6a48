import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { applicationRepository, deadlines } from '../shared/composition';
import { ownApplicationRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import { type DraftDeps, updateApplication } from '../shared/use-cases/applications';

/** `PUT /v1/applications/{id}` (merchant Bearer token, own application only). */
export const makeHandler = (deps: DraftDeps) =>
  ownApplicationRoute(deps.applications, async (request, id) => ({
    statusCode: 200,
    body: await updateApplication(deps, id, request.body),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  storage: documentStorageFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

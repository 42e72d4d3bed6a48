import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { applicationRepository, deadlines } from '../shared/composition';
import { ownApplicationRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import { type DraftDeps, getApplication } from '../shared/use-cases/applications';

/** `GET /v1/applications/{id}` (merchant Bearer token, own application only). */
export const makeHandler = (deps: DraftDeps) =>
  ownApplicationRoute(deps.applications, async (_request, id) => ({
    statusCode: 200,
    body: await getApplication(deps, id),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  storage: documentStorageFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { applicationRepository, deadlines } from '../shared/composition';
import { ownApplicationRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import { createDocumentUpload, type DraftDeps } from '../shared/use-cases/applications';

/** `POST /v1/applications/{id}/documents` (merchant Bearer token, own application only). */
export const makeHandler = (deps: DraftDeps) =>
  ownApplicationRoute(deps.applications, async (request, id) => ({
    statusCode: 201,
    body: await createDocumentUpload(deps, id, request.body),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  storage: documentStorageFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

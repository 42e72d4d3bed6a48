import { DynamoApplicationRepository } from '../shared/adapters/dynamodb-applications';
import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { deadlines, sharedTable } from '../shared/composition';
import { ownApplicationRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import { type ApplicationDeps, createDocumentUpload } from '../shared/use-cases/applications';

/** `POST /v1/applications/{id}/documents` (merchant Bearer token, own application only). */
export const makeHandler = (deps: ApplicationDeps & { applications: DynamoApplicationRepository }) =>
  ownApplicationRoute(deps.applications, async (request, id) => ({
    statusCode: 201,
    body: await createDocumentUpload(deps, id, request.body),
  }));

export const handler = makeHandler({
  applications: new DynamoApplicationRepository(sharedTable()),
  hasher: keyedHasherFromEnv(),
  storage: documentStorageFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

import { DynamoApplicationRepository } from '../shared/adapters/dynamodb-applications';
import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { deadlines, sharedTable } from '../shared/composition';
import { ownApplicationRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import { type ApplicationDeps, updateApplication } from '../shared/use-cases/applications';

/** `PUT /v1/applications/{id}` (merchant Bearer token, own application only). */
export const makeHandler = (deps: ApplicationDeps & { applications: DynamoApplicationRepository }) =>
  ownApplicationRoute(deps.applications, async (request, id) => ({
    statusCode: 200,
    body: await updateApplication(deps, id, request.body),
  }));

export const handler = makeHandler({
  applications: new DynamoApplicationRepository(sharedTable()),
  hasher: keyedHasherFromEnv(),
  storage: documentStorageFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

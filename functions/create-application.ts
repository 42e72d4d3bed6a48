import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { documentInspectorFromEnv } from '../shared/adapters/s3-document-inspector';
import { applicationRepository, deadlines } from '../shared/composition';
import { httpRoute } from '../shared/http/http-route';
import { type ApplicationDeps, createApplication } from '../shared/onboarding/requests';
import { systemClock } from '../shared/ports';

/** `POST /v1/applications` (public, `Idempotency-Key`). */
export const makeHandler = (deps: ApplicationDeps) =>
  httpRoute(async (request) => ({
    statusCode: 201,
    body: await createApplication(deps, {
      idempotencyKey: request.headers['idempotency-key'],
      body: request.body,
    }),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  hasher: keyedHasherFromEnv(),
  storage: documentInspectorFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

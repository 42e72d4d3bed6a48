import { applicationRepository } from '../shared/composition';
import { httpRoute } from '../shared/http/http-route';
import { type CreateDeps, createApplication } from '../shared/onboarding/requests';
import { systemClock } from '../shared/ports';

/** `POST /v1/applications` (public, `Idempotency-Key`). */
export const makeHandler = (deps: CreateDeps) =>
  httpRoute(async (request) => ({
    statusCode: 201,
    body: await createApplication(deps, {
      idempotencyKey: request.headers['idempotency-key'],
      body: request.body,
    }),
  }));

export const handler = makeHandler({ applications: applicationRepository(), clock: systemClock });

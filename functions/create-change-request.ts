import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { createChangeRequest } from '../shared/change-requests/requests';
import {
  applicationRepository,
  changeRequestRepository,
  deadlines,
  merchantRepository,
} from '../shared/composition';
import { guardedRoute, merchantNoOf } from '../shared/http/merchant-route';
import { CREATE_CHANGE_REQUEST } from '../shared/manifest/change-requests';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** `POST /v1/merchants/{merchantNo}/change-requests` (the merchant itself, `Idempotency-Key`). */
export const makeHandler = (
  deps: Parameters<typeof createChangeRequest>[0] & { applications: ApplicationRepository },
) =>
  // The guard answers another merchant's number with the 404 of one that does not exist.
  guardedRoute(CREATE_CHANGE_REQUEST, deps, async (request, access) => ({
    // Accepted: the review runs in the workflow (a replay of the key answers the same).
    statusCode: 202,
    body: await createChangeRequest(deps, merchantNoOf(access), {
      idempotencyKey: request.headers['idempotency-key'],
      body: request.body,
    }),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  workflow: workflowFromEnv('change-request'),
  clock: systemClock,
  deadlines: deadlines(),
});

import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { cancelChangeRequest } from '../shared/change-requests/requests';
import { applicationRepository, changeRequestRepository, reviewCloser } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute, merchantNoOf } from '../shared/http/merchant-route';
import { CANCEL_CHANGE_REQUEST } from '../shared/manifest/change-requests';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** `POST /v1/merchants/{merchantNo}/change-requests/{id}/cancel` (the merchant itself, while pending). */
export const makeHandler = (
  deps: Parameters<typeof cancelChangeRequest>[0] & { applications: ApplicationRepository },
) =>
  guardedRoute(CANCEL_CHANGE_REQUEST, deps, async (request, access) => ({
    statusCode: 200,
    body: await cancelChangeRequest(access.scoped(deps), merchantNoOf(access), pathParameter(request, 'id')),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  changeRequests: changeRequestRepository(),
  reviews: reviewCloser(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
});

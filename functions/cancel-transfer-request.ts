import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository, reviewRepository, transferRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { merchantRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { cancelTransferRequest } from '../shared/use-cases/transfers';

/** `POST /v1/transfer-requests/{id}/cancel` (the sending merchant, before the review decision). */
export const makeHandler = (
  deps: Parameters<typeof cancelTransferRequest>[0] & { applications: ApplicationRepository },
) =>
  merchantRoute(deps.applications, async (request, merchantNo) => ({
    statusCode: 200,
    body: await cancelTransferRequest(deps, merchantNo, pathParameter(request, 'id')),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  transfers: transferRepository(),
  reviews: reviewRepository(),
  workflow: workflowFromEnv(),
  clock: systemClock,
});

import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository, reviewCloser, transferRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute, merchantNoOf } from '../shared/http/merchant-route';
import { CANCEL_TRANSFER_REQUEST } from '../shared/manifest/transfers';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { cancelTransferRequest } from '../shared/transfers/requests';

/** `POST /v1/transfer-requests/{id}/cancel` (the sending merchant, before the review decision). */
export const makeHandler = (
  deps: Parameters<typeof cancelTransferRequest>[0] & { applications: ApplicationRepository },
) =>
  guardedRoute(
    CANCEL_TRANSFER_REQUEST,
    deps,
    async (request, access) => ({
      statusCode: 200,
      body: await cancelTransferRequest(
        access.scoped(deps),
        merchantNoOf(access),
        pathParameter(request, 'id'),
      ),
    }),
    { party: 'sender' },
  );

export const handler = makeHandler({
  applications: applicationRepository(),
  transfers: transferRepository(),
  reviews: reviewCloser(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
});

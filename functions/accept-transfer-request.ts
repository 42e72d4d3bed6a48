import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository, transferRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute, merchantNoOf } from '../shared/http/merchant-route';
import { ACCEPT_TRANSFER_REQUEST } from '../shared/manifest/transfers';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { acceptTransferRequest } from '../shared/transfers/requests';

/** `POST /v1/transfer-requests/{id}/accept` (the receiving merchant only). */
export const makeHandler = (
  deps: Parameters<typeof acceptTransferRequest>[0] & { applications: ApplicationRepository },
) =>
  guardedRoute(
    ACCEPT_TRANSFER_REQUEST,
    deps,
    async (request, access) => ({
      statusCode: 200,
      body: await acceptTransferRequest(
        access.scoped(deps),
        merchantNoOf(access),
        pathParameter(request, 'id'),
      ),
    }),
    { party: 'receiver' },
  );

export const handler = makeHandler({
  applications: applicationRepository(),
  transfers: transferRepository(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
});

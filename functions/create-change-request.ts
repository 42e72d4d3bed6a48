import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import {
  applicationRepository,
  changeRequestRepository,
  deadlines,
  merchantRepository,
} from '../shared/composition';
import { notFound } from '../shared/errors';
import { pathParameter } from '../shared/http/http-route';
import { merchantRoute } from '../shared/http/merchant-route';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { createChangeRequest } from '../shared/use-cases/change-requests';

/** `POST /v1/merchants/{merchantNo}/change-requests` (the merchant itself, `Idempotency-Key`). */
export const makeHandler = (
  deps: Parameters<typeof createChangeRequest>[0] & { applications: ApplicationRepository },
) =>
  merchantRoute(deps.applications, async (request, ownMerchantNo) => {
    // Another merchant's number answers 404, like one that does not exist.
    if (pathParameter(request, 'merchantNo') !== ownMerchantNo) throw notFound('Merchant');
    return createChangeRequest(deps, ownMerchantNo, {
      idempotencyKey: request.headers['idempotency-key'],
      body: request.body,
    });
  });

export const handler = makeHandler({
  applications: applicationRepository(),
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  workflow: workflowFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

import { staffFromAuthorizer } from '../shared/auth/principals';
import { changeRequestRepository, merchantRepository } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { listMerchantVersions } from '../shared/merchants/requests';

/** `GET /v1/merchants/{merchantNo}/versions` (reviewer or operator): the merchant's version history. */
export const makeHandler = (deps: Parameters<typeof listMerchantVersions>[0]) =>
  httpRoute(async (request) => {
    staffFromAuthorizer(request.event, ['reviewer', 'operator']);
    return { statusCode: 200, body: await listMerchantVersions(deps, pathParameter(request, 'merchantNo')) };
  });

export const handler = makeHandler({
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
});

import { changeRequestRepository, merchantRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { LIST_MERCHANT_VERSIONS } from '../shared/manifest/merchants';
import { listMerchantVersions } from '../shared/merchants/requests';

/** `GET /v1/merchants/{merchantNo}/versions` (reviewer or operator): the merchant's version history. */
export const makeHandler = (deps: Parameters<typeof listMerchantVersions>[0]) =>
  staffRoute(LIST_MERCHANT_VERSIONS, async (request) => {
    return { statusCode: 200, body: await listMerchantVersions(deps, pathParameter(request, 'merchantNo')) };
  });

export const handler = makeHandler({
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
});

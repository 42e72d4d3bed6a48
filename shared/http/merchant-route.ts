import { authenticateMerchant, type MerchantPrincipal, type MerchantTokenLookup } from '../auth/principals';
import { notFound } from '../errors';
import { type HttpRequest, type HttpResult, httpRoute, pathParameter } from './http-route';

/**
 * A route on the caller's own application (`/v1/applications/{id}/...`): the one object-level
 * authorization check of merchant routes. Another application's id answers 404, like a missing one.
 */
export function ownApplicationRoute(
  lookup: MerchantTokenLookup,
  route: (request: HttpRequest, applicationId: string, principal: MerchantPrincipal) => Promise<HttpResult>,
) {
  return httpRoute(async (request) => {
    const principal = await authenticateMerchant(request.headers, lookup);
    const applicationId = pathParameter(request, 'id');
    if (principal.applicationId !== applicationId) throw notFound('Application');
    return route(request, applicationId, principal);
  });
}

/**
 * A route for an approved merchant (`/v1/terminals/{sn}/...`, `/v1/transfer-requests/...`): the
 * token must belong to an application that became a merchant; the use case then checks that
 * the object (terminal, transfer) is the merchant's own.
 */
export function merchantRoute(
  lookup: MerchantTokenLookup,
  route: (request: HttpRequest, merchantNo: string) => Promise<HttpResult>,
) {
  return httpRoute(async (request) => {
    const principal = await authenticateMerchant(request.headers, lookup);
    // A token whose application is not approved (yet) owns no terminal: same answer as a stranger.
    if (!principal.merchantNo) throw notFound('Resource');
    return route(request, principal.merchantNo);
  });
}

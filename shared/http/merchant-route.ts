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

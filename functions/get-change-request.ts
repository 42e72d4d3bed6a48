import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { getChangeRequest } from '../shared/change-requests/requests';
import { applicationRepository, changeRequestRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute } from '../shared/http/merchant-route';
import { GET_CHANGE_REQUEST } from '../shared/manifest/change-requests';
import type { StaffTokenVerifier } from '../shared/ports';
import type { ChangeRequestRepository } from '../shared/ports/change-requests';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** `GET /v1/merchants/{merchantNo}/change-requests/{id}`: the merchant itself, or a reviewer/operator. */
export const makeHandler = (deps: {
  applications: ApplicationRepository;
  changeRequests: ChangeRequestRepository;
  staffVerifier: StaffTokenVerifier;
}) =>
  guardedRoute(GET_CHANGE_REQUEST, deps, async (request, access) => ({
    statusCode: 200,
    body: await getChangeRequest(
      access.scoped(deps),
      pathParameter(request, 'merchantNo'),
      pathParameter(request, 'id'),
      access.principal.kind,
    ),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  changeRequests: changeRequestRepository(),
  staffVerifier: staffVerifierFromEnv(),
});

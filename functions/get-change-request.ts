import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { authenticateMerchantOrStaff } from '../shared/auth/principals';
import { applicationRepository, changeRequestRepository } from '../shared/composition';
import { notFound } from '../shared/errors';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import type { StaffTokenVerifier } from '../shared/ports';
import type { ChangeRequestRepository } from '../shared/ports/change-requests';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { getChangeRequest } from '../shared/use-cases/change-requests';

/** `GET /v1/merchants/{merchantNo}/change-requests/{id}`: the merchant itself, or a reviewer/operator. */
export const makeHandler = (deps: {
  applications: ApplicationRepository;
  changeRequests: ChangeRequestRepository;
  staffVerifier: StaffTokenVerifier;
}) =>
  httpRoute(async (request) => {
    const merchantNo = pathParameter(request, 'merchantNo');
    const principal = await authenticateMerchantOrStaff(
      request.headers,
      { lookup: deps.applications, staffVerifier: deps.staffVerifier },
      ['reviewer', 'operator'],
    );
    if (principal.kind === 'merchant' && principal.merchantNo !== merchantNo)
      throw notFound('Change request');
    return { statusCode: 200, body: await getChangeRequest(deps, merchantNo, pathParameter(request, 'id')) };
  });

export const handler = makeHandler({
  applications: applicationRepository(),
  changeRequests: changeRequestRepository(),
  staffVerifier: staffVerifierFromEnv(),
});

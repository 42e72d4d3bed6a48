import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { authenticateMerchantOrStaff } from '../shared/auth/principals';
import { applicationRepository, transferRepository } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import type { StaffTokenVerifier } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import type { TransferRepository } from '../shared/ports/terminals';
import { getTransferRequest } from '../shared/use-cases/transfers';

/** `GET /v1/transfer-requests/{id}`: either merchant of the transfer, or a reviewer/operator. */
export const makeHandler = (deps: {
  applications: ApplicationRepository;
  transfers: TransferRepository;
  staffVerifier: StaffTokenVerifier;
}) =>
  httpRoute(async (request) => {
    const principal = await authenticateMerchantOrStaff(
      request.headers,
      { lookup: deps.applications, staffVerifier: deps.staffVerifier },
      ['reviewer', 'operator'],
    );
    return { statusCode: 200, body: await getTransferRequest(deps, principal, pathParameter(request, 'id')) };
  });

export const handler = makeHandler({
  applications: applicationRepository(),
  transfers: transferRepository(),
  staffVerifier: staffVerifierFromEnv(),
});

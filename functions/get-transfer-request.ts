import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { applicationRepository, transferRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute } from '../shared/http/merchant-route';
import { GET_TRANSFER_REQUEST } from '../shared/manifest/transfers';
import type { StaffTokenVerifier } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import type { TransferRepository } from '../shared/ports/terminals';
import { getTransferRequest } from '../shared/transfers/requests';

/** `GET /v1/transfer-requests/{id}`: either merchant of the transfer, or a reviewer/operator. */
export const makeHandler = (deps: {
  applications: ApplicationRepository;
  transfers: TransferRepository;
  staffVerifier: StaffTokenVerifier;
}) =>
  guardedRoute(GET_TRANSFER_REQUEST, deps, async (request, access) => ({
    statusCode: 200,
    body: await getTransferRequest(access.scoped(deps), access.principal, pathParameter(request, 'id')),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  transfers: transferRepository(),
  staffVerifier: staffVerifierFromEnv(),
});

import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { agreementDownloadsFromEnv } from '../shared/adapters/s3-agreement-files';
import { getAgreement } from '../shared/agreements/requests';
import { agreementRepository, applicationRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute } from '../shared/http/merchant-route';
import { GET_AGREEMENT } from '../shared/manifest/agreements';
import type { StaffTokenVerifier } from '../shared/ports';
import type { AgreementDownloads, AgreementRepository } from '../shared/ports/agreements';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** Dependencies of `GET /v1/merchants/{merchantNo}/agreement`. */
export interface GetAgreementDeps {
  readonly applications: ApplicationRepository;
  readonly agreements: AgreementRepository;
  readonly downloads: AgreementDownloads;
  readonly staffVerifier: StaffTokenVerifier;
}

/** `GET /v1/merchants/{merchantNo}/agreement` (the merchant, or staff): the newest version and its PDF. */
export const makeHandler = (deps: GetAgreementDeps) =>
  guardedRoute(GET_AGREEMENT, deps, async (request, access) => ({
    statusCode: 200,
    body: await getAgreement(deps, pathParameter(request, 'merchantNo'), access.principal.kind),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  agreements: agreementRepository(),
  downloads: agreementDownloadsFromEnv(),
  staffVerifier: staffVerifierFromEnv(),
});

import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { applicationRepository, merchantRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute } from '../shared/http/merchant-route';
import { GET_MERCHANT } from '../shared/manifest/merchants';
import { getMerchant } from '../shared/merchants/requests';
import type { StaffTokenVerifier } from '../shared/ports';
import type { MerchantRepository } from '../shared/ports/merchants';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** Dependencies of `GET /v1/merchants/{merchantNo}`. */
export interface GetMerchantDeps {
  readonly applications: ApplicationRepository;
  readonly merchants: MerchantRepository;
  readonly staffVerifier: StaffTokenVerifier;
}

/** `GET /v1/merchants/{merchantNo}`: the merchant itself (Bearer) or a reviewer/operator (JWT). */
export const makeHandler = (deps: GetMerchantDeps) =>
  guardedRoute(GET_MERCHANT, deps, async (request) => ({
    statusCode: 200,
    body: await getMerchant(deps, pathParameter(request, 'merchantNo')),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  merchants: merchantRepository(),
  staffVerifier: staffVerifierFromEnv(),
});

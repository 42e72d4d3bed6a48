import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { authenticateMerchantOrStaff } from '../shared/auth/principals';
import { applicationRepository, merchantRepository } from '../shared/composition';
import { notFound } from '../shared/errors';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import type { StaffTokenVerifier } from '../shared/ports';
import type { MerchantRepository } from '../shared/ports/merchants';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { getMerchant } from '../shared/use-cases/merchants';

/** Dependencies of `GET /v1/merchants/{merchantNo}`. */
export interface GetMerchantDeps {
  readonly applications: ApplicationRepository;
  readonly merchants: MerchantRepository;
  readonly staffVerifier: StaffTokenVerifier;
}

/** `GET /v1/merchants/{merchantNo}`: the merchant itself (Bearer) or a reviewer/operator (JWT). */
export const makeHandler = (deps: GetMerchantDeps) =>
  httpRoute(async (request) => {
    const merchantNo = pathParameter(request, 'merchantNo');
    const principal = await authenticateMerchantOrStaff(
      request.headers,
      { lookup: deps.applications, staffVerifier: deps.staffVerifier },
      ['reviewer', 'operator'],
    );
    if (principal.kind === 'merchant' && principal.merchantNo !== merchantNo) throw notFound('Merchant');
    return { statusCode: 200, body: await getMerchant(deps, merchantNo) };
  });

export const handler = makeHandler({
  applications: applicationRepository(),
  merchants: merchantRepository(),
  staffVerifier: staffVerifierFromEnv(),
});

import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import { requestSignatureCode, type SignatureCodeRequestDeps } from '../shared/agreements/requests';
import {
  agreementRepository,
  applicationRepository,
  messageBookkeeping,
  oneTimeCodeStore,
} from '../shared/composition';
import { guardedRoute } from '../shared/http/merchant-route';
import { REQUEST_SIGNATURE_CODE } from '../shared/manifest/agreements';
import type { ApplicationRepository } from '../shared/ports/repositories';

/** `POST /v1/merchants/{merchantNo}/agreement/signature-codes` (the merchant): a code to the legal person's phone. */
export const makeHandler = (deps: SignatureCodeRequestDeps & { applications: ApplicationRepository }) =>
  guardedRoute(REQUEST_SIGNATURE_CODE, deps, async (_request, access) => {
    if (access.principal.kind !== 'merchant') throw new Error('merchant route without a merchant');
    return { statusCode: 202, body: await requestSignatureCode(deps, access.principal) };
  });

export const handler = makeHandler({
  agreements: agreementRepository(),
  applications: applicationRepository(),
  codes: oneTimeCodeStore(),
  ...messageBookkeeping(),
  sms: smsSenderFromEnv(),
});

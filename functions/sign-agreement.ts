import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { agreementFilesFromEnv } from '../shared/adapters/s3-agreement-files';
import { type SignDeps, signAgreement } from '../shared/agreements/requests';
import { agreementRepository, applicationRepository, oneTimeCodeStore } from '../shared/composition';
import { guardedRoute } from '../shared/http/merchant-route';
import { SIGN_AGREEMENT } from '../shared/manifest/agreements';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';

/**
 * `POST /v1/merchants/{merchantNo}/agreement/sign` (the merchant): the document's sha256 and the
 * SMS code; the source IP and user agent are kept as evidence.
 */
export const makeHandler = (deps: SignDeps & { applications: ApplicationRepository }) =>
  guardedRoute(SIGN_AGREEMENT, deps, async (request, access) => {
    if (access.principal.kind !== 'merchant') throw new Error('merchant route without a merchant');
    const identity = request.event.requestContext?.identity;
    return {
      statusCode: 200,
      body: await signAgreement(deps, access.principal, request.body, {
        sourceIp: identity?.sourceIp ?? 'unknown',
        userAgent: (request.headers['user-agent'] ?? identity?.userAgent ?? 'unknown').slice(0, 512),
      }),
    };
  });

export const handler = makeHandler({
  applications: applicationRepository(),
  agreements: agreementRepository(),
  files: agreementFilesFromEnv(),
  codes: oneTimeCodeStore(),
  hasher: keyedHasherFromEnv(),
  clock: systemClock,
});

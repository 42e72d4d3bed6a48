import { activationCodeSenderDeps } from '../shared/activation-code-sender';
import { staffFromAuthorizer } from '../shared/auth/principals';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { reissueActivationCode } from '../shared/terminals/lifecycle';

/** `POST /v1/terminals/{sn}/activation-code` (operator): a new activation code by SMS, lock lifted. */
export const makeHandler = (deps: Parameters<typeof reissueActivationCode>[0]) =>
  httpRoute(async (request) => {
    const operator = staffFromAuthorizer(request.event, ['operator']);
    return {
      statusCode: 200,
      body: await reissueActivationCode(deps, operator, pathParameter(request, 'sn')),
    };
  });

export const handler = makeHandler(activationCodeSenderDeps());

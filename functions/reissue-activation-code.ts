import { activationCodeSenderDeps } from '../shared/activation-code-sender';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { REISSUE_ACTIVATION_CODE } from '../shared/manifest/terminals';
import { reissueActivationCode } from '../shared/terminals/lifecycle';

/** `POST /v1/terminals/{sn}/activation-code` (operator): a new activation code by SMS, lock lifted. */
export const makeHandler = (deps: Parameters<typeof reissueActivationCode>[0]) =>
  staffRoute(REISSUE_ACTIVATION_CODE, async (request, operator) => {
    return {
      statusCode: 200,
      body: await reissueActivationCode(deps, operator, pathParameter(request, 'sn')),
    };
  });

export const handler = makeHandler(activationCodeSenderDeps());

import { activationCodeSenderDeps } from '../shared/activation-code-sender';
import { staffFromAuthorizer } from '../shared/auth/principals';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { bindTerminal } from '../shared/terminals/lifecycle';

/** `POST /v1/terminals/{sn}/bind` (operator): binds an SN in stock to a merchant (一机一码). */
export const makeHandler = (deps: Parameters<typeof bindTerminal>[0]) =>
  httpRoute(async (request) => {
    const operator = staffFromAuthorizer(request.event, ['operator']);
    return {
      statusCode: 200,
      body: await bindTerminal(deps, operator, pathParameter(request, 'sn'), request.body),
    };
  });

export const handler = makeHandler(activationCodeSenderDeps());

import { activationCodeSenderDeps } from '../shared/activation-code-sender';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { BIND_TERMINAL } from '../shared/manifest/terminals';
import { bindTerminal } from '../shared/terminals/lifecycle';

/**
 * `POST /v1/terminals/{sn}/bind` (operator): binds an SN in stock to a merchant (一机一码); 202
 * when the SN was recently unbound from another merchant and a second operator must bind it too.
 */
export const makeHandler = (deps: Parameters<typeof bindTerminal>[0]) =>
  staffRoute(BIND_TERMINAL, async (request, operator) => {
    const outcome = await bindTerminal(deps, operator, pathParameter(request, 'sn'), request.body);
    return { statusCode: outcome.status === 'PENDING_APPROVAL' ? 202 : 200, body: outcome };
  });

export const handler = makeHandler(activationCodeSenderDeps());

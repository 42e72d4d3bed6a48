import { staffFromAuthorizer } from '../shared/auth/principals';
import { terminalRepository } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { systemClock } from '../shared/ports';
import { unbindTerminal } from '../shared/terminals/lifecycle';

/** `POST /v1/terminals/{sn}/unbind` (operator): back to IN_STOCK, history kept. */
export const makeHandler = (deps: Parameters<typeof unbindTerminal>[0]) =>
  httpRoute(async (request) => {
    const operator = staffFromAuthorizer(request.event, ['operator']);
    return {
      statusCode: 200,
      body: await unbindTerminal(deps, operator, pathParameter(request, 'sn'), request.body),
    };
  });

export const handler = makeHandler({ terminals: terminalRepository(), clock: systemClock });

import { terminalRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { UNBIND_TERMINAL } from '../shared/manifest/terminals';
import { systemClock } from '../shared/ports';
import { unbindTerminal } from '../shared/terminals/lifecycle';

/** `POST /v1/terminals/{sn}/unbind` (operator): back to IN_STOCK, history kept. */
export const makeHandler = (deps: Parameters<typeof unbindTerminal>[0]) =>
  staffRoute(UNBIND_TERMINAL, async (request, operator) => {
    return {
      statusCode: 200,
      body: await unbindTerminal(deps, operator, pathParameter(request, 'sn'), request.body),
    };
  });

export const handler = makeHandler({ terminals: terminalRepository(), clock: systemClock });

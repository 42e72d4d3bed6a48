import { terminalReader } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { GET_TERMINAL } from '../shared/manifest/terminals';
import { systemClock } from '../shared/ports';
import { getTerminal } from '../shared/terminals/lifecycle';

/** `GET /v1/terminals/{sn}` (operator or reviewer): state, binding and full history. */
export const makeHandler = (deps: Parameters<typeof getTerminal>[0]) =>
  staffRoute(GET_TERMINAL, async (request) => {
    return { statusCode: 200, body: await getTerminal(deps, pathParameter(request, 'sn')) };
  });

export const handler = makeHandler({ terminals: terminalReader(), clock: systemClock });

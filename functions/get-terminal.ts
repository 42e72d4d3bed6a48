import { staffFromAuthorizer } from '../shared/auth/principals';
import { terminalRepository } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { systemClock } from '../shared/ports';
import { getTerminal, type TerminalDeps } from '../shared/terminals/lifecycle';

/** `GET /v1/terminals/{sn}` (operator or reviewer): state, binding and full history. */
export const makeHandler = (deps: Pick<TerminalDeps, 'terminals' | 'clock'>) =>
  httpRoute(async (request) => {
    staffFromAuthorizer(request.event, ['operator', 'reviewer']);
    return { statusCode: 200, body: await getTerminal(deps, pathParameter(request, 'sn')) };
  });

export const handler = makeHandler({ terminals: terminalRepository(), clock: systemClock });

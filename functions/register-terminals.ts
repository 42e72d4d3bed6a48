import { staffFromAuthorizer } from '../shared/auth/principals';
import { terminalRepository } from '../shared/composition';
import { httpRoute } from '../shared/http/http-route';
import { type Clock, systemClock } from '../shared/ports';
import type { TerminalRepository } from '../shared/ports/terminals';
import { registerTerminals } from '../shared/terminals/stock';

/** `POST /v1/terminals` (operator): register SNs in stock. */
export const makeHandler = (deps: { terminals: TerminalRepository; clock: Clock }) =>
  httpRoute(async (request) => {
    const operator = staffFromAuthorizer(request.event, ['operator']);
    return { statusCode: 201, body: await registerTerminals(deps, operator, request.body) };
  });

export const handler = makeHandler({ terminals: terminalRepository(), clock: systemClock });

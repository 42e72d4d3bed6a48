import { terminalRepository } from '../shared/composition';
import { staffRoute } from '../shared/http/staff-route';
import { REGISTER_TERMINALS } from '../shared/manifest/terminals';
import { type Clock, systemClock } from '../shared/ports';
import type { TerminalRepository } from '../shared/ports/terminals';
import { registerTerminals } from '../shared/terminals/stock';

/** `POST /v1/terminals` (operator): register SNs in stock. */
export const makeHandler = (deps: { terminals: TerminalRepository; clock: Clock }) =>
  staffRoute(REGISTER_TERMINALS, async (request, operator) => {
    return { statusCode: 201, body: await registerTerminals(deps, operator, request.body) };
  });

export const handler = makeHandler({ terminals: terminalRepository(), clock: systemClock });

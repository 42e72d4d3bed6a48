import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { agreementRepository, applicationRepository, terminalRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute, merchantNoOf } from '../shared/http/merchant-route';
import { ACTIVATE_TERMINAL } from '../shared/manifest/terminals';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { activateTerminal } from '../shared/terminals/lifecycle';

/** `POST /v1/terminals/{sn}/activate` (the merchant, own terminal): the code sent by SMS. */
export const makeHandler = (
  deps: Parameters<typeof activateTerminal>[0] & { applications: ApplicationRepository },
) =>
  guardedRoute(ACTIVATE_TERMINAL, deps, async (request, access) => ({
    statusCode: 200,
    body: await activateTerminal(
      access.scoped(deps),
      merchantNoOf(access),
      pathParameter(request, 'sn'),
      request.body,
    ),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  terminals: terminalRepository(),
  agreements: agreementRepository(),
  hasher: keyedHasherFromEnv(),
  clock: systemClock,
});

import { confirmSession } from '../shared/access-tokens/sessions';
import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { applicationRepository, merchantRepository, oneTimeCodeStore } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { systemClock } from '../shared/ports';

/** `POST /v1/applications/{id}/sessions/confirm` (public): the SMS code for a new access token. */
export const makeHandler = (deps: Parameters<typeof confirmSession>[0]) =>
  httpRoute(async (request) => ({
    statusCode: 200,
    body: await confirmSession(deps, pathParameter(request, 'id'), request.body),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  merchants: merchantRepository(),
  codes: oneTimeCodeStore(),
  hasher: keyedHasherFromEnv(),
  clock: systemClock,
});

import { type SessionDeps, startSession } from '../shared/access-tokens/sessions';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  applicationRepository,
  merchantRepository,
  messageBookkeeping,
  oneTimeCodeStore,
} from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';

/** `POST /v1/applications/{id}/sessions` (public): a sign-in code by SMS to the contact phone. */
export const makeHandler = (deps: SessionDeps) =>
  httpRoute(async (request) => ({
    statusCode: 202,
    body: await startSession(deps, pathParameter(request, 'id')),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  merchants: merchantRepository(),
  codes: oneTimeCodeStore(),
  ...messageBookkeeping(),
  sms: smsSenderFromEnv(),
});

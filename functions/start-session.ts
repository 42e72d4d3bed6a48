import { type SessionDeps, startSession } from '../shared/access-tokens/sessions';
import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  applicationRepository,
  merchantRepository,
  messagingConfig,
  oneTimeCodeStore,
  sendQuota,
  sendRecordRepository,
  suppressionList,
} from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { systemClock } from '../shared/ports';

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
  hasher: keyedHasherFromEnv(),
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  sendQuota: sendQuota(),
  sms: smsSenderFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
});

import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { applicationRepository, deadlines, oneTimeCodeStore } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { CONFIRM_VERIFICATION } from '../shared/manifest/contacts';
import { confirmVerification } from '../shared/onboarding/verification';
import { systemClock } from '../shared/ports';

/** `POST /v1/applications/{id}/verifications/confirm` (merchant Bearer token): the code verifies the contact. */
export const makeHandler = (deps: Parameters<typeof confirmVerification>[0]) =>
  guardedRoute(CONFIRM_VERIFICATION, deps, async (request, access) => ({
    statusCode: 200,
    body: await confirmVerification(access.scoped(deps), applicationOf(access), request.body),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  codes: oneTimeCodeStore(),
  hasher: keyedHasherFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

import { applicationRepository, deadlines, messagingAdapters, oneTimeCodeStore } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { REQUEST_VERIFICATION } from '../shared/manifest/contacts';
import { requestVerification, type VerificationDeps } from '../shared/onboarding/verification';

/** `POST /v1/applications/{id}/verifications` (merchant Bearer token): a code to the contact phone or email. */
export const makeHandler = (deps: VerificationDeps) =>
  guardedRoute(REQUEST_VERIFICATION, deps, async (request, access) => ({
    statusCode: 202,
    body: await requestVerification(deps, applicationOf(access), request.body),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  codes: oneTimeCodeStore(),
  ...messagingAdapters(),
  deadlines: deadlines(),
});

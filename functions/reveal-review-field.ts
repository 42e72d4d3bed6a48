import { callbackPhones, reviewClaims } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { REVEAL_REVIEW_FIELD } from '../shared/manifest/reviews';
import { systemClock } from '../shared/ports';
import { type RevealDeps, revealField } from '../shared/reviews/claims';

/** `POST /v1/reviews/{taskId}/reveal` (reviewer, holding the claim): the call-back phone, audited. */
export const makeHandler = (deps: RevealDeps) =>
  staffRoute(REVEAL_REVIEW_FIELD, async (request, reviewer) => {
    return {
      statusCode: 200,
      body: await revealField(deps, reviewer, pathParameter(request, 'taskId'), request.body),
    };
  });

export const handler = makeHandler({
  reviews: reviewClaims(),
  phones: callbackPhones(),
  clock: systemClock,
});

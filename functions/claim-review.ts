import { reviewClaims } from '../shared/composition';
import { readReviewClaimSeconds } from '../shared/config/env';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { CLAIM_REVIEW } from '../shared/manifest/reviews';
import { systemClock } from '../shared/ports';
import { type ClaimDeps, claimReview } from '../shared/reviews/claims';

/** `POST /v1/reviews/{taskId}/claim` (reviewer): claims or renews the lease on a task. */
export const makeHandler = (deps: ClaimDeps) =>
  staffRoute(CLAIM_REVIEW, async (request, reviewer) => {
    return {
      statusCode: 200,
      body: await claimReview(deps, reviewer, pathParameter(request, 'taskId'), request.body),
    };
  });

export const handler = makeHandler({
  reviews: reviewClaims(),
  clock: systemClock,
  claimSeconds: readReviewClaimSeconds(),
});

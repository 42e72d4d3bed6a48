import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationPlainReads, feePlanRepository, reviewDecisionStore } from '../shared/composition';
import { dailyCheckDecisionDeps } from '../shared/daily-checks/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { DECIDE_REVIEW } from '../shared/manifest/reviews';
import { systemClock } from '../shared/ports';
import { decideReview, type ReviewDeps } from '../shared/reviews/requests';

/** `POST /v1/reviews/{taskId}/decision` (reviewer). */
export const makeHandler = (deps: ReviewDeps) =>
  staffRoute(DECIDE_REVIEW, async (request, reviewer) => {
    return {
      statusCode: 200,
      body: await decideReview(deps, reviewer, pathParameter(request, 'taskId'), request.body),
    };
  });

export const handler = makeHandler({
  reviews: reviewDecisionStore(),
  applications: applicationPlainReads(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
  feePlans: feePlanRepository(),
  dailyChecks: dailyCheckDecisionDeps(),
});

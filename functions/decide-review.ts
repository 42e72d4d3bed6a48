import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { staffFromAuthorizer } from '../shared/auth/principals';
import { applicationRepository, reviewRepository } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { systemClock } from '../shared/ports';
import { decideReview, type ReviewDeps } from '../shared/reviews/requests';

/** `POST /v1/reviews/{taskId}/decision` (reviewer). */
export const makeHandler = (deps: ReviewDeps) =>
  httpRoute(async (request) => {
    const reviewer = staffFromAuthorizer(request.event, ['reviewer']);
    return {
      statusCode: 200,
      body: await decideReview(deps, reviewer, pathParameter(request, 'taskId'), request.body),
    };
  });

export const handler = makeHandler({
  reviews: reviewRepository(),
  applications: applicationRepository(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
});

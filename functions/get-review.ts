import { staffFromAuthorizer } from '../shared/auth/principals';
import { applicationRepository, reviewRepository } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { getReview, type ReviewDeps } from '../shared/use-cases/reviews';

/** `GET /v1/reviews/{taskId}` (reviewer). */
export const makeHandler = (deps: Pick<ReviewDeps, 'reviews' | 'applications'>) =>
  httpRoute(async (request) => {
    staffFromAuthorizer(request.event, ['reviewer']);
    return { statusCode: 200, body: await getReview(deps, pathParameter(request, 'taskId')) };
  });

export const handler = makeHandler({ reviews: reviewRepository(), applications: applicationRepository() });

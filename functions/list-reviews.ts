import { staffFromAuthorizer } from '../shared/auth/principals';
import { reviewRepository } from '../shared/composition';
import { httpRoute } from '../shared/http/http-route';
import type { ReviewTaskRepository } from '../shared/ports/repositories';
import { listReviews } from '../shared/reviews/requests';

/** `GET /v1/reviews` (reviewer). */
export const makeHandler = (deps: { reviews: ReviewTaskRepository }) =>
  httpRoute(async (request) => {
    staffFromAuthorizer(request.event, ['reviewer']);
    return { statusCode: 200, body: await listReviews(deps, request.query) };
  });

export const handler = makeHandler({ reviews: reviewRepository() });

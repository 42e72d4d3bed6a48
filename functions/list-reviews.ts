import { reviewQueue } from '../shared/composition';
import { staffRoute } from '../shared/http/staff-route';
import { LIST_REVIEWS } from '../shared/manifest/reviews';
import { type Clock, systemClock } from '../shared/ports';
import type { ReviewQueue } from '../shared/ports/repositories';
import { listReviews } from '../shared/reviews/requests';

/** `GET /v1/reviews` (reviewer). */
export const makeHandler = (deps: { reviews: ReviewQueue; clock?: Clock }) =>
  staffRoute(LIST_REVIEWS, async (request) => {
    return { statusCode: 200, body: await listReviews(deps, request.query) };
  });

export const handler = makeHandler({ reviews: reviewQueue(), clock: systemClock });

import {
  applicationRepository,
  changeRequestRepository,
  merchantRepository,
  reviewReader,
  transferRepository,
} from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { GET_REVIEW } from '../shared/manifest/reviews';
import { systemClock } from '../shared/ports';
import { getReview } from '../shared/reviews/requests';

/** `GET /v1/reviews/{taskId}` (reviewer). */
export const makeHandler = (deps: Parameters<typeof getReview>[0]) =>
  staffRoute(GET_REVIEW, async (request) => {
    return { statusCode: 200, body: await getReview(deps, pathParameter(request, 'taskId')) };
  });

export const handler = makeHandler({
  reviews: reviewReader(),
  applications: applicationRepository(),
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  transfers: transferRepository(),
  clock: systemClock,
});

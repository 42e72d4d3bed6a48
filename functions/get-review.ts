import { staffFromAuthorizer } from '../shared/auth/principals';
import {
  applicationRepository,
  changeRequestRepository,
  merchantRepository,
  reviewRepository,
  transferRepository,
} from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { getReview } from '../shared/reviews/requests';

/** `GET /v1/reviews/{taskId}` (reviewer). */
export const makeHandler = (deps: Parameters<typeof getReview>[0]) =>
  httpRoute(async (request) => {
    staffFromAuthorizer(request.event, ['reviewer']);
    return { statusCode: 200, body: await getReview(deps, pathParameter(request, 'taskId')) };
  });

export const handler = makeHandler({
  reviews: reviewRepository(),
  applications: applicationRepository(),
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  transfers: transferRepository(),
});

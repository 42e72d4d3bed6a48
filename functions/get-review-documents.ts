import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { staffFromAuthorizer } from '../shared/auth/principals';
import { applicationRepository, reviewRepository } from '../shared/composition';
import { httpRoute, pathParameter } from '../shared/http/http-route';
import { systemClock } from '../shared/ports';
import { getReviewDocuments, type ReviewDocumentsDeps } from '../shared/reviews/documents';

/** `GET /v1/reviews/{taskId}/documents` (reviewer): presigned GETs of the case's documents. */
export const makeHandler = (deps: ReviewDocumentsDeps) =>
  httpRoute(async (request) => {
    staffFromAuthorizer(request.event, ['reviewer']);
    return { statusCode: 200, body: await getReviewDocuments(deps, pathParameter(request, 'taskId')) };
  });

export const handler = makeHandler({
  reviews: reviewRepository(),
  applications: applicationRepository(),
  storage: documentStorageFromEnv(),
  clock: systemClock,
});

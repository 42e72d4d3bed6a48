import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { applicationRepository, reviewReader } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { GET_REVIEW_DOCUMENTS } from '../shared/manifest/reviews';
import { systemClock } from '../shared/ports';
import { getReviewDocuments, type ReviewDocumentsDeps } from '../shared/reviews/documents';

/** `GET /v1/reviews/{taskId}/documents` (reviewer): presigned GETs of the case's documents. */
export const makeHandler = (deps: ReviewDocumentsDeps) =>
  staffRoute(GET_REVIEW_DOCUMENTS, async (request) => {
    return { statusCode: 200, body: await getReviewDocuments(deps, pathParameter(request, 'taskId')) };
  });

export const handler = makeHandler({
  reviews: reviewReader(),
  applications: applicationRepository(),
  storage: documentStorageFromEnv(),
  clock: systemClock,
});

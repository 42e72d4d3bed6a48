import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { applicationRepository, deadlines } from '../shared/composition';
import { applicationOf, guardedRoute } from '../shared/http/merchant-route';
import { CREATE_DOCUMENT } from '../shared/manifest/onboarding';
import { createDocumentUpload, type UploadDeps } from '../shared/onboarding/requests';
import { systemClock } from '../shared/ports';

/**
 * `POST /v1/applications/{id}/documents` (merchant Bearer token, own application only): a presigned
 * PUT (content type, and the exact size when `sizeBytes` is given, signed) and a presigned POST form
 * (content type and 1..maxBytes signed in its policy).
 */
export const makeHandler = (deps: UploadDeps) =>
  guardedRoute(CREATE_DOCUMENT, deps, async (request, access) => ({
    statusCode: 201,
    body: await createDocumentUpload(access.scoped(deps), applicationOf(access).applicationId, request.body),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  storage: documentStorageFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
});

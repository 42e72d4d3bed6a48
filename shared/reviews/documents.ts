import { DOCUMENT_KINDS, type DocumentKind } from '../domain/application';
import { notFound } from '../errors';
import type { Clock, DocumentDownloads } from '../ports';
import type { ApplicationRepository, ReviewTaskRepository } from '../ports/repositories';

/** How long a reviewer's document URL works: long enough to look, short enough not to be shared. */
export const DOCUMENT_VIEW_SECONDS = 5 * 60;

/** Dependencies of {@link getReviewDocuments}. */
export interface ReviewDocumentsDeps {
  readonly reviews: Pick<ReviewTaskRepository, 'get'>;
  readonly applications: Pick<ApplicationRepository, 'get'>;
  readonly storage: DocumentDownloads;
  readonly clock: Clock;
}

/**
 * `GET /v1/reviews/{taskId}/documents` (reviewer): the documents of the task's application, each
 * with a presigned GET (5 minutes) when it was uploaded. Tasks of other kinds have no documents.
 * Object keys hold only ids, and the URLs are for the reviewer's browser: nothing is logged.
 */
export async function getReviewDocuments(deps: ReviewDocumentsDeps, taskId: string) {
  const task = await deps.reviews.get(taskId);
  if (!task) throw notFound('Review task');
  const application = task.kind === 'APPLICATION' ? await deps.applications.get(task.subjectId) : undefined;
  const now = deps.clock.now();
  const kinds = DOCUMENT_KINDS.filter(
    (kind): kind is DocumentKind => application?.documents[kind] !== undefined,
  );
  const documents = await Promise.all(
    kinds.map(async (kind) => {
      const ref = application?.documents[kind];
      if (!ref) throw new Error('unreachable: filtered on presence');
      const stored = await deps.storage.objectInfo(ref.objectKey);
      return {
        kind,
        documentId: ref.documentId,
        contentType: ref.contentType,
        uploaded: stored !== undefined,
        url:
          stored === undefined
            ? null
            : await deps.storage.presignDownload({
                objectKey: ref.objectKey,
                expiresInSeconds: DOCUMENT_VIEW_SECONDS,
              }),
      };
    }),
  );
  return {
    taskId,
    documents,
    expiresAt:
      documents.length > 0 ? new Date(now.getTime() + DOCUMENT_VIEW_SECONDS * 1000).toISOString() : null,
  };
}

import { DOCUMENT_KINDS, type DocumentKind } from '../domain/application';
import { notFound } from '../errors';
import { storedDocument } from '../onboarding/documents';
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
 * `GET /v1/reviews/{taskId}/documents` (reviewer): the documents of the task's application as
 * they were submitted. Each submitted document comes with a presigned GET (5 minutes) of exactly
 * the version pinned at submission (`versionId`), and only while the store still holds that very
 * content (ETag and checksum compared): a document whose key was written again after submission
 * is shown as `REPLACED` with no URL, one uploaded after the submission as `NOT_SUBMITTED`. Tasks of
 * other kinds have no documents. Object keys hold only ids, and the URLs are for the reviewer's
 * browser: nothing is logged.
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
      const pinned = ref.submitted;
      const { stored, intact } = pinned
        ? await storedDocument(deps.storage, ref)
        : { stored: undefined, intact: false };
      const state = !pinned
        ? 'NOT_SUBMITTED'
        : stored === undefined
          ? 'MISSING'
          : intact
            ? 'SUBMITTED'
            : 'REPLACED';
      return {
        kind,
        documentId: ref.documentId,
        contentType: ref.contentType,
        state,
        uploaded: stored !== undefined,
        ...(pinned
          ? {
              versionId: pinned.versionId ?? null,
              etag: pinned.etag,
              checksum: pinned.checksum ?? null,
              sizeBytes: pinned.size,
              submittedAt: pinned.at,
            }
          : {}),
        url:
          state === 'SUBMITTED'
            ? await deps.storage.presignDownload({
                objectKey: ref.objectKey,
                ...(pinned?.versionId === undefined ? {} : { versionId: pinned.versionId }),
                expiresInSeconds: DOCUMENT_VIEW_SECONDS,
              })
            : null,
      };
    }),
  );
  return {
    taskId,
    documents,
    expiresAt: documents.some((document) => document.url !== null)
      ? new Date(now.getTime() + DOCUMENT_VIEW_SECONDS * 1000).toISOString()
      : null,
  };
}

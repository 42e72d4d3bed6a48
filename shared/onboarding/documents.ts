import {
  type ApplicationRecord,
  DOCUMENT_KINDS,
  type DocumentKind,
  type DocumentRef,
  type PinnedVersion,
  requiredDocumentKinds,
} from '../domain/application';
import type { FieldProblem } from '../errors';
import type { DocumentInspector, StoredObject } from '../ports';

/** Largest document upload (spec 4.1). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** Lifetime of a presigned upload URL (spec: ≤ 15 min). */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** `image/jpeg` from `Image/JPEG; charset=x`: media types compare without case and parameters. */
function mediaType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Whether `stored` is exactly the pinned content: same version (where the store keeps versions),
 * same entity tag, same checksum where both have one. Against s3rver, which keeps no versions, a
 * key written again after submission has another ETag: this is how the rule is kept there too.
 */
export function matchesPin(stored: StoredObject, pinned: PinnedVersion): boolean {
  if (pinned.versionId !== undefined && stored.versionId !== pinned.versionId) return false;
  if (stored.etag !== pinned.etag || stored.size !== pinned.size) return false;
  return (
    pinned.checksum === undefined || stored.checksum === undefined || stored.checksum === pinned.checksum
  );
}

/**
 * What the store holds for a document: the pinned version once submitted (and whether it is
 * still exactly that content), the current object before.
 */
export async function storedDocument(
  storage: DocumentInspector,
  ref: DocumentRef,
): Promise<{ stored: StoredObject | undefined; intact: boolean }> {
  const stored = await storage.objectInfo(ref.objectKey, ref.submitted?.versionId);
  return { stored, intact: stored !== undefined && (!ref.submitted || matchesPin(stored, ref.submitted)) };
}

/** The problem with one stored document, if any. */
function problemOf(
  kind: DocumentKind,
  ref: DocumentRef | undefined,
  stored: StoredObject | undefined,
  intact: boolean,
) {
  const field = `documents.${kind}`;
  if (!ref || stored === undefined) return { field, code: 'MISSING', message: 'Upload this document' };
  if (!intact) {
    return {
      field,
      code: 'REPLACED',
      message: 'The document changed after it was submitted: upload it again as a new document',
    };
  }
  if (stored.size > MAX_DOCUMENT_BYTES || stored.size === 0)
    return { field, code: 'INVALID_SIZE', message: 'The document must be 1 byte to 10 MB' };
  if (mediaType(stored.contentType ?? '') !== mediaType(ref.contentType)) {
    return {
      field,
      code: 'INVALID_CONTENT_TYPE',
      message: `The document must be uploaded as ${ref.contentType}`,
    };
  }
  return undefined;
}

/**
 * Problems with the required documents: missing, not uploaded, too large (or empty), stored with
 * another content type than the one signed for, or — once submitted — no longer exactly the pinned
 * version. The signatures already make S3 refuse such uploads; this re-checks what S3 actually
 * holds (defence in depth, and s3rver checks no signature). The submission refuses them; the
 * automated checks report them to the reviewer.
 */
export async function documentProblems(
  record: ApplicationRecord,
  storage: DocumentInspector,
): Promise<FieldProblem[]> {
  const problems = await Promise.all(
    requiredDocumentKinds(record.body.type).map(async (kind): Promise<FieldProblem | undefined> => {
      const ref = record.documents[kind];
      const { stored, intact } = ref
        ? await storedDocument(storage, ref)
        : { stored: undefined, intact: false };
      return problemOf(kind, ref, stored, intact);
    }),
  );
  return problems.filter((problem): problem is FieldProblem => problem !== undefined);
}

/**
 * The submission's view of the documents: the problems of the required ones (as
 * {@link documentProblems}), and every uploaded document pinned to what the store holds now —
 * version id, ETag, checksum, size — unless an earlier submission pinned it already (that pin
 * stays). From then on checks, reviews and downloads use exactly the pinned version.
 */
export async function pinDocuments(
  record: ApplicationRecord,
  storage: DocumentInspector,
  at: string,
): Promise<{ problems: FieldProblem[]; documents: ApplicationRecord['documents'] }> {
  const inspected = await Promise.all(
    DOCUMENT_KINDS.map(async (kind) => {
      const ref = record.documents[kind];
      const { stored, intact } = ref
        ? await storedDocument(storage, ref)
        : { stored: undefined, intact: false };
      const pinned: DocumentRef | undefined =
        !ref || ref.submitted || !stored
          ? ref
          : {
              ...ref,
              submitted: {
                ...(stored.versionId === undefined ? {} : { versionId: stored.versionId }),
                etag: stored.etag,
                ...(stored.checksum === undefined ? {} : { checksum: stored.checksum }),
                size: stored.size,
                at,
              },
            };
      return { kind, pinned, problem: problemOf(kind, ref, stored, intact) };
    }),
  );
  const problems = requiredDocumentKinds(record.body.type)
    .map((kind) => inspected.find((entry) => entry.kind === kind)?.problem)
    .filter((problem): problem is FieldProblem => problem !== undefined);
  const documents: Partial<Record<DocumentKind, DocumentRef>> = {};
  for (const { kind, pinned } of inspected) if (pinned) documents[kind] = pinned;
  return { problems, documents };
}

import { type ApplicationRecord, requiredDocumentKinds } from '../domain/application';
import type { FieldProblem } from '../errors';
import type { DocumentInspector } from '../ports';

/** Largest document upload (spec 4.1). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** Lifetime of a presigned upload URL (spec: ≤ 15 min). */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** `image/jpeg` from `Image/JPEG; charset=x`: media types compare without case and parameters. */
function mediaType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Problems with the required documents: missing, not uploaded, too large (or empty), or stored with
 * another content type than the one signed for. The signatures already make S3 refuse such uploads;
 * this re-checks what S3 actually holds (defence in depth, and s3rver checks no signature). The
 * submission refuses them; the automated checks report them to the reviewer.
 */
export async function documentProblems(
  record: ApplicationRecord,
  storage: DocumentInspector,
): Promise<FieldProblem[]> {
  const problems = await Promise.all(
    requiredDocumentKinds(record.body.type).map(async (kind): Promise<FieldProblem | undefined> => {
      const ref = record.documents[kind];
      const info = ref ? await storage.objectInfo(ref.objectKey) : undefined;
      if (!ref || info === undefined)
        return { field: `documents.${kind}`, code: 'MISSING', message: 'Upload this document' };
      if (info.size > MAX_DOCUMENT_BYTES || info.size === 0) {
        return {
          field: `documents.${kind}`,
          code: 'INVALID_SIZE',
          message: 'The document must be 1 byte to 10 MB',
        };
      }
      if (mediaType(info.contentType ?? '') !== mediaType(ref.contentType)) {
        return {
          field: `documents.${kind}`,
          code: 'INVALID_CONTENT_TYPE',
          message: `The document must be uploaded as ${ref.contentType}`,
        };
      }
      return undefined;
    }),
  );
  return problems.filter((problem): problem is FieldProblem => problem !== undefined);
}

import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentDownloads, DocumentStorage } from '../ports';
import { documentsBucketFromEnv, documentsS3Client, S3DocumentInspector } from './s3-document-inspector';

/**
 * Documents bucket through presigned uploads. What the client may upload is decided by the
 * signature, not by trust in the client: the content type, the exact size and `If-None-Match: *`
 * (the URL writes its key once, and a key once written is never replaced). Only the upload and
 * review-documents routes use this class; the others inspect with {@link S3DocumentInspector} and
 * do not bundle the presigner.
 */
export class S3DocumentStorage extends S3DocumentInspector implements DocumentStorage, DocumentDownloads {
  presignUpload(input: {
    objectKey: string;
    contentType: string;
    expiresInSeconds: number;
    sizeBytes: number;
  }): Promise<string> {
    // The presigner leaves content-type out of the signature unless asked; content-length and
    // if-none-match are signed as soon as the command carries them. S3 answers 403
    // SignatureDoesNotMatch to an upload whose Content-Type or Content-Length differs from the signed
    // value, and 412 PreconditionFailed to a second write of the key.
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: input.objectKey,
        ContentType: input.contentType,
        ContentLength: input.sizeBytes,
        IfNoneMatch: '*',
      }),
      { expiresIn: input.expiresInSeconds, signableHeaders: new Set(['content-type', 'if-none-match']) },
    );
  }

  /**
   * A presigned GET of one stored document — of exactly the version given, which S3 serves even
   * if the key were written again (a reviewer's browser shows it as an image).
   */
  presignDownload(input: {
    objectKey: string;
    versionId?: string;
    expiresInSeconds: number;
  }): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: input.objectKey,
        ...(input.versionId === undefined ? {} : { VersionId: input.versionId }),
      }),
      { expiresIn: input.expiresInSeconds },
    );
  }
}

/** The documents bucket of this deployment, with presigned uploads and downloads. */
export function documentStorageFromEnv(): S3DocumentStorage {
  return new S3DocumentStorage(documentsS3Client(), documentsBucketFromEnv());
}

import {
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentStorage } from '../ports';

/** Documents bucket through presigned PUT URLs. */
export class S3DocumentStorage implements DocumentStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  presignUpload(input: {
    objectKey: string;
    contentType: string;
    expiresInSeconds: number;
  }): Promise<string> {
    // The content type is part of the signature: an upload with another type is refused by S3.
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({ Bucket: this.bucket, Key: input.objectKey, ContentType: input.contentType }),
      { expiresIn: input.expiresInSeconds, signableHeaders: new Set(['content-type']) },
    );
  }

  async objectSize(objectKey: string): Promise<number | undefined> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return out.ContentLength ?? 0;
    } catch (error) {
      if (
        error instanceof NotFound ||
        (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
      ) {
        return undefined;
      }
      throw error;
    }
  }
}

/** The documents bucket of this deployment (path-style against s3rver locally). */
export function documentStorageFromEnv(): S3DocumentStorage {
  const bucket = process.env.DOCUMENTS_BUCKET;
  if (!bucket) throw new Error('DOCUMENTS_BUCKET is not set');
  return new S3DocumentStorage(
    new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' }),
    bucket,
  );
}

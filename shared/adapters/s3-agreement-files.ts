import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { readAgreementArchiveBucket } from '../config/env';
import type { AgreementDownloads, AgreementFiles } from '../ports/agreements';
import { documentsBucketFromEnv, documentsS3Client } from './s3-document-inspector';

/**
 * Agreement PDFs: each rendered version in the documents bucket (`agreements/…`), each signed one
 * copied to the archive bucket, whose Object Lock (compliance mode, default retention set by the
 * stateful stack) keeps it unchangeable and undeletable for the retention period in AWS.
 */
export class S3AgreementFiles implements AgreementFiles {
  constructor(
    protected readonly s3: S3Client,
    protected readonly bucket: string,
    private readonly archiveBucket: string,
  ) {}

  async putRendered(objectKey: string, pdf: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: pdf,
        ContentType: 'application/pdf',
      }),
    );
  }

  async getRendered(objectKey: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return out.Body ? await out.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async archive(objectKey: string, pdf: Uint8Array, sha256: string): Promise<void> {
    if (!this.archiveBucket) throw new Error('AGREEMENT_ARCHIVE_BUCKET is not set');
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.archiveBucket,
        Key: objectKey,
        Body: pdf,
        ContentType: 'application/pdf',
        // The digest the merchant signed, next to the bytes (S3 keeps user metadata with the version).
        Metadata: { sha256 },
      }),
    );
  }
}

/** {@link S3AgreementFiles} with presigned downloads (the presigner is bundled by the reading route only). */
export class S3AgreementDownloads extends S3AgreementFiles implements AgreementDownloads {
  presignRendered(objectKey: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }), {
      expiresIn: expiresInSeconds,
    });
  }
}

/** The agreement files of this deployment. */
export function agreementFilesFromEnv(): S3AgreementFiles {
  return new S3AgreementFiles(documentsS3Client(), documentsBucketFromEnv(), readAgreementArchiveBucket());
}

/** The agreement files with presigned downloads. */
export function agreementDownloadsFromEnv(): S3AgreementDownloads {
  return new S3AgreementDownloads(
    documentsS3Client(),
    documentsBucketFromEnv(),
    readAgreementArchiveBucket(),
  );
}

import { HeadObjectCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { readDocumentsConfig } from '../config/env';
import type { DocumentInspector, StoredObject } from '../ports';

/** The checksums S3 may report for an object, strongest first. */
const CHECKSUMS = [
  ['SHA256', 'ChecksumSHA256'],
  ['CRC64NVME', 'ChecksumCRC64NVME'],
  ['CRC32C', 'ChecksumCRC32C'],
  ['CRC32', 'ChecksumCRC32'],
] as const;

/**
 * What the documents bucket holds, by HeadObject (of one version when asked). Every function but
 * the upload route uses this class alone, so only that route bundles the S3 presigner.
 */
export class S3DocumentInspector implements DocumentInspector {
  constructor(
    protected readonly s3: S3Client,
    protected readonly bucket: string,
  ) {}

  async objectSize(objectKey: string): Promise<number | undefined> {
    return (await this.objectInfo(objectKey))?.size;
  }

  async objectInfo(objectKey: string, versionId?: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.s3.send(
        new HeadObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          ...(versionId === undefined ? {} : { VersionId: versionId }),
          ChecksumMode: 'ENABLED',
        }),
      );
      const checksum = CHECKSUMS.find(([, field]) => out[field] !== undefined);
      return {
        size: out.ContentLength ?? 0,
        contentType: out.ContentType,
        etag: (out.ETag ?? '').replaceAll('"', ''),
        ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}),
        ...(checksum ? { checksum: `${checksum[0]}:${out[checksum[1]]}` } : {}),
      };
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

/** The documents bucket's name, from the environment. */
export function documentsBucketFromEnv(): string {
  return readDocumentsConfig().bucket;
}

/** The S3 client of the documents bucket (path-style against s3rver locally). */
export function documentsS3Client(): S3Client {
  return new S3Client({
    forcePathStyle: readDocumentsConfig().forcePathStyle,
    // Otherwise the SDK adds the CRC32 of the empty body it presigns (x-amz-checksum-crc32 in the
    // URL), and S3 would refuse every real upload with a checksum mismatch.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

/** What the documents bucket of this deployment holds. */
export function documentInspectorFromEnv(): S3DocumentInspector {
  return new S3DocumentInspector(documentsS3Client(), documentsBucketFromEnv());
}

import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { readDocumentsConfig } from '../config/env';
import type { DocumentEraser } from '../ports';
import { documentsBucketFromEnv, documentsS3Client } from './s3-document-inspector';

/** One object (or one version of it) to delete. */
interface Target {
  readonly key: string;
  readonly versionId?: string;
}

/**
 * Deletes documents for good. In a versioned bucket a plain DELETE only hides an object behind a
 * delete marker, so every version and every marker under the prefix is deleted by its version id;
 * against a store without versions (s3rver) the current objects are deleted by key.
 */
export class S3DocumentEraser implements DocumentEraser {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly versioned: boolean,
  ) {}

  async eraseAll(prefix: string): Promise<number> {
    const targets = this.versioned ? await this.versions(prefix) : await this.objects(prefix);
    // An application has a handful of documents: one request each keeps the adapter simple and
    // every deletion visible in the access logs.
    for (const target of targets) {
      await this.s3.send(
        new DeleteObjectCommand({
          Bucket: this.bucket,
          Key: target.key,
          ...(target.versionId === undefined ? {} : { VersionId: target.versionId }),
        }),
      );
    }
    return targets.length;
  }

  private async versions(prefix: string): Promise<Target[]> {
    const targets: Target[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({
          Bucket: this.bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (entry.Key) targets.push({ key: entry.Key, versionId: entry.VersionId });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    return targets;
  }

  private async objects(prefix: string): Promise<Target[]> {
    const targets: Target[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const entry of page.Contents ?? []) if (entry.Key) targets.push({ key: entry.Key });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return targets;
  }
}

/** The eraser of this deployment's documents bucket. */
export function documentEraserFromEnv(): S3DocumentEraser {
  return new S3DocumentEraser(documentsS3Client(), documentsBucketFromEnv(), readDocumentsConfig().versioned);
}

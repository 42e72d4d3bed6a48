import { createHmac } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentDownloads, DocumentStorage, PresignedPost } from '../ports';
import { documentsBucketFromEnv, documentsS3Client, S3DocumentInspector } from './s3-document-inspector';

/** `20261122T082935Z` (SigV4 timestamp). */
function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * Documents bucket through presigned uploads. What the client may upload is decided by the
 * signature, not by trust in the client: the content type always, the exact size (PUT with
 * `sizeBytes`) or a size range (POST policy `content-length-range`). Only the upload route uses
 * this class; the others inspect with {@link S3DocumentInspector} and do not bundle the presigner.
 */
export class S3DocumentStorage extends S3DocumentInspector implements DocumentStorage, DocumentDownloads {
  presignUpload(input: {
    objectKey: string;
    contentType: string;
    expiresInSeconds: number;
    sizeBytes?: number;
  }): Promise<string> {
    // The S3 presigner leaves content-type out of the signature unless asked; content-length is
    // signed as soon as the command carries it. S3 answers 403 SignatureDoesNotMatch to an upload
    // whose Content-Type or Content-Length differs from the signed value.
    const signableHeaders = new Set(['content-type']);
    if (input.sizeBytes !== undefined) signableHeaders.add('content-length');
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: input.objectKey,
        ContentType: input.contentType,
        ContentLength: input.sizeBytes,
      }),
      { expiresIn: input.expiresInSeconds, signableHeaders },
    );
  }

  /** A presigned GET of one stored document (a reviewer's browser shows it as an image). */
  presignDownload(input: { objectKey: string; expiresInSeconds: number }): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: input.objectKey }), {
      expiresIn: input.expiresInSeconds,
    });
  }

  /**
   * A SigV4-signed POST policy (what @aws-sdk/s3-presigned-post builds, which this project does
   * not depend on): the policy's conditions bind the bucket, the key, the exact Content-Type and
   * 1..maxBytes bytes; S3 refuses a form that breaks any of them.
   */
  async presignPost(input: {
    objectKey: string;
    contentType: string;
    expiresInSeconds: number;
    maxBytes: number;
  }): Promise<PresignedPost> {
    const credentials = await this.s3.config.credentials();
    const region = await this.s3.config.region();
    const now = new Date();
    const date = amzDate(now);
    const shortDate = date.slice(0, 8);
    const credential = `${credentials.accessKeyId}/${shortDate}/${region}/s3/aws4_request`;
    const signed: Record<string, string> = {
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': credential,
      'X-Amz-Date': date,
      ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
    };
    const policy = {
      expiration: new Date(now.getTime() + input.expiresInSeconds * 1000).toISOString(),
      conditions: [
        { bucket: this.bucket },
        { key: input.objectKey },
        { 'Content-Type': input.contentType },
        ['content-length-range', 1, input.maxBytes],
        ...Object.entries(signed).map(([name, value]) => ({ [name]: value })),
      ],
    };
    const encodedPolicy = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
    const signingKey = hmac(
      hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, shortDate), region), 's3'),
      'aws4_request',
    );
    return {
      url: await this.bucketUrl(input.objectKey),
      fields: {
        key: input.objectKey,
        'Content-Type': input.contentType,
        ...signed,
        Policy: encodedPolicy,
        'X-Amz-Signature': hmac(signingKey, encodedPolicy).toString('hex'),
      },
    };
  }

  /**
   * The bucket's URL as the client resolves it (virtual-hosted in AWS, path-style against s3rver),
   * taken from a presigned PUT URL of the key without the key and the query (the SDK's endpoint
   * rules stay the only place that knows the URL layout).
   */
  private async bucketUrl(objectKey: string): Promise<string> {
    const objectUrl = new URL(
      await getSignedUrl(this.s3, new PutObjectCommand({ Bucket: this.bucket, Key: objectKey }), {
        expiresIn: 60,
      }),
    );
    const keyPath = `/${objectKey.split('/').map(encodeURIComponent).join('/')}`;
    if (!objectUrl.pathname.endsWith(keyPath)) throw new Error('Unexpected S3 object URL layout');
    objectUrl.pathname = objectUrl.pathname.slice(0, -keyPath.length) || '/';
    objectUrl.search = '';
    return objectUrl.toString();
  }
}

/** The documents bucket of this deployment, with presigned uploads. */
export function documentStorageFromEnv(): S3DocumentStorage {
  return new S3DocumentStorage(documentsS3Client(), documentsBucketFromEnv());
}

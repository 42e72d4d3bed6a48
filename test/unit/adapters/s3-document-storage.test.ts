import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStorage } from '../../../shared/adapters/s3-document-storage';
import type { ApplicationRecord } from '../../../shared/domain/application';
import {
  documentProblems,
  MAX_DOCUMENT_BYTES,
  UPLOAD_URL_SECONDS,
} from '../../../shared/onboarding/documents';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const KEY = 'applications/01JAPP/ID_CARD_FRONT/01JDOC';

function awsStorage(sessionToken?: string): S3DocumentStorage {
  return new S3DocumentStorage(
    new S3Client({
      region: 'cn-north-1',
      credentials: { ...credentials, sessionToken },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    'merchant-onboarding-documents',
  );
}

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * S3's side of a presigned PUT, written from the SigV4 specification: recomputes the signature of
 * the request a client actually sends (its headers) and compares it with the URL's.
 */
function s3Accepts(url: string, headers: Record<string, string>): boolean {
  const parsed = new URL(url);
  const query = [...parsed.searchParams.entries()].filter(([name]) => name !== 'X-Amz-Signature');
  const signedHeaders = (parsed.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');
  const sent: Record<string, string> = { host: parsed.host, ...headers };
  const canonicalRequest = [
    'PUT',
    parsed.pathname,
    query
      .map(([name, value]) => [encode(name), encode(value)])
      .sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1))
      .map(([name, value]) => `${name}=${value}`)
      .join('&'),
    ...signedHeaders.map((name) => `${name}:${(sent[name] ?? '').trim()}`),
    '',
    signedHeaders.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const date = parsed.searchParams.get('X-Amz-Date') ?? '';
  const scope = (parsed.searchParams.get('X-Amz-Credential') ?? '').split('/').slice(1).join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date.slice(0, 8)), 'cn-north-1'), 's3'),
    'aws4_request',
  );
  return hmac(key, stringToSign).toString('hex') === parsed.searchParams.get('X-Amz-Signature');
}

describe('S3DocumentStorage presigned PUT', () => {
  it('signs the content type, and the exact Content-Length when the size is given', async () => {
    const url = await awsStorage().presignUpload({
      objectKey: KEY,
      contentType: 'image/jpeg',
      expiresInSeconds: UPLOAD_URL_SECONDS,
      sizeBytes: 123_456,
    });
    const params = new URL(url).searchParams;
    expect(params.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(Number(params.get('X-Amz-Expires'))).toBeLessThanOrEqual(15 * 60);
    // No checksum of the (empty) presigned body: it would make S3 refuse every real upload.
    expect([...params.keys()].filter((name) => name.startsWith('x-amz-checksum'))).toEqual([]);

    expect(s3Accepts(url, { 'content-type': 'image/jpeg', 'content-length': '123456' })).toBe(true);
    expect(
      s3Accepts(url, { 'content-type': 'image/jpeg', 'content-length': String(MAX_DOCUMENT_BYTES + 1) }),
    ).toBe(false);
    expect(s3Accepts(url, { 'content-type': 'image/jpeg', 'content-length': '123457' })).toBe(false);
    expect(s3Accepts(url, { 'content-type': 'text/html', 'content-length': '123456' })).toBe(false);
  });

  it('signs the content type (but no size) when the size is not given', async () => {
    const url = await awsStorage('session-token').presignUpload({
      objectKey: KEY,
      contentType: 'application/pdf',
      expiresInSeconds: UPLOAD_URL_SECONDS,
    });
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(s3Accepts(url, { 'content-type': 'application/pdf' })).toBe(true);
    expect(s3Accepts(url, { 'content-type': 'image/svg+xml' })).toBe(false);
  });
});

describe('S3DocumentStorage presigned POST', () => {
  it('signs a policy bound to bucket, key, exact content type and 1..maxBytes bytes', async () => {
    const before = Date.now();
    const post = await awsStorage('session-token').presignPost({
      objectKey: KEY,
      contentType: 'image/png',
      expiresInSeconds: UPLOAD_URL_SECONDS,
      maxBytes: MAX_DOCUMENT_BYTES,
    });
    expect(post.url).toBe('https://merchant-onboarding-documents.s3.cn-north-1.amazonaws.com.cn/');
    expect(post.fields).toMatchObject({
      key: KEY,
      'Content-Type': 'image/png',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Security-Token': 'session-token',
    });
    const policy = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'merchant-onboarding-documents' },
        { key: KEY },
        { 'Content-Type': 'image/png' },
        ['content-length-range', 1, MAX_DOCUMENT_BYTES],
        { 'X-Amz-Credential': post.fields['X-Amz-Credential'] },
        { 'X-Amz-Date': post.fields['X-Amz-Date'] },
        { 'X-Amz-Security-Token': 'session-token' },
      ]),
    );
    // No starts-with or other open condition: nothing else may vary.
    expect(JSON.stringify(policy.conditions)).not.toContain('starts-with');
    const expiresIn = Date.parse(policy.expiration) - before;
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60 * 1000 + 1000);

    // The signature is SigV4's over the base64 policy: checked against the SDK's own signer.
    const date = post.fields['X-Amz-Date'] ?? '';
    const signingDate = new Date(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    const signer = new SignatureV4({
      credentials,
      region: 'cn-north-1',
      service: 's3',
      sha256: class {
        private readonly hash;
        constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
          this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
        }
        update(data: string | ArrayBuffer | ArrayBufferView) {
          this.hash.update(bytes(data));
        }
        async digest() {
          return new Uint8Array(this.hash.digest());
        }
      },
    });
    expect(await signer.sign(post.fields.Policy ?? '', { signingDate })).toBe(post.fields['X-Amz-Signature']);
  });

  it('posts to the path-style bucket URL against a custom endpoint', async () => {
    const storage = new S3DocumentStorage(
      new S3Client({
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:4569',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
      'documents',
    );
    const post = await storage.presignPost({
      objectKey: KEY,
      contentType: 'image/jpeg',
      expiresInSeconds: 60,
      maxBytes: 10,
    });
    expect(post.url).toBe('http://127.0.0.1:4569/documents');
    expect(post.fields['X-Amz-Security-Token']).toBeUndefined();
  });
});

describe('submit-time check of what S3 holds (s3rver, which checks no signature)', () => {
  let directory: string;
  let server: S3rver;
  let storage: S3DocumentStorage;
  let s3: S3Client;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 's3-document-storage-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: 'documents' }],
    });
    const { port } = await server.run();
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    storage = new S3DocumentStorage(s3, 'documents');
  });

  afterAll(async () => {
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function upload(objectKey: string, contentType: string, bytes: number): Promise<number> {
    const url = await storage.presignUpload({ objectKey, contentType, expiresInSeconds: 60 });
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': contentType },
      body: new Uint8Array(bytes),
    });
    return response.status;
  }

  it('refuses documents above maxBytes, empty, or stored with another content type', async () => {
    const kinds = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'] as const;
    const documents = Object.fromEntries(
      kinds.map((kind) => [
        kind,
        { documentId: kind, contentType: 'image/jpeg', objectKey: `applications/a/${kind}/1`, createdAt: '' },
      ]),
    );
    const record = { body: { type: 'INDIVIDUAL' }, documents } as unknown as ApplicationRecord;
    // s3rver lets all of these through: only real S3 checks the signature.
    expect(await upload('applications/a/ID_CARD_FRONT/1', 'image/jpeg', 2048)).toBe(200);
    expect(await upload('applications/a/ID_CARD_BACK/1', 'image/jpeg', MAX_DOCUMENT_BYTES + 1)).toBe(200);
    expect(await upload('applications/a/BANK_CARD/1', 'text/html', 10)).toBe(200);
    expect(await upload('applications/a/STORE_PHOTO/1', 'image/jpeg', 0)).toBe(200);

    expect(await storage.objectInfo('applications/a/ID_CARD_FRONT/1')).toEqual({
      size: 2048,
      contentType: 'image/jpeg',
    });
    expect(await storage.objectInfo('applications/a/none/1')).toBeUndefined();
    const problems = await documentProblems(record, storage);
    expect(problems.map((problem) => [problem.field, problem.code]).sort()).toEqual([
      ['documents.BANK_CARD', 'INVALID_CONTENT_TYPE'],
      ['documents.ID_CARD_BACK', 'INVALID_SIZE'],
      ['documents.STORE_PHOTO', 'INVALID_SIZE'],
    ]);
  }, 60_000);
});

import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStorage } from '../../../shared/adapters/s3-document-storage';
import type { ApplicationRecord } from '../../../shared/domain/application';
import {
  documentProblems,
  MAX_DOCUMENT_BYTES,
  pinDocuments,
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
  it('signs the content type, the exact Content-Length and If-None-Match: the URL writes its key once', async () => {
    const url = await awsStorage('session-token').presignUpload({
      objectKey: KEY,
      contentType: 'image/jpeg',
      expiresInSeconds: UPLOAD_URL_SECONDS,
      sizeBytes: 123_456,
    });
    const params = new URL(url).searchParams;
    expect(params.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;if-none-match');
    expect(Number(params.get('X-Amz-Expires'))).toBeLessThanOrEqual(15 * 60);
    // No checksum of the (empty) presigned body: it would make S3 refuse every real upload.
    expect([...params.keys()].filter((name) => name.startsWith('x-amz-checksum'))).toEqual([]);

    const good = { 'content-type': 'image/jpeg', 'content-length': '123456', 'if-none-match': '*' };
    expect(s3Accepts(url, good)).toBe(true);
    expect(s3Accepts(url, { ...good, 'content-length': String(MAX_DOCUMENT_BYTES + 1) })).toBe(false);
    expect(s3Accepts(url, { ...good, 'content-length': '123457' })).toBe(false);
    // The 5 GB a URL without a signed length would take, or repeated PUTs of any size: refused.
    expect(s3Accepts(url, { ...good, 'content-length': String(5 * 1024 ** 3) })).toBe(false);
    expect(s3Accepts(url, { ...good, 'content-type': 'text/html' })).toBe(false);
    // Without the precondition (an overwrite of a key written already): refused.
    expect(s3Accepts(url, { 'content-type': 'image/jpeg', 'content-length': '123456' })).toBe(false);
  });

  it('signs a GET of the exact version asked for', async () => {
    const url = new URL(
      await awsStorage().presignDownload({ objectKey: KEY, versionId: 'v-123', expiresInSeconds: 300 }),
    );
    expect(url.searchParams.get('versionId')).toBe('v-123');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
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
    // Signed for another size than sent: s3rver checks no signature, so the body goes in whatever it is.
    const url = await storage.presignUpload({ objectKey, contentType, expiresInSeconds: 60, sizeBytes: 1 });
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': contentType, 'if-none-match': '*' },
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
      etag: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(await storage.objectInfo('applications/a/none/1')).toBeUndefined();
    const problems = await documentProblems(record, storage);
    expect(problems.map((problem) => [problem.field, problem.code]).sort()).toEqual([
      ['documents.BANK_CARD', 'INVALID_CONTENT_TYPE'],
      ['documents.ID_CARD_BACK', 'INVALID_SIZE'],
      ['documents.STORE_PHOTO', 'INVALID_SIZE'],
    ]);
  }, 60_000);

  it('pins each document at submission, and reports one written again after it as REPLACED', async () => {
    const kinds = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'] as const;
    const documents = Object.fromEntries(
      kinds.map((kind) => [
        kind,
        { documentId: kind, contentType: 'image/png', objectKey: `applications/b/${kind}/1`, createdAt: '' },
      ]),
    );
    for (const kind of kinds) expect(await upload(`applications/b/${kind}/1`, 'image/png', 64)).toBe(200);
    const draft = { body: { type: 'INDIVIDUAL' }, documents } as unknown as ApplicationRecord;
    const pinned = await pinDocuments(draft, storage, '2026-12-01T08:00:00.000Z');
    expect(pinned.problems).toEqual([]);
    expect(pinned.documents.BANK_CARD?.submitted).toEqual({
      etag: expect.stringMatching(/^[0-9a-f]{32}$/),
      size: 64,
      at: '2026-12-01T08:00:00.000Z',
    });
    const submitted = { ...draft, documents: pinned.documents } as ApplicationRecord;
    expect(await documentProblems(submitted, storage)).toEqual([]);

    // The same size, other bytes: only the ETag tells them apart (S3 would refuse the write).
    const swap = await storage.presignUpload({
      objectKey: 'applications/b/BANK_CARD/1',
      contentType: 'image/png',
      expiresInSeconds: 60,
      sizeBytes: 64,
    });
    const put = await fetch(swap, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(64).fill(7),
    });
    expect(put.status).toBe(200);
    expect(await documentProblems(submitted, storage)).toEqual([
      expect.objectContaining({ field: 'documents.BANK_CARD', code: 'REPLACED' }),
    ]);
    // A resubmission keeps the first pin: the swapped content is never taken as the document.
    expect((await pinDocuments(submitted, storage, '2026-12-02T08:00:00.000Z')).problems).toEqual([
      expect.objectContaining({ field: 'documents.BANK_CARD', code: 'REPLACED' }),
    ]);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStorage } from '../../../shared/adapters/s3-document-storage';
import type { ApplicationRecord } from '../../../shared/domain/application';
import type { ReviewTaskRecord } from '../../../shared/domain/review';
import { pinDocuments } from '../../../shared/onboarding/documents';
import { DOCUMENT_VIEW_SECONDS, getReviewDocuments } from '../../../shared/reviews/documents';

// The handler module builds its clients at import (cold start), as in Lambda.
process.env.TABLE_NAME = 'unit';
process.env.DOCUMENTS_BUCKET = 'unit';
process.env.FIELD_CIPHER_LOCAL_KEY = 'unit-field-key';
const { makeHandler } = await import('../../../functions/get-review-documents');

const NOW = new Date('2026-12-01T08:00:00.000Z');
const clock = { now: () => NOW };

function task(overrides: Partial<ReviewTaskRecord> = {}): ReviewTaskRecord {
  return {
    taskId: 'T1',
    kind: 'APPLICATION',
    subjectId: 'APP1',
    status: 'PENDING',
    createdAt: NOW.toISOString(),
    deadline: NOW.toISOString(),
    finalDeadline: NOW.toISOString(),
    escalated: false,
    automatedChecks: [],
    requiredChecks: ['phoneCallback'],
    summary: 'INDIVIDUAL · 张三便利店 · MCC 5411',
    ...overrides,
  };
}

const ref = (kind: string, contentType = 'image/jpeg') => ({
  documentId: `D-${kind}`,
  contentType,
  objectKey: `applications/APP1/${kind}/D-${kind}`,
  createdAt: NOW.toISOString(),
});

const draft = {
  applicationId: 'APP1',
  body: { type: 'INDIVIDUAL' },
  documents: { ID_CARD_FRONT: ref('ID_CARD_FRONT'), BANK_CARD: ref('BANK_CARD', 'image/png') },
} as unknown as ApplicationRecord;
/** The application as its submission left it: every uploaded document pinned. */
let application: ApplicationRecord;

describe('GET /v1/reviews/{taskId}/documents (presigned GETs against s3rver)', () => {
  let directory: string;
  let server: S3rver;
  let storage: S3DocumentStorage;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'review-documents-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: 'documents' }],
    });
    const { port } = await server.run();
    storage = new S3DocumentStorage(
      new S3Client({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        requestChecksumCalculation: 'WHEN_REQUIRED',
      }),
      'documents',
    );
    expect(await upload('jpeg bytes')).toBe(200);
    const { documents } = await pinDocuments(draft, storage, NOW.toISOString());
    application = { ...draft, documents };
  });

  /** Writes ID_CARD_FRONT's key through a presigned PUT (s3rver honours no If-None-Match). */
  async function upload(body: string): Promise<number> {
    const url = await storage.presignUpload({
      objectKey: ref('ID_CARD_FRONT').objectKey,
      contentType: 'image/jpeg',
      expiresInSeconds: 60,
      sizeBytes: body.length,
    });
    const put = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg', 'if-none-match': '*' },
      body,
    });
    return put.status;
  }

  afterAll(async () => {
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  const deps = (
    overrides: { task?: ReviewTaskRecord | undefined; application?: ApplicationRecord } = {},
  ) => ({
    reviews: { get: async () => ('task' in overrides ? overrides.task : task()) },
    applications: { get: async () => overrides.application ?? application },
    storage,
    clock,
  });

  it('lists each recorded document, with a working presigned GET of the submitted content only', async () => {
    const answer = await getReviewDocuments(deps(), 'T1');
    expect(answer.expiresAt).toBe(new Date(NOW.getTime() + DOCUMENT_VIEW_SECONDS * 1000).toISOString());
    expect(
      answer.documents.map(({ kind, uploaded, contentType, state }) => ({
        kind,
        uploaded,
        contentType,
        state,
      })),
    ).toEqual([
      { kind: 'ID_CARD_FRONT', uploaded: true, contentType: 'image/jpeg', state: 'SUBMITTED' },
      { kind: 'BANK_CARD', uploaded: false, contentType: 'image/png', state: 'NOT_SUBMITTED' },
    ]);
    const [front, bank] = answer.documents;
    expect(front).toMatchObject({ etag: expect.stringMatching(/^[0-9a-f]{32}$/), sizeBytes: 10 });
    expect(bank?.url).toBeNull();
    const url = new URL(front?.url ?? '');
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(DOCUMENT_VIEW_SECONDS));
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('jpeg bytes');
  });

  it('names the pinned version in the URL, and shows no URL once the key was written again', async () => {
    const versioned = {
      ...application,
      documents: {
        ID_CARD_FRONT: {
          ...ref('ID_CARD_FRONT'),
          submitted: { versionId: 'v-1', etag: 'e', size: 1, at: NOW.toISOString() },
        },
      },
    } as ApplicationRecord;
    const pinnedStorage = Object.assign(Object.create(storage) as S3DocumentStorage, {
      objectInfo: async (_key: string, versionId?: string) =>
        versionId === 'v-1' ? { size: 1, contentType: 'image/jpeg', etag: 'e', versionId: 'v-1' } : undefined,
    });
    const [pinned] = (
      await getReviewDocuments({ ...deps({ application: versioned }), storage: pinnedStorage }, 'T1')
    ).documents;
    expect(pinned).toMatchObject({ state: 'SUBMITTED', versionId: 'v-1' });
    expect(new URL(pinned?.url ?? '').searchParams.get('versionId')).toBe('v-1');

    // s3rver keeps no versions: a second write of the key (which S3 refuses: If-None-Match) shows
    // here as another ETag, and the reviewer gets no URL to content nobody submitted.
    expect(await upload('other bytes')).toBe(200);
    const [front] = (await getReviewDocuments(deps(), 'T1')).documents;
    expect(front).toMatchObject({ state: 'REPLACED', url: null });
  });

  it('has no documents for other kinds of task, and 404 for an unknown task', async () => {
    const other = await getReviewDocuments(deps({ task: task({ kind: 'CHANGE_REQUEST' }) }), 'T1');
    expect(other).toEqual({ taskId: 'T1', documents: [], expiresAt: null });
    await expect(getReviewDocuments(deps({ task: undefined }), 'T9')).rejects.toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
    });
  });

  it('is for reviewers only: an operator gets 403', async () => {
    const handler = makeHandler(deps());
    const event = (groups: string) =>
      ({
        httpMethod: 'GET',
        resource: '/v1/reviews/{taskId}/documents',
        path: '/v1/reviews/T1/documents',
        pathParameters: { taskId: 'T1' },
        headers: {},
        body: null,
        requestContext: {
          requestId: 'r1',
          authorizer: { claims: { sub: 'someone', 'cognito:groups': groups } },
        },
      }) as unknown as APIGatewayProxyEvent;
    const asOperator = (await handler(event('operator'), {} as never)) as {
      statusCode: number;
      body: string;
    };
    expect(asOperator.statusCode).toBe(403);
    expect(JSON.parse(asOperator.body).error.code).toBe('FORBIDDEN');
    const asReviewer = (await handler(event('reviewer'), {} as never)) as {
      statusCode: number;
      body: string;
    };
    expect(asReviewer.statusCode).toBe(200);
    expect(JSON.parse(asReviewer.body).documents).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationTaskId } from '../../shared/domain/application';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { verifyContacts } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Uploads that cannot be swapped, on the real local stack. The upload URL signs the exact length
 * and `If-None-Match: *` (no size, no URL); at submission every document is pinned (version id in
 * AWS, ETag and checksum), and the reviewer sees exactly the pinned content. s3rver checks neither
 * signatures nor preconditions, so a URL issued in DRAFT still overwrites the key after submission
 * here (S3 answers 412, and the bucket policy denies unconditional writes): the pin's ETag shows the
 * change, and the reviewer gets no URL to content nobody submitted.
 */

let testStack: TestStack;
let api: ApiClient;
let reviewer: string;
let seq = 0;
const figures = { uploads: 0, pinned: 0, swapsAfterSubmit: 0, swapsShownToReviewer: 0 };

beforeAll(async () => {
  testStack = await startTestStack('document-swap', {
    REVIEW_ESCALATION_SECONDS: '300',
    REVIEW_FINAL_SECONDS: '600',
    SMS_PER_PHONE_PER_HOUR: '10000',
  });
  ({ api, reviewer } = testStack);
});

afterAll(async () => {
  console.info(`document swap figures: ${JSON.stringify(figures)}`);
  await testStack?.stop();
});

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'] as const;

async function draft() {
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ email: `swap-${Date.now()}-${++seq}@example.com` }),
    headers: { 'idempotency-key': `swap-${Date.now()}-${seq}` },
  });
  expect(created.status).toBe(201);
  return { id: created.json.applicationId as string, token: created.json.accessToken as string };
}

describe('document uploads', () => {
  it('refuses a document request without its exact size, and signs length and If-None-Match', async () => {
    const { id, token } = await draft();
    const unsized = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind: 'STORE_PHOTO', contentType: 'image/png' },
    });
    expect(unsized.status).toBe(400);
    expect(unsized.json.error.fields).toEqual([expect.objectContaining({ field: 'sizeBytes' })]);
    const oversized = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind: 'STORE_PHOTO', contentType: 'image/png', sizeBytes: 10 * 1024 * 1024 + 1 },
    });
    expect(oversized.status).toBe(400);
    const got = await api.call('GET', `/v1/applications/${id}`, { token });
    expect(got.json.documents).toEqual([]);

    const sized = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind: 'STORE_PHOTO', contentType: 'image/png', sizeBytes: 1234 },
    });
    expect(sized.status).toBe(201);
    expect(sized.json.headers).toEqual({
      'content-type': 'image/png',
      'content-length': '1234',
      'if-none-match': '*',
    });
    expect(sized.json).not.toHaveProperty('upload');
    const signed = new URL(sized.json.uploadUrl).searchParams.get('X-Amz-SignedHeaders');
    expect(signed?.split(';')).toEqual(['content-length', 'content-type', 'host', 'if-none-match']);
  });

  it('pins every document at submit; a DRAFT URL used after submit never reaches the reviewer', async () => {
    const { id, token } = await draft();
    const urls = new Map<string, { url: string; headers: Record<string, string> }>();
    for (const kind of KINDS) {
      const bytes = `submitted-${kind}`;
      const doc = await api.call('POST', `/v1/applications/${id}/documents`, {
        token,
        body: { kind, contentType: 'image/png', sizeBytes: bytes.length },
      });
      const put = await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: bytes });
      expect(put.status).toBe(200);
      figures.uploads += 1;
      urls.set(kind, { url: doc.json.uploadUrl, headers: doc.json.headers });
    }
    await verifyContacts(api, id, token);
    expect((await api.call('POST', `/v1/applications/${id}/submit`, { token })).status).toBe(202);
    const taskId = applicationTaskId(id, 1);
    await eventually(async () => {
      const task = await api.call('GET', `/v1/reviews/${taskId}`, { token: reviewer });
      return task.status === 200 ? task : undefined;
    });

    const before = await api.call('GET', `/v1/reviews/${taskId}/documents`, { token: reviewer });
    expect(before.status).toBe(200);
    for (const document of before.json.documents) {
      expect(document).toMatchObject({
        state: 'SUBMITTED',
        uploaded: true,
        etag: expect.stringMatching(/^[0-9a-f]{32}$/),
        sizeBytes: `submitted-${document.kind}`.length,
        // s3rver keeps no versions; in AWS this is the S3 version id the URL names.
        versionId: null,
      });
      figures.pinned += 1;
    }
    const bank = before.json.documents.find((d: { kind: string }) => d.kind === 'BANK_CARD');
    expect(await (await fetch(bank.url)).text()).toBe('submitted-BANK_CARD');

    // The DRAFT URL, still within its 15 minutes, used after submission with other bytes of the
    // same length (S3 would answer 412 to If-None-Match; s3rver lets it through).
    const swap = urls.get('BANK_CARD');
    if (!swap) throw new Error('no URL');
    const swapped = await fetch(swap.url, {
      method: 'PUT',
      headers: swap.headers,
      body: 'swapped!!-BANK_CARD',
    });
    expect(swapped.status).toBe(200);
    figures.swapsAfterSubmit += 1;

    const after = await api.call('GET', `/v1/reviews/${taskId}/documents`, { token: reviewer });
    const replaced = after.json.documents.find((d: { kind: string }) => d.kind === 'BANK_CARD');
    expect(replaced).toMatchObject({ state: 'REPLACED', url: null, etag: bank.etag });
    for (const document of after.json.documents.filter((d: { kind: string }) => d.kind !== 'BANK_CARD')) {
      expect(document.state).toBe('SUBMITTED');
      expect(await (await fetch(document.url)).text()).toBe(`submitted-${document.kind}`);
    }
    const served = after.json.documents
      .filter((d: { url: string | null }) => d.url !== null)
      .map((d: { kind: string }) => d.kind);
    figures.swapsShownToReviewer += served.includes('BANK_CARD') ? 1 : 0;
    expect(served).not.toContain('BANK_CARD');
  });
});

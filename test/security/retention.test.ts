import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DOCUMENTS_BUCKET,
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
} from '../../local/constants';
import { applicationTaskId } from '../../shared/domain/application';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { approvedMerchant, verifyContacts } from '../support/onboarding';
import { type StoredItem, scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Retention on the real local stack (PIPL minimisation): rejected, withdrawn and expired
 * applications, and drafts never submitted, are erased after the retention period (seconds here,
 * 180 days by default) by the scheduled sweep — every document, the review tasks with their
 * waiting tokens, the send records and the personal data — leaving an audit stub. Approved,
 * pending and not-yet-due applications are untouched, and the sweep makes no Scan (it queries the
 * keys-only retention index, one day partition at a time; counted by the DynamoDB proxy).
 */

const RETENTION_SECONDS = 3;
const DRAFT_TTL_SECONDS = 25;

let testStack: TestStack;
let api: ApiClient;
let reviewer: string;
let s3: S3Client;
let seq = 0;
const figures = {
  applications: 0,
  erased: 0,
  documentsErased: 0,
  untouched: 0,
  sweeps: 0,
  scans: 0,
  personalValuesLeft: 0,
};

beforeAll(async () => {
  testStack = await startTestStack(
    'retention',
    {
      RETENTION_SECONDS: String(RETENTION_SECONDS),
      DRAFT_TTL_SECONDS: String(DRAFT_TTL_SECONDS),
      REVIEW_ESCALATION_SECONDS: '300',
      REVIEW_FINAL_SECONDS: '600',
      SMS_PER_PHONE_PER_HOUR: '10000',
    },
    // The DynamoDB proxy counts every operation the handlers make (nothing armed).
    { faults: '' },
  );
  ({ api, reviewer } = testStack);
  s3 = new S3Client({
    endpoint: testStack.stack.urls.s3,
    region: LOCAL_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
});

afterAll(async () => {
  console.info(`retention figures: ${JSON.stringify(figures)}`);
  s3?.destroy();
  await testStack?.stop();
});

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'] as const;
const PHONE = '13912345678';

async function draft(uploads: readonly string[] = KINDS) {
  const email = `retention-${Date.now()}-${++seq}@example.com`;
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ email, phone: PHONE }),
    headers: { 'idempotency-key': `retention-${Date.now()}-${seq}` },
  });
  expect(created.status).toBe(201);
  const id = created.json.applicationId as string;
  const token = created.json.accessToken as string;
  for (const kind of uploads) {
    const doc = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
  figures.applications += 1;
  return { id, token, email };
}

async function objectsOf(applicationId: string): Promise<number> {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: DOCUMENTS_BUCKET, Prefix: `applications/${applicationId}/` }),
  );
  return listed.KeyCount ?? 0;
}

async function itemsOf(applicationId: string): Promise<StoredItem[]> {
  return (await scanTable(testStack.stack.urls.dynamodb)).filter((item) => item.pk.includes(applicationId));
}

async function sweep() {
  const before = (await api.call('GET', '/_local/faults')).json.dynamodbCalls as Record<string, number>;
  const run = await api.call('POST', '/_local/retention-run');
  expect(run.status).toBe(200);
  const after = (await api.call('GET', '/_local/faults')).json.dynamodbCalls as Record<string, number>;
  figures.sweeps += 1;
  figures.scans += (after.Scan ?? 0) - (before.Scan ?? 0);
  expect(after.Scan ?? 0).toBe(before.Scan ?? 0);
  expect(after.Query ?? 0).toBeGreaterThan(before.Query ?? 0);
  return run.json as { purged: number; documentsErased: number; skipped: number };
}

/** The personal values of the fixture: none may be left in an erased application's items. */
const PERSONAL = [PHONE, '张三', '朝阳区建国路88号', 'zhangsan'];

function expectStub(item: StoredItem | undefined, status: string) {
  expect(item).toBeDefined();
  expect(item).toMatchObject({ status, purgedAt: expect.any(String), closedAt: expect.any(String) });
  for (const attribute of ['body', 'tokenHash', 'documents', 'requestHash', 'gsi2pk', 'uniquenessKeys'])
    expect(item, attribute).not.toHaveProperty(attribute);
  const text = JSON.stringify(item);
  const left = PERSONAL.filter((value) => text.includes(value));
  figures.personalValuesLeft += left.length;
  expect(left).toEqual([]);
  expect(((item?.timeline ?? []) as { action: string }[]).at(-1)?.action).toBe('PURGED');
}

describe('retention of applications that never became a merchant', () => {
  // Whole journeys and sweeps: ~30 s alone, several times that beside other suites on two cores.
  it('erases rejected and withdrawn applications after the period, leaves the others, never scans', async () => {
    const withdrawn = await draft();
    expect(
      (await api.call('POST', `/v1/applications/${withdrawn.id}/withdraw`, { token: withdrawn.token }))
        .status,
    ).toBe(200);

    const rejected = await draft();
    await verifyContacts(api, rejected.id, rejected.token);
    expect(
      (await api.call('POST', `/v1/applications/${rejected.id}/submit`, { token: rejected.token })).status,
    ).toBe(202);
    const taskId = applicationTaskId(rejected.id, 1);
    await eventually(async () => {
      const task = await api.call('GET', `/v1/reviews/${taskId}`, { token: reviewer });
      return task.status === 200 ? task : undefined;
    });
    const decided = await api.call('POST', `/v1/reviews/${taskId}/decision`, {
      token: reviewer,
      body: { decision: 'REJECT', reasons: [{ field: 'business.name', reason: '名称不符' }] },
    });
    expect(decided.status).toBe(200);
    await eventually(async () => {
      const got = await api.call('GET', `/v1/applications/${rejected.id}`, { token: rejected.token });
      return got.json.status === 'REJECTED' ? got : undefined;
    });
    // The rejection's messages are recorded before the sweep runs.
    await eventually(async () =>
      (await itemsOf(rejected.id)).some((item) => item.pk.startsWith('SEND#')) ? true : undefined,
    );

    const approved = await approvedMerchant(api, reviewer);
    const pending = await draft();
    await verifyContacts(api, pending.id, pending.token);
    expect(
      (await api.call('POST', `/v1/applications/${pending.id}/submit`, { token: pending.token })).status,
    ).toBe(202);

    // Closed now: not due for another RETENTION_SECONDS.
    await new Promise((resolve) => setTimeout(resolve, (RETENTION_SECONDS + 1) * 1000));
    const fresh = await draft(['STORE_PHOTO']);
    expect(
      (await api.call('POST', `/v1/applications/${fresh.id}/withdraw`, { token: fresh.token })).status,
    ).toBe(200);

    const report = await sweep();
    expect(report.purged).toBe(2);
    figures.erased += report.purged;
    figures.documentsErased += report.documentsErased;
    expect(report.documentsErased).toBe(2 * KINDS.length);

    for (const [app, status] of [
      [withdrawn, 'WITHDRAWN'],
      [rejected, 'REJECTED'],
    ] as const) {
      expect(await objectsOf(app.id)).toBe(0);
      const all = await itemsOf(app.id);
      // One-time codes and their send records expire by TTL within a day of their code: not
      // erased here, gone long before any retention period ends.
      const ttl = all.filter(
        (item) =>
          typeof item.expiresAt === 'number' && item.expiresAt * 1000 < Date.now() + 2 * 24 * 3600 * 1000,
      );
      expect(ttl.every((item) => item.pk.startsWith('OTC#') || item.pk.startsWith('SEND#otc#'))).toBe(true);
      const items = all.filter((item) => !ttl.includes(item));
      // Only the stub is left: no review task, waiting token or send record of the application.
      expect(items.map((item) => item.pk.split('#')[0])).toEqual(['APP']);
      expectStub(items[0], status);
      const got = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
      expect(got.status).toBe(401);
    }
    expect(await api.call('GET', `/v1/reviews/${taskId}`, { token: reviewer })).toMatchObject({
      status: 404,
    });

    for (const app of [
      { id: approved.applicationId, token: approved.token },
      { id: pending.id, token: pending.token },
      { id: fresh.id, token: fresh.token },
    ]) {
      const got = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
      expect(got.status).toBe(200);
      expect(got.json.contact.email).toBeDefined();
      expect(await objectsOf(app.id)).toBeGreaterThan(0);
      figures.untouched += 1;
    }

    // A second sweep erases nothing twice (idempotent), at most the one closed just before the
    // first (due by now, with its one document), and still scans nothing.
    const again = await sweep();
    expect(again.purged).toBeLessThanOrEqual(1);
    expect(again.documentsErased).toBe(again.purged);
    for (const id of [approved.applicationId, pending.id]) expect(await objectsOf(id)).toBeGreaterThan(0);
  }, 240_000);

  it('erases a draft never submitted once its lifetime and the retention period have passed', async () => {
    const forgotten = await draft(['ID_CARD_FRONT', 'STORE_PHOTO']);
    // Not due while it could still be submitted, nor during the retention period after that.
    await sweep();
    expect(await objectsOf(forgotten.id)).toBe(2);
    expect((await itemsOf(forgotten.id)).find((item) => item.sk === 'APP')).toHaveProperty('body');
    await new Promise((resolve) => setTimeout(resolve, (DRAFT_TTL_SECONDS + RETENTION_SECONDS + 1) * 1000));
    const report = await sweep();
    expect(report.purged).toBeGreaterThanOrEqual(1);
    figures.erased += report.purged;
    figures.documentsErased += report.documentsErased;
    expect(await objectsOf(forgotten.id)).toBe(0);
    const [stub] = await itemsOf(forgotten.id);
    expectStub(stub, 'EXPIRED');
  }, 240_000);
});

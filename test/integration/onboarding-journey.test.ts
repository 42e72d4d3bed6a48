import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { signAgreement, verifyContacts } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * The whole journey against the real local stack: DynamoDB Local, the ASL run by
 * aws-local-stepfunctions behind the local SFN endpoint, aws-ses-v2-local, s3rver, the SMS outbox
 * and the local API server, all reached through the real AWS SDK clients of the handlers.
 */

let api: ApiClient;
let reviewer: string;
let operator: string;
let testStack: TestStack;

const REQUIRED_KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];
let keySeq = 0;
const newKey = () => `journey-${Date.now()}-${++keySeq}`;

beforeAll(async () => {
  testStack = await startTestStack('journey', {
    REVIEW_ESCALATION_SECONDS: '120',
    REVIEW_FINAL_SECONDS: '240',
    RESUBMISSION_SECONDS: '240',
    // Every fixture merchant has the same phone: the hourly SMS limit (notifications.test.ts) is off here.
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  });
  ({ api, reviewer, operator } = testStack);
});

afterAll(() => testStack?.stop());

async function createDraft(body = individualApplication()) {
  const created = await api.call('POST', '/v1/applications', {
    body,
    headers: { 'idempotency-key': newKey() },
  });
  expect(created.status).toBe(201);
  return { id: created.json.applicationId as string, token: created.json.accessToken as string, body };
}

async function uploadDocuments(id: string, token: string, kinds = REQUIRED_KINDS) {
  for (const kind of kinds) {
    const bytes = Buffer.from(`fake-jpeg-${kind}`);
    const doc = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind, contentType: 'image/jpeg', sizeBytes: bytes.length },
    });
    expect(doc.status).toBe(201);
    const put = await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: bytes });
    expect(put.status).toBe(200);
  }
}

async function submitted(body = individualApplication()) {
  const draft = await createDraft(body);
  await uploadDocuments(draft.id, draft.token);
  await verifyContacts(api, draft.id, draft.token);
  const submit = await api.call('POST', `/v1/applications/${draft.id}/submit`, { token: draft.token });
  expect(submit.status).toBe(202);
  expect(submit.json.status).toBe('SUBMITTED');
  return draft;
}

async function pendingTaskFor(applicationId: string) {
  return eventually(async () => {
    const page = await api.call('GET', '/v1/reviews?status=PENDING&limit=100', { token: reviewer });
    return page.json.items.find((item: { subjectId: string }) => item.subjectId === applicationId);
  });
}

async function statusOf(id: string, token: string, wanted: string) {
  return eventually(async () => {
    const got = await api.call('GET', `/v1/applications/${id}`, { token });
    return got.json.status === wanted ? got.json : undefined;
  });
}

describe('onboarding journey on the local stack', () => {
  it('answers health once every part is ready', async () => {
    const health = await api.call('GET', '/v1/health');
    expect(health).toEqual({ status: 200, json: { status: 'ok' } });
  });

  it('happy path: intake → checks → review → approval → email and SMS with merchant number, terminal ID and code', async () => {
    const sn = `LKL${Date.now()}`;
    const stock = await api.call('POST', '/v1/terminals', {
      token: operator,
      body: { terminals: [{ serialNumber: sn, model: 'A8' }] },
    });
    expect(stock.status).toBe(201);
    const email = `happy-${Date.now()}@example.com`;
    const draft = await submitted(individualApplication({ serialNumber: sn, email }));

    const task = await pendingTaskFor(draft.id);
    expect(task.kind).toBe('APPLICATION');
    expect(task.requiredChecks).toEqual(['phoneCallback']);
    expect(task.automatedChecks.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining([
        'validation',
        'duplicateMerchant',
        'blocklist',
        'mcc',
        'documents',
        'terminal',
      ]),
    );
    expect(task.automatedChecks.every((c: { result: string }) => c.result !== 'FAIL')).toBe(true);

    const view = await statusOf(draft.id, draft.token, 'PENDING_REVIEW');
    expect(view.legalPerson.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    expect(view.settlement.accountNumber).toMatch(/^622202\*{9}\d{4}$/);
    expect(view.contact.phone).toBe('138****8000');
    expect(view.documents).toHaveLength(4);
    expect(view.documents.every((d: { uploaded: boolean }) => d.uploaded)).toBe(true);

    const review = await api.call('GET', `/v1/reviews/${task.taskId}`, { token: reviewer });
    expect(review.status).toBe(200);
    expect(JSON.stringify(review.json)).not.toContain(draft.body.legalPerson.idNumber);

    const noCallback = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE' },
    });
    expect(noCallback.status).toBe(400);
    expect(noCallback.json.error.fields).toEqual([
      expect.objectContaining({ field: 'checks.phoneCallback', code: 'REQUIRED' }),
    ]);

    const approve = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true, notes: 'called back' } } },
    });
    expect(approve.status).toBe(200);
    const again = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('INVALID_STATE');

    const approved = await statusOf(draft.id, draft.token, 'APPROVED');
    expect(approved.merchantNo).toMatch(/^10211015411\d{4}$/);
    expect(approved.merchantNo).toHaveLength(15);
    expect(approved.terminalId).toMatch(/^\d{8}$/);

    const mail = await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      // The first email to this merchant says the application was received; this is the approval.
      return json.messages.find(
        (m: { to: string[]; subject: string }) =>
          m.to.includes(email) && m.subject.includes('商户进件已通过'),
      );
    });
    expect(mail.text).toContain(approved.merchantNo);
    expect(mail.text).toContain(approved.terminalId);

    const sms = await eventually(async () => {
      const { json } = await api.call('GET', '/_local/sms');
      return json.messages.find((m: { body: string }) => m.body.includes(approved.merchantNo));
    });
    expect(sms.body.startsWith('【')).toBe(true);
    expect([...sms.body].length).toBeLessThanOrEqual(70);
    expect(sms.body).toMatch(/激活码\d{6}/);
    const code = /激活码(\d{6})/.exec(sms.body)?.[1];
    // No terminal is switched on before the merchant signed its agreement (its rates).
    await signAgreement(api, approved.merchantNo, draft.token);
    const activated = await api.call('POST', `/v1/terminals/${sn}/activate`, {
      token: draft.token,
      body: { activationCode: code },
    });
    expect(activated.json).toMatchObject({ status: 'ACTIVATED', terminalId: approved.terminalId });

    const merchant = await api.call('GET', `/v1/merchants/${approved.merchantNo}`, { token: draft.token });
    expect(merchant.status).toBe(200);
    expect(merchant.json).toMatchObject({ status: 'PENDING_ACTIVATION', version: 1, type: 'INDIVIDUAL' });
    expect(merchant.json.terminals).toEqual([
      { serialNumber: sn, terminalId: approved.terminalId, status: 'ACTIVATED', suspended: false },
    ]);
    const asStaff = await api.call('GET', `/v1/merchants/${approved.merchantNo}`, { token: reviewer });
    expect(asStaff.status).toBe(200);

    const terminalStatus = await api.call('POST', '/v1/terminals', {
      token: operator,
      body: { terminals: [{ serialNumber: sn, model: 'A8' }] },
    });
    expect(terminalStatus.json.results).toEqual([{ serialNumber: sn, result: 'ALREADY_REGISTERED' }]);
  }, 120_000);

  it('REQUEST_CHANGES loop: reasons to the merchant, PUT, resubmit, checks again, then approval', async () => {
    const email = `loop-${Date.now()}@example.com`;
    const draft = await submitted(individualApplication({ email }));
    const first = await pendingTaskFor(draft.id);
    const back = await api.call('POST', `/v1/reviews/${first.taskId}/decision`, {
      token: reviewer,
      body: {
        decision: 'REQUEST_CHANGES',
        reasons: [{ field: 'business.address.detail', reason: '地址不完整' }],
      },
    });
    expect(back.status).toBe(200);
    const needs = await statusOf(draft.id, draft.token, 'NEEDS_CHANGES');
    expect(needs.reasons).toEqual([
      { field: 'business.address.detail', code: 'CHANGES_REQUESTED', reason: '地址不完整' },
    ]);
    await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      return json.messages.find(
        (m: { to: string[]; subject: string }) => m.to.includes(email) && m.subject.includes('补件'),
      );
    });

    const corrected = {
      ...draft.body,
      business: {
        ...draft.body.business,
        address: { divisionCode: '110105', detail: '朝阳区建国路88号1层101' },
      },
    };
    const put = await api.call('PUT', `/v1/applications/${draft.id}`, {
      token: draft.token,
      body: corrected,
    });
    expect(put.status).toBe(200);
    expect(put.json.timeline.at(-1)).toMatchObject({
      action: 'UPDATED',
      fields: ['business.address.detail'],
    });
    const resubmit = await api.call('POST', `/v1/applications/${draft.id}/submit`, { token: draft.token });
    expect(resubmit.status).toBe(202);

    const second = await eventually(async () => {
      const task = await pendingTaskFor(draft.id);
      return task.taskId !== first.taskId ? task : undefined;
    });
    const approve = await api.call('POST', `/v1/reviews/${second.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
    });
    expect(approve.status).toBe(200);
    const approved = await statusOf(draft.id, draft.token, 'APPROVED');
    expect(approved.terminalId).toBeNull();
    expect(approved.timeline.map((t: { action: string }) => t.action)).toEqual(
      expect.arrayContaining(['SUBMITTED', 'REQUEST_CHANGES', 'UPDATED', 'RESUBMITTED', 'APPROVED']),
    );
  });

  it('REJECT by the reviewer: REJECTED with reasons, and the licence / ID is free again', async () => {
    const draft = await submitted();
    const task = await pendingTaskFor(draft.id);
    const noReason = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'REJECT' },
    });
    expect(noReason.status).toBe(400);
    const reject = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'REJECT', reasons: [{ field: 'business', reason: '经营场所与申请不符' }] },
    });
    expect(reject.status).toBe(200);
    const rejected = await statusOf(draft.id, draft.token, 'REJECTED');
    expect(rejected.reasons[0]).toMatchObject({ code: 'REJECTED_BY_REVIEWER' });
    const retry = await submitted({ ...individualApplication(), legalPerson: draft.body.legalPerson });
    await pendingTaskFor(retry.id);
  });

  it('prohibited MCC (7995) is rejected automatically with a reason code', async () => {
    const draft = await submitted(individualApplication({ mcc: '7995' }));
    const rejected = await statusOf(draft.id, draft.token, 'REJECTED');
    expect(rejected.reasons).toEqual([
      expect.objectContaining({ field: 'business.mcc', code: 'MCC_PROHIBITED' }),
    ]);
    expect(rejected.timeline.at(-1)).toMatchObject({
      status: 'REJECTED',
      actor: 'system',
      action: 'AUTO_REJECTED',
    });
  });

  it('duplicate merchant: a second application with the same legal-person ID is refused at submit', async () => {
    const first = await submitted();
    await pendingTaskFor(first.id);
    const second = await createDraft({ ...individualApplication(), legalPerson: first.body.legalPerson });
    await uploadDocuments(second.id, second.token);
    await verifyContacts(api, second.id, second.token);
    const submit = await api.call('POST', `/v1/applications/${second.id}/submit`, { token: second.token });
    expect(submit.status).toBe(409);
    expect(submit.json.error.code).toBe('DUPLICATE_MERCHANT');
    expect(JSON.stringify(submit.json)).not.toContain(first.body.legalPerson.idNumber);
  });

  it('idempotent create: same key + same body replays, other body → 422, invalid body → 400 and the key stays free', async () => {
    const key = newKey();
    const body = individualApplication();
    const first = await api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } });
    const replay = await api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(replay).toEqual(first);
    const other = await api.call('POST', '/v1/applications', {
      body: { ...body, locale: 'en' },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The application is the key's record: after the draft is edited (a full-item write) the key
    // still replays the first answer — without the token, which has been used now — and another
    // body is still refused.
    const edited = await api.call('PUT', `/v1/applications/${first.json.applicationId}`, {
      token: first.json.accessToken,
      body: { ...body, business: { ...body.business, shortName: '改名便利' } },
    });
    expect(edited.status).toBe(200);
    const { accessToken: _used, ...withoutToken } = first.json;
    expect(await api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } })).toEqual(
      {
        status: 201,
        json: withoutToken,
      },
    );
    const otherAgain = await api.call('POST', '/v1/applications', {
      body: { ...body, locale: 'en' },
      headers: { 'idempotency-key': key },
    });
    expect(otherAgain.status).toBe(422);

    const freshKey = newKey();
    const invalid = await api.call('POST', '/v1/applications', {
      body: {
        ...body,
        legalPerson: { ...body.legalPerson, idNumber: '110105194912310021' },
        status: 'APPROVED',
      },
      headers: { 'idempotency-key': freshKey },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.fields.map((f: { field: string }) => f.field)).toContain('status');
    const valid = await api.call('POST', '/v1/applications', {
      body,
      headers: { 'idempotency-key': freshKey },
    });
    expect(valid.status).toBe(201);
    expect(valid.json.applicationId).not.toBe(first.json.applicationId);
  });

  it('concurrent creates with one key: one application, every answer its 201', async () => {
    const key = newKey();
    const body = individualApplication();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } }),
      ),
    );
    // One conditional Put decides and the losers get its item back: no "in flight" 409 any more.
    const created = answers.filter((answer) => answer.status === 201);
    expect(created).toHaveLength(answers.length);
    expect(new Set(created.map((answer) => answer.json.applicationId)).size).toBe(1);
    expect(new Set(created.map((answer) => answer.json.accessToken)).size).toBe(1);
    // The one application behind the key is the one a replay returns.
    const replay = await api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } });
    expect(replay.json).toEqual(created[0]?.json);
  });

  it('pages the review queue oldest first with an opaque cursor through the index', async () => {
    const a = await submitted();
    const b = await submitted();
    await pendingTaskFor(a.id);
    await pendingTaskFor(b.id);
    const seen: { subjectId: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await api.call('GET', `/v1/reviews${query}`, { token: reviewer });
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items);
      cursor = page.json.nextCursor;
    } while (cursor);
    const created = seen.map((item) => item.createdAt);
    expect(created).toEqual([...created].sort());
    expect(seen.findIndex((item) => item.subjectId === a.id)).toBeLessThan(
      seen.findIndex((item) => item.subjectId === b.id),
    );
    const forged = await api.call(
      'GET',
      `/v1/reviews?cursor=${Buffer.from('{"pk":"APP#x"}').toString('base64url')}`,
      { token: reviewer },
    );
    expect(forged.status).toBe(400);
    expect(forged.json.error.fields[0]).toMatchObject({ field: 'cursor' });
    const badLimit = await api.call('GET', '/v1/reviews?limit=1000', { token: reviewer });
    expect(badLimit.status).toBe(400);
  });

  it('scopes every merchant route to its own application and withdraws an undecided one', async () => {
    const mine = await createDraft();
    const theirs = await createDraft();
    const peek = await api.call('GET', `/v1/applications/${theirs.id}`, { token: mine.token });
    expect(peek.status).toBe(404);
    const noToken = await api.call('GET', `/v1/applications/${mine.id}`);
    expect(noToken.status).toBe(401);
    const staffRoute = await api.call('GET', '/v1/reviews', { token: mine.token });
    expect(staffRoute.status).toBe(401);
    const wrongGroup = await api.call('GET', '/v1/reviews', { token: operator });
    expect(wrongGroup.status).toBe(403);
    const withdraw = await api.call('POST', `/v1/applications/${mine.id}/withdraw`, { token: mine.token });
    expect(withdraw.status).toBe(200);
    const twice = await api.call('POST', `/v1/applications/${mine.id}/withdraw`, { token: mine.token });
    expect(twice.status).toBe(409);
  });
});

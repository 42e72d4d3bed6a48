import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoChangeRequestRepository } from '../../shared/adapters/dynamodb-change-requests';
import { DynamoMerchantRepository } from '../../shared/adapters/dynamodb-merchants';
import { DynamoReviewTaskRepository } from '../../shared/adapters/dynamodb-reviews';
import { tableFromEnv } from '../../shared/adapters/dynamodb-table';
import { fieldCipherFromEnv } from '../../shared/adapters/field-cipher';
import { applyChangeRequest } from '../../shared/change-requests/workflow';
import type { ChangeRequestRecord } from '../../shared/domain/change-request';
import * as keys from '../../shared/keys';
import { systemClock } from '../../shared/ports';
import { type ApiClient, eventually } from '../support/api-client';
import { validPersonalAccount } from '../support/fixtures';
import { approvedMerchant } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Merchant change requests (商户变更) on the real local stack: intake rules, the one-open rule,
 * the workflow's checks and review, the conditional application (STALE when the merchant moved
 * on, also under a direct race against DynamoDB Local), the version history and the notices to
 * the old and the new contact.
 */

let api: ApiClient;
let testStack: TestStack;
let reviewer: string;
let operator: string;
let keySeq = 0;
const newKey = () => `change-${Date.now()}-${++keySeq}`;

type Merchant = Awaited<ReturnType<typeof approvedMerchant>>;
let first: Merchant;
let second: Merchant;

beforeAll(async () => {
  testStack = await startTestStack('changes', {
    REVIEW_ESCALATION_SECONDS: '120',
    REVIEW_FINAL_SECONDS: '240',
    RESUBMISSION_SECONDS: '240',
    // Every fixture merchant has the same phone: the hourly SMS limit (notifications.test.ts) is off here.
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  });
  ({ api, reviewer, operator } = testStack);
  [first, second] = await Promise.all([approvedMerchant(api, reviewer), approvedMerchant(api, reviewer)]);
});

afterAll(() => testStack?.stop());

function file(merchant: Merchant, body: unknown, key = newKey()) {
  return api.call('POST', `/v1/merchants/${merchant.merchantNo}/change-requests`, {
    token: merchant.token,
    body,
    headers: { 'idempotency-key': key },
  });
}

function read(merchant: Merchant, id: string, token = merchant.token) {
  return api.call('GET', `/v1/merchants/${merchant.merchantNo}/change-requests/${id}`, { token });
}

async function statusOf(merchant: Merchant, id: string, wanted: string) {
  return eventually(async () => {
    const got = await read(merchant, id);
    return got.json.status === wanted ? got.json : undefined;
  });
}

async function taskOf(id: string) {
  return eventually(async () => {
    const got = await api.call('GET', `/v1/reviews/${id}`, { token: reviewer });
    return got.status === 200 && got.json.status === 'PENDING' ? got.json : undefined;
  });
}

async function decide(taskId: string, body: unknown) {
  return api.call('POST', `/v1/reviews/${taskId}/decision`, { token: reviewer, body });
}

const settlementChange = () => ({
  accountType: 'PERSONAL',
  accountName: '张三',
  accountNumber: validPersonalAccount(),
  bankName: '中国建设银行',
  cycle: 'T1',
});

describe('merchant change requests', () => {
  it('happy path: reviewed, applied as version 2, history with actor and time, both contacts told', async () => {
    const newEmail = `new-contact-${Date.now()}@example.com`;
    const body = {
      changes: {
        'business.name': '张三便利店（建国路店）',
        contact: { name: '李四', phone: '13900139000', email: newEmail },
      },
      reason: '店名与联系人变更',
      expectedVersion: 1,
    };
    const key = newKey();
    const created = await file(first, body, key);
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({ status: 'PENDING_REVIEW' });
    const id = created.json.changeRequestId as string;
    expect(await file(first, body, key)).toEqual(created);
    const reused = await file(first, { ...body, reason: 'other' }, key);
    expect(reused.status).toBe(422);
    expect(reused.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const view = await read(first, id);
    expect(view.status).toBe(200);
    expect(view.json.changes.contact).toEqual({
      name: '李四',
      phone: '139****9000',
      email: 'n***@example.com',
    });
    expect(view.json.fields).toEqual(['business.name', 'contact.name', 'contact.phone', 'contact.email']);
    expect(JSON.stringify(view.json)).not.toContain('13900139000');

    // The old values stay in force until approval.
    const before = await api.call('GET', `/v1/merchants/${first.merchantNo}`, { token: first.token });
    expect(before.json).toMatchObject({
      version: 1,
      business: { name: '张三便利店' },
      contact: { name: '张三' },
    });

    const task = await taskOf(id);
    expect(task).toMatchObject({ kind: 'CHANGE_REQUEST', subjectId: id, requiredChecks: ['phoneCallback'] });
    expect(task.subject.diff).toEqual([
      { field: 'business.name', before: '张三便利店', after: '张三便利店（建国路店）' },
      {
        field: 'contact',
        before: {
          name: '张三',
          phone: '138****8000',
          email: expect.stringMatching(/^m\*\*\*@example\.com$/),
        },
        after: { name: '李四', phone: '139****9000', email: 'n***@example.com' },
      },
    ]);
    expect(JSON.stringify(task)).not.toContain('13900139000');
    const noCall = await decide(id, { decision: 'APPROVE' });
    expect(noCall.status).toBe(400);
    expect(noCall.json.error.fields).toEqual([expect.objectContaining({ field: 'checks.phoneCallback' })]);
    expect(
      (await decide(id, { decision: 'REQUEST_CHANGES', reasons: [{ field: 'x', reason: 'y' }] })).status,
    ).toBe(400);
    expect(
      (await decide(id, { decision: 'APPROVE', checks: { phoneCallback: { done: true } } })).status,
    ).toBe(200);

    const applied = await statusOf(first, id, 'APPLIED');
    expect(applied.appliedVersion).toBe(2);
    expect(applied.timeline.at(-1)).toMatchObject({ status: 'APPLIED', actor: 'reviewer' });
    const after = await api.call('GET', `/v1/merchants/${first.merchantNo}`, { token: first.token });
    expect(after.json).toMatchObject({
      version: 2,
      business: { name: '张三便利店（建国路店）' },
      contact: { name: '李四', phone: '139****9000' },
    });

    const versions = await api.call('GET', `/v1/merchants/${first.merchantNo}/versions`, { token: reviewer });
    expect(versions.status).toBe(200);
    expect(versions.json.items).toEqual([
      expect.objectContaining({ version: 1, action: 'CREATED', actor: 'system', fields: [] }),
      expect.objectContaining({
        version: 2,
        action: 'CHANGE_APPLIED',
        actor: 'staff:rev-1',
        changeRequestId: id,
        fields: ['business.name', 'contact.name', 'contact.phone', 'contact.email'],
      }),
    ]);
    for (const item of versions.json.items) expect(Number.isNaN(Date.parse(item.at))).toBe(false);
    expect(versions.json.items[1].snapshot.contact.phone).toBe('139****9000');
    expect(JSON.stringify(versions.json)).not.toContain('13900139000');
    expect(
      (await api.call('GET', `/v1/merchants/${first.merchantNo}/versions`, { token: operator })).status,
    ).toBe(200);
    expect(
      (await api.call('GET', `/v1/merchants/${first.merchantNo}/versions`, { token: first.token })).status,
    ).toBe(401);

    // Both the old and the new contact are told, by email and by SMS.
    const mails = await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      const applied = json.messages.filter((m: { subject: string }) => m.subject.includes(first.merchantNo));
      const to = applied.flatMap((m: { to: string[] }) => m.to);
      return to.includes(first.email) && to.includes(newEmail) ? applied : undefined;
    });
    expect(mails[0].subject).toContain('商户信息变更已生效');
    expect(mails[0].text).toContain('联系人信息');
    expect(mails[0].text).not.toContain('13900139000');
    await eventually(async () => {
      const { json } = await api.call('GET', '/_local/sms');
      const told = json.messages
        .filter((m: { body: string }) => m.body.includes(first.merchantNo))
        .map((m: { to: string }) => m.to);
      // The outbox shows E.164 numbers (+86…).
      return told.includes('+8613800138000') && told.includes('+8613900139000') ? told : undefined;
    });
  });

  it('refuses keys that cannot change and invalid new values, storing nothing', async () => {
    const key = newKey();
    const forbidden = await file(
      first,
      {
        changes: { mcc: '7995', status: 'ACTIVE', merchantNo: '1', fees: { rate: 0.38 } },
        reason: 'x',
        expectedVersion: 2,
      },
      key,
    );
    expect(forbidden.status).toBe(400);
    expect(forbidden.json.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'changes.fees',
      'changes.mcc',
      'changes.merchantNo',
      'changes.status',
    ]);
    const topLevel = await file(
      first,
      { changes: {}, reason: 'x', expectedVersion: 2, merchantNo: '1' },
      key,
    );
    expect(topLevel.json.error.fields.map((f: { field: string }) => f.field)).toContain('merchantNo');

    const invalid = await file(
      first,
      {
        changes: {
          settlement: { ...settlementChange(), accountNumber: '6222020200000000000' },
          contact: { name: '王五', phone: '12345678901', email: 'wangwu@example.com' },
        },
        reason: 'x',
        expectedVersion: 2,
      },
      key,
    );
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.fields).toEqual([
      expect.objectContaining({ field: 'changes.contact.phone', code: 'INVALID_FORMAT' }),
      expect.objectContaining({ field: 'changes.settlement.accountNumber', code: 'INVALID_CHECKSUM' }),
    ]);
    expect(JSON.stringify(invalid.json)).not.toContain('6222020200000000000');
    const corporate = await file(first, {
      changes: {
        settlement: { ...settlementChange(), accountType: 'CORPORATE', accountNumber: '11001234567' },
      },
      reason: 'x',
      expectedVersion: 2,
    });
    expect(corporate.json.error.fields).toEqual([
      expect.objectContaining({ field: 'changes.settlement.accountType', code: 'NOT_ALLOWED' }),
    ]);
    const noReason = await file(first, { changes: { 'business.name': '新名' }, expectedVersion: 0 });
    expect(noReason.json.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'expectedVersion',
      'reason',
    ]);

    // Nothing was stored: the same key still files a valid request.
    const valid = await file(
      first,
      { changes: { 'business.name': '新名' }, reason: 'x', expectedVersion: 2 },
      key,
    );
    expect(valid.status).toBe(202);
    const cancelled = await api.call(
      'POST',
      `/v1/merchants/${first.merchantNo}/change-requests/${valid.json.changeRequestId}/cancel`,
      {
        token: first.token,
      },
    );
    expect(cancelled.status).toBe(200);
  });

  it('one open request per merchant; cancel while pending closes the task and frees the slot', async () => {
    const opened = await file(first, {
      changes: { 'business.name': '一号店' },
      reason: 'x',
      expectedVersion: 2,
    });
    expect(opened.status).toBe(202);
    const id = opened.json.changeRequestId as string;
    const second = await file(first, {
      changes: { 'business.name': '二号店' },
      reason: 'y',
      expectedVersion: 2,
    });
    expect(second.status).toBe(409);
    expect(second.json.error).toMatchObject({ code: 'CONFLICT', openChangeRequestId: id });

    await taskOf(id);
    const cancel = await api.call('POST', `/v1/merchants/${first.merchantNo}/change-requests/${id}/cancel`, {
      token: first.token,
    });
    expect(cancel).toEqual({ status: 200, json: { changeRequestId: id, status: 'CANCELLED' } });
    const twice = await api.call('POST', `/v1/merchants/${first.merchantNo}/change-requests/${id}/cancel`, {
      token: first.token,
    });
    expect(twice.status).toBe(409);
    expect(twice.json.error.code).toBe('INVALID_STATE');
    const task = await api.call('GET', `/v1/reviews/${id}`, { token: reviewer });
    expect(task.json.status).toBe('CANCELLED');
    expect(
      (await decide(id, { decision: 'APPROVE', checks: { phoneCallback: { done: true } } })).status,
    ).toBe(409);
    const merchant = await api.call('GET', `/v1/merchants/${first.merchantNo}`, { token: first.token });
    expect(merchant.json.business.name).toBe('张三便利店（建国路店）');

    const next = await file(first, {
      changes: { 'business.name': '二号店' },
      reason: 'y',
      expectedVersion: 2,
    });
    expect(next.status).toBe(202);
    await api.call(
      'POST',
      `/v1/merchants/${first.merchantNo}/change-requests/${next.json.changeRequestId}/cancel`,
      {
        token: first.token,
      },
    );
  });

  it('only the merchant itself files, reads and cancels its requests; staff read all', async () => {
    const mine = await file(second, {
      changes: { 'business.name': '李记' },
      reason: 'x',
      expectedVersion: 1,
    });
    expect(mine.status).toBe(202);
    const id = mine.json.changeRequestId as string;
    expect((await read(second, id, first.token)).status).toBe(404);
    expect((await read(first, id, first.token)).status).toBe(404);
    expect(
      (
        await api.call('POST', `/v1/merchants/${second.merchantNo}/change-requests/${id}/cancel`, {
          token: first.token,
        })
      ).status,
    ).toBe(404);
    const intrude = await api.call('POST', `/v1/merchants/${second.merchantNo}/change-requests`, {
      token: first.token,
      body: { changes: { 'business.name': 'x' }, reason: 'x', expectedVersion: 1 },
      headers: { 'idempotency-key': newKey() },
    });
    expect(intrude.status).toBe(404);
    expect((await read(second, id, '')).status).toBe(401);
    expect((await read(second, id, operator)).json.status).toBe('PENDING_REVIEW');
    expect((await read(second, id, reviewer)).status).toBe(200);
    const cancel = await api.call('POST', `/v1/merchants/${second.merchantNo}/change-requests/${id}/cancel`, {
      token: second.token,
    });
    expect(cancel.status).toBe(200);
  });

  it('STALE: a request written against version 1 after another one was applied; REJECT with reasons', async () => {
    const a = await file(second, {
      changes: { settlement: settlementChange() },
      reason: 'A',
      expectedVersion: 1,
    });
    expect(a.status).toBe(202);
    const taskA = await taskOf(a.json.changeRequestId);
    expect(taskA.requiredChecks).toEqual(['phoneCallback']);
    expect(taskA.automatedChecks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'blocklist', result: 'PASS' })]),
    );
    expect(taskA.subject.diff[0].after.accountNumber).toMatch(/^622202\*{9}\d{4}$/);
    await decide(a.json.changeRequestId, { decision: 'APPROVE', checks: { phoneCallback: { done: true } } });
    await statusOf(second, a.json.changeRequestId, 'APPLIED');

    // Accepted at creation (the spec checks the version at approval), flagged for the reviewer.
    const b = await file(second, {
      changes: { 'business.name': '李记二店' },
      reason: 'B',
      expectedVersion: 1,
    });
    expect(b.status).toBe(202);
    const taskB = await taskOf(b.json.changeRequestId);
    expect(taskB.automatedChecks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'version', result: 'WARN' })]),
    );
    await decide(b.json.changeRequestId, { decision: 'APPROVE', checks: { phoneCallback: { done: true } } });
    const stale = await statusOf(second, b.json.changeRequestId, 'STALE');
    expect(stale.reasons).toEqual([
      expect.objectContaining({ field: 'expectedVersion', code: 'VERSION_MOVED' }),
    ]);
    const merchant = await api.call('GET', `/v1/merchants/${second.merchantNo}`, { token: reviewer });
    expect(merchant.json.version).toBe(2);
    expect(merchant.json.business.name).not.toBe('李记二店');
    await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      return json.messages.find(
        (m: { to: string[]; subject: string }) => m.to.includes(second.email) && m.subject.includes('未生效'),
      );
    });

    const c = await file(second, {
      changes: { 'business.name': '李记三店' },
      reason: 'C',
      expectedVersion: 2,
    });
    await taskOf(c.json.changeRequestId);
    expect((await decide(c.json.changeRequestId, { decision: 'REJECT' })).status).toBe(400);
    await decide(c.json.changeRequestId, {
      decision: 'REJECT',
      reasons: [{ field: 'business.name', reason: '与营业执照不符' }],
    });
    const rejected = await statusOf(second, c.json.changeRequestId, 'REJECTED');
    expect(rejected.reasons).toEqual([
      { field: 'business.name', code: 'REJECTED_BY_REVIEWER', reason: '与营业执照不符' },
    ]);
    const mail = await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      return json.messages.find(
        (m: { to: string[]; subject: string }) => m.to.includes(second.email) && m.subject.includes('未通过'),
      );
    });
    expect(mail.text).toContain('与营业执照不符');
  });

  it('STALE under a direct race: two approvals of the same version against DynamoDB Local, one wins', async () => {
    const table = tableFromEnv();
    const cipher = fieldCipherFromEnv();
    const changeRequests = new DynamoChangeRequestRepository(table, cipher);
    const merchants = new DynamoMerchantRepository(table, cipher);
    const reviews = new DynamoReviewTaskRepository(table);
    const merchant = await merchants.getMerchant(second.merchantNo);
    if (!merchant) throw new Error('no merchant');
    const at = new Date().toISOString();
    const requestOf = (name: string): ChangeRequestRecord => ({
      changeRequestId: ulid(),
      merchantNo: merchant.merchantNo,
      status: 'PENDING_REVIEW',
      changes: { 'business.name': name },
      reason: 'race',
      expectedVersion: merchant.version,
      fields: ['business.name'],
      checks: [],
      requiredChecks: ['phoneCallback'],
      reasons: [],
      timeline: [],
      revision: 1,
      createdAt: at,
      updatedAt: at,
    });
    const a = requestOf('竞争甲店');
    const b = requestOf('竞争乙店');
    // A holds the merchant's open-request marker as usual; B bypasses the one-open rule.
    expect(
      await changeRequests.create(
        a,
        {
          keyHash: `race-${a.changeRequestId}`,
          requestHash: 'x',
          response: {},
          changeRequestId: a.changeRequestId,
        },
        60,
      ),
    ).toBe('CREATED');
    await table.put({ ...keys.changeRequest(b.changeRequestId), ...b });
    for (const request of [a, b]) {
      const task = {
        taskId: request.changeRequestId,
        kind: 'CHANGE_REQUEST',
        subjectId: request.changeRequestId,
        status: 'PENDING',
        createdAt: at,
        deadline: at,
        finalDeadline: at,
        escalated: false,
        automatedChecks: [],
        requiredChecks: ['phoneCallback'],
        summary: 'race',
      } as const;
      await reviews.create(task, 'none');
      await reviews.decide(
        request.changeRequestId,
        {
          decision: 'APPROVE',
          reasons: [],
          checks: { phoneCallback: { done: true } },
          decidedBy: 'race-reviewer',
          decidedAt: at,
        },
        task,
      );
    }

    const deps = { changeRequests, merchants, reviews, clock: systemClock };
    const results = await Promise.all([
      applyChangeRequest(deps, a.changeRequestId),
      applyChangeRequest(deps, b.changeRequestId),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['APPLIED', 'STALE']);
    const after = await merchants.getMerchant(merchant.merchantNo);
    expect(after?.version).toBe(merchant.version + 1);
    const winner = results[0]?.status === 'APPLIED' ? a : b;
    expect(after?.business.name).toBe(winner.changes['business.name']);
    const versions = await changeRequests.versions(merchant.merchantNo);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions.at(-1)).toMatchObject({
      changeRequestId: winner.changeRequestId,
      actor: 'staff:race-reviewer',
    });
    expect(await changeRequests.openChangeRequestId(merchant.merchantNo)).toBeUndefined();
    // Retrying either step (as the workflow would) changes nothing.
    expect((await applyChangeRequest(deps, a.changeRequestId)).status).toBe(results[0]?.status);
    expect((await merchants.getMerchant(merchant.merchantNo))?.version).toBe(merchant.version + 1);
  });
});

import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromEnv } from '../../shared/adapters/dynamodb-table';
import { applicationTaskId } from '../../shared/domain/application';
import * as keys from '../../shared/keys';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { approvedMerchant, verifyContacts } from '../support/onboarding';
import { scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Provisioning only from a recorded decision. An insider who can call states:SendTaskSuccess and
 * read a waiting token (from the table or an execution's history) completes the review wait with
 * `APPROVE` (or `REJECT`) although no reviewer decided. The steps on those branches read the
 * decision recorded on the review task, find none, fail with DecisionNotRecorded, and the workflow
 * waits on the review again: nothing is provisioned, rejected or moved, and the reviewer's real
 * decision still goes through. The token itself is in an item of its own, not on the task.
 */

let testStack: TestStack;
let api: ApiClient;
let reviewer: string;
let operator: string;
let sfn: SFNClient;
let seq = 0;
const figures = { forgedCallbacks: 0, provisioned: 0, rejected: 0, transfersCompleted: 0, rewaits: 0 };

beforeAll(async () => {
  testStack = await startTestStack('forged-decision', {
    REVIEW_ESCALATION_SECONDS: '300',
    REVIEW_FINAL_SECONDS: '600',
    SMS_PER_PHONE_PER_HOUR: '10000',
  });
  ({ api, reviewer, operator } = testStack);
  sfn = new SFNClient({});
});

afterAll(async () => {
  console.info(`forged decision figures: ${JSON.stringify(figures)}`);
  sfn?.destroy();
  await testStack?.stop();
});

const table = () => tableFromEnv();

/** The token of the wait on review task `taskId`, as an insider reading the table would find it. */
async function waitingToken(taskId: string): Promise<string | undefined> {
  const item = await table().get<{ taskToken?: string }>(keys.reviewWait(taskId));
  return item?.taskToken;
}

/** The insider's forged callback: the wait completes with a decision nobody recorded. */
async function forge(token: string, taskId: string, decision: string) {
  figures.forgedCallbacks += 1;
  await sfn.send(
    new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ taskId, decision }) }),
  );
}

/** The workflow waits on the task again: a new token replaced `previous`. */
async function waitsAgain(taskId: string, previous: string): Promise<string> {
  const token = await eventually(async () => {
    const current = await waitingToken(taskId);
    return current !== undefined && current !== previous ? current : undefined;
  });
  figures.rewaits += 1;
  return token;
}

async function pendingApplication() {
  const email = `forged-${Date.now()}-${++seq}@example.com`;
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ email }),
    headers: { 'idempotency-key': `forged-${Date.now()}-${seq}` },
  });
  expect(created.status).toBe(201);
  const { applicationId, accessToken: token } = created.json as {
    applicationId: string;
    accessToken: string;
  };
  for (const kind of ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO']) {
    const doc = await api.call('POST', `/v1/applications/${applicationId}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
  await verifyContacts(api, applicationId, token);
  expect((await api.call('POST', `/v1/applications/${applicationId}/submit`, { token })).status).toBe(202);
  const taskId = applicationTaskId(applicationId, 1);
  const firstToken = await eventually(() => waitingToken(taskId));
  return { applicationId, token, taskId, firstToken, email };
}

describe('a forged SendTaskSuccess', () => {
  it('keeps the waiting token out of the review task and its queue', async () => {
    const { taskId } = await pendingApplication();
    const task = await table().get<Record<string, unknown>>(keys.reviewTask(taskId));
    expect(task).toBeDefined();
    expect(Object.keys(task ?? {})).not.toContain('taskToken');
    const queue = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
    expect(JSON.stringify(queue.json)).not.toContain('taskToken');
  });

  it('with APPROVE for a task nobody decided provisions nothing; the real approval still does', async () => {
    const { applicationId, token, taskId, firstToken } = await pendingApplication();
    const merchantsBefore = (await scanTable(testStack.stack.urls.dynamodb)).filter(
      (item) => item.pk.startsWith('MER#') && item.sk === 'MER',
    ).length;

    await forge(firstToken, taskId, 'APPROVE');
    await waitsAgain(taskId, firstToken);

    const got = await api.call('GET', `/v1/applications/${applicationId}`, { token });
    expect(got.json.status).toBe('PENDING_REVIEW');
    expect(got.json.merchantNo ?? null).toBeNull();
    expect(got.json.timeline.map((entry: { action: string }) => entry.action)).not.toContain('APPROVED');
    const task = await api.call('GET', `/v1/reviews/${taskId}`, { token: reviewer });
    expect(task.json.status).toBe('PENDING');
    const merchantsAfter = (await scanTable(testStack.stack.urls.dynamodb)).filter(
      (item) => item.pk.startsWith('MER#') && item.sk === 'MER',
    ).length;
    expect(merchantsAfter).toBe(merchantsBefore);
    const execution = await api.call('GET', '/_local/executions');
    const run = execution.json.executions.find((e: { name: string }) => e.name === applicationId);
    expect(run.status).toBe('RUNNING');

    // The reviewer's decision, recorded by the decision route, goes through the new wait.
    const decided = await api.call('POST', `/v1/reviews/${taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
    });
    expect(decided.status).toBe(200);
    const approved = await eventually(async () => {
      const current = await api.call('GET', `/v1/applications/${applicationId}`, { token });
      return current.json.status === 'APPROVED' ? current.json : undefined;
    });
    expect(approved.merchantNo).toMatch(/^\d{15}$/);
    // The merchant sees the role, never the reviewer's subject.
    expect(approved.timeline.at(-1)).toMatchObject({ status: 'APPROVED', actor: 'reviewer' });
    expect(JSON.stringify(approved.timeline)).not.toContain('staff:');
    figures.provisioned += 1;
  });

  it('with REJECT (and with AUTO_REJECTED) for a task nobody decided rejects nothing', async () => {
    const { applicationId, token, taskId, firstToken, email } = await pendingApplication();
    await forge(firstToken, taskId, 'REJECT');
    const second = await waitsAgain(taskId, firstToken);
    await forge(second, taskId, 'AUTO_REJECTED');
    await waitsAgain(taskId, second);
    const got = await api.call('GET', `/v1/applications/${applicationId}`, { token });
    expect(got.json.status).toBe('PENDING_REVIEW');
    expect(got.json.reasons).toEqual([]);
    const rejections = async () =>
      (await api.call('GET', `/_local/emails?to=${encodeURIComponent(email)}`)).json.messages.filter(
        (m: { subject: string }) => m.subject.includes('未通过'),
      );
    expect(await rejections()).toEqual([]);

    const decided = await api.call('POST', `/v1/reviews/${taskId}/decision`, {
      token: reviewer,
      body: { decision: 'REJECT', reasons: [{ field: 'business.name', reason: '名称与执照不符' }] },
    });
    expect(decided.status).toBe(200);
    await eventually(async () => {
      const current = await api.call('GET', `/v1/applications/${applicationId}`, { token });
      return current.json.status === 'REJECTED' ? current.json : undefined;
    });
    expect(await eventually(async () => ((await rejections()).length === 1 ? true : undefined))).toBe(true);
    figures.rejected += 1;
  });

  it('with APPROVE on a terminal transfer nobody decided leaves the terminal with the sender', async () => {
    const sn = `FORGED${Date.now().toString(36).toUpperCase()}`;
    const registered = await api.call('POST', '/v1/terminals', {
      token: operator,
      body: { terminals: [{ serialNumber: sn, model: 'A8' }] },
    });
    expect(registered.status).toBe(201);
    const [from, to] = await Promise.all([approvedMerchant(api, reviewer), approvedMerchant(api, reviewer)]);
    const bound = await api.call('POST', `/v1/terminals/${sn}/bind`, {
      token: operator,
      body: { merchantNo: from.merchantNo },
    });
    expect(bound.status).toBe(200);
    const created = await api.call('POST', `/v1/terminals/${sn}/transfer-requests`, {
      token: from.token,
      body: { toMerchantNo: to.merchantNo, reason: '门店转让' },
    });
    expect(created.status).toBe(202);
    const id = created.json.transferRequestId as string;
    await eventually(async () => {
      const accepted = await api.call('POST', `/v1/transfer-requests/${id}/accept`, { token: to.token });
      return accepted.status === 200 ? accepted : undefined;
    });
    const firstToken = await eventually(() => waitingToken(id));

    await forge(firstToken, id, 'APPROVE');
    await waitsAgain(id, firstToken);

    const terminal = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    expect(terminal.json).toMatchObject({ merchantNo: from.merchantNo, terminalId: bound.json.terminalId });
    const transfer = await api.call('GET', `/v1/transfer-requests/${id}`, { token: from.token });
    expect(transfer.json.status).toBe('PENDING_REVIEW');

    const decided = await api.call('POST', `/v1/reviews/${id}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
    });
    expect(decided.status).toBe(200);
    const moved = await eventually(async () => {
      const current = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
      return current.json.merchantNo === to.merchantNo ? current.json : undefined;
    });
    expect(moved.terminalId).not.toBe(bound.json.terminalId);
    figures.transfersCompleted += 1;
    const completed = await eventually(async () => {
      const current = await api.call('GET', `/v1/transfer-requests/${id}`, { token: to.token });
      return current.json.status === 'COMPLETED' ? current.json : undefined;
    });
    expect(completed.timeline.at(-1)).toMatchObject({ action: 'COMPLETED', actor: 'reviewer' });
    expect(JSON.stringify(completed.timeline)).not.toContain('staff:');
    // Staff keep the subject in the audit trail.
    const staffView = await api.call('GET', `/v1/transfer-requests/${id}`, { token: reviewer });
    expect(staffView.json.timeline.at(-1)).toMatchObject({ actor: 'staff:rev-1' });
  });
});

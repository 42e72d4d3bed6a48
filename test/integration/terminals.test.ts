import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgreementRepository } from '../../shared/adapters/dynamodb-agreements';
import { tableFromEnv } from '../../shared/adapters/dynamodb-table';
import { DynamoTerminalRepository } from '../../shared/adapters/dynamodb-terminals';
import { keyedHasherFromEnv } from '../../shared/adapters/keyed-hasher';
import * as keys from '../../shared/keys';
import { activateTerminal } from '../../shared/terminals/lifecycle';
import { type ApiClient, eventually } from '../support/api-client';
import { approvedMerchant, latestSms } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * 一机一码 on the real local stack: stock, binding under concurrency, activation codes, the test
 * transaction, and moving a terminal between merchants through the workflow.
 */

let api: ApiClient;
let testStack: TestStack;
let reviewer: string;
let operator: string;
let snSeq = 0;
const newSn = () => `T${Date.now().toString(36).toUpperCase()}${String(++snSeq).padStart(3, '0')}`;

beforeAll(async () => {
  testStack = await startTestStack('terminals', {
    REVIEW_ESCALATION_SECONDS: '120',
    REVIEW_FINAL_SECONDS: '240',
    RESUBMISSION_SECONDS: '240',
    TRANSFER_ACCEPTANCE_SECONDS: '8',
    // Every fixture merchant has the same phone: the hourly SMS limit (notifications.test.ts) is off here.
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  });
  ({ api, reviewer, operator } = testStack);
});

afterAll(() => testStack?.stop());

async function stock(...serialNumbers: string[]) {
  const res = await api.call('POST', '/v1/terminals', {
    token: operator,
    body: { terminals: serialNumbers.map((serialNumber) => ({ serialNumber, model: 'A8' })) },
  });
  expect(res.status).toBe(201);
}

async function bind(sn: string, merchantNo: string) {
  return api.call('POST', `/v1/terminals/${sn}/bind`, { token: operator, body: { merchantNo } });
}

async function activationCodeFor(terminalId: string) {
  const match = await latestSms(api, new RegExp(`(?:终端号|TID )${terminalId}\\D+(\\d{6})`));
  return match[1] as string;
}

describe('one machine, one code', () => {
  it('binds an SN to exactly one merchant when 20 binds race for it', async () => {
    // Binding needs no signed agreement (activation does).
    const [a, b] = await Promise.all([
      approvedMerchant(api, reviewer, { signAgreement: false }),
      approvedMerchant(api, reviewer, { signAgreement: false }),
    ]);
    const sn = newSn();
    await stock(sn);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => bind(sn, i % 2 === 0 ? a.merchantNo : b.merchantNo)),
    );
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    expect(new Set(lost.map((r) => r.json.error.code))).toEqual(new Set(['TERMINAL_ALREADY_BOUND']));
    const terminal = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    expect(terminal.json).toMatchObject({ status: 'BOUND', merchantNo: won[0]?.json.merchantNo });
    expect(terminal.json.history.map((h: { action: string }) => h.action)).toEqual(['REGISTERED', 'BOUND']);
    const counts = await Promise.all(
      [a, b].map(
        async (m) =>
          (await api.call('GET', `/v1/merchants/${m.merchantNo}`, { token: m.token })).json.terminals.length,
      ),
    );
    expect(counts.sort()).toEqual([0, 1]);
  });

  it('gives one merchant at most 5 terminals when 10 binds race', async () => {
    const m = await approvedMerchant(api, reviewer);
    const sns = Array.from({ length: 10 }, newSn);
    await stock(...sns);
    const results = await Promise.all(sns.map((sn) => bind(sn, m.merchantNo)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(5);
    expect(new Set(refused.map((r) => r.json.error.code))).toEqual(new Set(['CONFLICT']));
    const merchant = await api.call('GET', `/v1/merchants/${m.merchantNo}`, { token: m.token });
    expect(merchant.json.terminals).toHaveLength(5);
    const ids = results.filter((r) => r.status === 200).map((r) => r.json.terminalId);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^\d{8}$/);
  });

  it('two concurrent reissues: each answers 200 or 409 CONFLICT, one SMS per issued code, the last SMS activates', async () => {
    const m = await approvedMerchant(api, reviewer);
    const sn = newSn();
    await stock(sn);
    const bound = await bind(sn, m.merchantNo);
    expect(bound.status).toBe(200);
    const codePattern = new RegExp(`(?:终端号|TID )${bound.json.terminalId}\\D+(\\d{6})`);
    await activationCodeFor(bound.json.terminalId);
    const codeSms = async () =>
      ((await api.call('GET', '/_local/sms')).json.messages as { body: string }[]).filter((message) =>
        codePattern.test(message.body),
      );
    const before = (await codeSms()).length;

    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        [0, 1].map(() => api.call('POST', `/v1/terminals/${sn}/activation-code`, { token: operator })),
      );
      for (const res of results) {
        expect([200, 409]).toContain(res.status);
        if (res.status === 409) expect(res.json.error.code).toBe('CONFLICT');
      }
      expect(results.some((res) => res.status === 200)).toBe(true);
    }
    const issued = (await codeSms()).length - before;
    const terminal = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    const reissues = terminal.json.history.filter(
      (h: { action: string }) => h.action === 'ACTIVATION_CODE_REISSUED',
    );
    expect(issued).toBe(reissues.length);
    expect(issued).toBeGreaterThanOrEqual(5);
    const last = await activationCodeFor(bound.json.terminalId);
    const ok = await api.call('POST', `/v1/terminals/${sn}/activate`, {
      token: m.token,
      body: { activationCode: last },
    });
    expect(ok.status).toBe(200);
  });

  it('activation: wrong codes count down, the lock holds even for the right code, a reissue lifts it; then the test transaction', async () => {
    const m = await approvedMerchant(api, reviewer);
    const sn = newSn();
    await stock(sn);
    const bound = await bind(sn, m.merchantNo);
    expect(bound.json).toMatchObject({ status: 'BOUND', activationCodeSent: true });
    expect(JSON.stringify(bound.json)).not.toMatch(/activationCode"\s*:\s*"\d{6}/);
    const code = await activationCodeFor(bound.json.terminalId);
    const wrong = code === '000000' ? '111111' : '000000';

    const early = await api.call('POST', `/v1/terminals/${sn}/test-transaction`, { token: m.token });
    expect(early.status).toBe(409);

    for (let left = 4; left >= 0; left--) {
      const res = await api.call('POST', `/v1/terminals/${sn}/activate`, {
        token: m.token,
        body: { activationCode: wrong },
      });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'ACTIVATION_CODE_INVALID', attemptsLeft: left });
    }
    const locked = await api.call('POST', `/v1/terminals/${sn}/activate`, {
      token: m.token,
      body: { activationCode: code },
    });
    expect(locked.status).toBe(409);
    expect(locked.json.error.code).toBe('ACTIVATION_LOCKED');

    const reissue = await api.call('POST', `/v1/terminals/${sn}/activation-code`, { token: operator });
    expect(reissue.status).toBe(200);
    expect(JSON.stringify(reissue.json)).not.toContain(code);
    const fresh = await activationCodeFor(bound.json.terminalId);
    const old = await api.call('POST', `/v1/terminals/${sn}/activate`, {
      token: m.token,
      body: { activationCode: code },
    });
    if (fresh !== code) expect(old.status).toBe(400);
    const ok = await api.call('POST', `/v1/terminals/${sn}/activate`, {
      token: m.token,
      body: { activationCode: fresh },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ status: 'ACTIVATED', terminalId: bound.json.terminalId });

    process.env.PAYMENT_HOST_SIMULATOR_DECLINE = 'sale';
    const declined = await api.call('POST', `/v1/terminals/${sn}/test-transaction`, { token: m.token });
    delete process.env.PAYMENT_HOST_SIMULATOR_DECLINE;
    expect(declined.json).toMatchObject({
      result: 'DECLINED',
      responseCode: '05',
      terminalStatus: 'ACTIVATED',
    });

    const approved = await api.call('POST', `/v1/terminals/${sn}/test-transaction`, { token: m.token });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({
      result: 'APPROVED',
      saleId: expect.any(String),
      voidId: expect.any(String),
    });
    const merchant = await api.call('GET', `/v1/merchants/${m.merchantNo}`, { token: m.token });
    expect(merchant.json.status).toBe('ACTIVE');
    expect(merchant.json.terminals).toEqual([
      { serialNumber: sn, terminalId: bound.json.terminalId, status: 'VERIFIED', suspended: false },
    ]);
    const view = await api.call('GET', `/v1/terminals/${sn}`, { token: reviewer });
    expect(view.json.history.map((h: { action: string }) => h.action)).toEqual([
      'REGISTERED',
      'BOUND',
      'ACTIVATION_CODE_REISSUED',
      'ACTIVATED',
      'TEST_SALE_DECLINED',
      'TEST_TRANSACTION_APPROVED',
    ]);
  });

  it('refuses an expired activation code (clock moved 31 days) and unbinds back to stock with the history kept', async () => {
    const m = await approvedMerchant(api, reviewer);
    const sn = newSn();
    await stock(sn);
    const bound = await bind(sn, m.merchantNo);
    const code = await activationCodeFor(bound.json.terminalId);
    const later = { now: () => new Date(Date.now() + 31 * 86_400_000) };
    const deps = {
      terminals: new DynamoTerminalRepository(tableFromEnv()),
      agreements: new DynamoAgreementRepository(tableFromEnv()),
      hasher: keyedHasherFromEnv(),
      clock: later,
    };
    await expect(activateTerminal(deps, m.merchantNo, sn, { activationCode: code })).rejects.toMatchObject({
      statusCode: 409,
      code: 'ACTIVATION_CODE_EXPIRED',
    });

    const unbind = await api.call('POST', `/v1/terminals/${sn}/unbind`, {
      token: operator,
      body: { reason: 'returned' },
    });
    expect(unbind.json).toMatchObject({ status: 'IN_STOCK', previousMerchantNo: m.merchantNo });
    const view = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    expect(view.json).toMatchObject({ status: 'IN_STOCK', merchantNo: null, terminalId: null });
    expect(view.json.history.at(-1)).toMatchObject({
      action: 'UNBOUND',
      merchantNo: m.merchantNo,
      reason: 'returned',
      actor: 'staff:op-1',
    });
    const again = await api.call('POST', `/v1/terminals/${sn}/unbind`, {
      token: operator,
      body: { reason: 'twice' },
    });
    expect(again.status).toBe(409);
    const merchant = await api.call('GET', `/v1/merchants/${m.merchantNo}`, { token: m.token });
    expect(merchant.json.terminals).toEqual([]);
  });

  it('moves an unbound terminal to another merchant only with a second operator (or back to its merchant at once)', async () => {
    const [a, b] = await Promise.all([approvedMerchant(api, reviewer), approvedMerchant(api, reviewer)]);
    const secondOperator = await api.staffToken('op-2', ['operator']);
    const sn = newSn();
    await stock(sn);
    expect((await bind(sn, a.merchantNo)).status).toBe(200);
    const unbound = await api.call('POST', `/v1/terminals/${sn}/unbind`, {
      token: operator,
      body: { reason: 'moving it' },
    });
    expect(unbound.status).toBe(200);

    // One operator alone: a request, not a binding — twice, still a request.
    for (let round = 0; round < 2; round++) {
      const first = await bind(sn, b.merchantNo);
      expect(first.status).toBe(202);
      expect(first.json).toMatchObject({
        status: 'PENDING_APPROVAL',
        merchantNo: b.merchantNo,
        requestedBy: 'staff:op-1',
      });
    }
    let view = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    expect(view.json).toMatchObject({
      status: 'IN_STOCK',
      merchantNo: null,
      pendingRebind: { merchantNo: b.merchantNo, requestedBy: 'staff:op-1' },
    });
    // The second operator binding it to another merchant than the one asked for starts its own request.
    const other = await approvedMerchant(api, reviewer);
    const elsewhere = await api.call('POST', `/v1/terminals/${sn}/bind`, {
      token: secondOperator,
      body: { merchantNo: other.merchantNo },
    });
    expect(elsewhere.status).toBe(202);
    // The first operator approving the request of the second: bound.
    const approved = await bind(sn, other.merchantNo);
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'BOUND', merchantNo: other.merchantNo });
    view = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    expect(view.json.history.map((h: { action: string; actor: string }) => `${h.action}:${h.actor}`)).toEqual(
      [
        'REGISTERED:staff:op-1',
        'BOUND:staff:op-1',
        'UNBOUND:staff:op-1',
        'REBIND_REQUESTED:staff:op-1',
        'REBIND_REQUESTED:staff:op-1',
        'REBIND_REQUESTED:staff:op-2',
        'BOUND:staff:op-1',
      ],
    );
    expect(view.json.history.at(-1).reason).toContain('staff:op-2');

    // Unbound again, the SN goes straight back to the merchant it left.
    await api.call('POST', `/v1/terminals/${sn}/unbind`, { token: operator, body: { reason: 'back' } });
    expect((await bind(sn, other.merchantNo)).status).toBe(200);
  });

  it('keeps every merchant to its own terminals and staff routes to their groups', async () => {
    const owner = await approvedMerchant(api, reviewer);
    const other = await approvedMerchant(api, reviewer);
    const sn = newSn();
    await stock(sn);
    await bind(sn, owner.merchantNo);
    for (const [method, path, body] of [
      ['POST', `/v1/terminals/${sn}/activate`, { activationCode: '123456' }],
      ['POST', `/v1/terminals/${sn}/test-transaction`, undefined],
      [
        'POST',
        `/v1/terminals/${sn}/transfer-requests`,
        { toMerchantNo: other.merchantNo, reason: 'mine now' },
      ],
    ] as const) {
      const res = await api.call(method, path, { token: other.token, body });
      expect(res.status, path).toBe(404);
    }
    expect((await api.call('GET', `/v1/terminals/${sn}`, { token: owner.token })).status).toBe(401);
    expect((await bind(sn, other.merchantNo)).json.error.code).toBe('TERMINAL_ALREADY_BOUND');
    const reviewerBind = await api.call('POST', `/v1/terminals/${sn}/bind`, {
      token: reviewer,
      body: { merchantNo: other.merchantNo },
    });
    expect(reviewerBind.status).toBe(403);
    const unknown = await api.call('GET', '/v1/terminals/NOSUCHSN01', { token: operator });
    expect(unknown.status).toBe(404);
  });
});

describe('moving a terminal to another merchant (一机一码后更改商户)', () => {
  async function transferSetup() {
    const sn = newSn();
    await stock(sn);
    const [from, to] = await Promise.all([approvedMerchant(api, reviewer), approvedMerchant(api, reviewer)]);
    const bound = await bind(sn, from.merchantNo);
    const created = await api.call('POST', `/v1/terminals/${sn}/transfer-requests`, {
      token: from.token,
      body: { toMerchantNo: to.merchantNo, reason: '门店转让' },
    });
    expect(created.status).toBe(202);
    expect(created.json.status).toBe('AWAITING_ACCEPTANCE');
    return {
      sn,
      from,
      to,
      oldTerminalId: bound.json.terminalId as string,
      id: created.json.transferRequestId as string,
    };
  }

  async function transferStatus(id: string, token: string, wanted: string) {
    return eventually(async () => {
      const got = await api.call('GET', `/v1/transfer-requests/${id}`, { token });
      return got.json.status === wanted ? got.json : undefined;
    }, 20_000);
  }

  async function reviewTask(id: string) {
    return eventually(async () => {
      const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
      return page.json.items.find((t: { subjectId: string }) => t.subjectId === id);
    });
  }

  it('answers the same for an unknown merchant number and a merchant that takes no terminals', async () => {
    const [from, closed] = await Promise.all([
      approvedMerchant(api, reviewer),
      approvedMerchant(api, reviewer),
    ]);
    const sn = newSn();
    await stock(sn);
    expect((await bind(sn, from.merchantNo)).status).toBe(200);
    // A merchant that cannot take terminals (closed by the acquirer).
    await tableFromEnv().update(keys.merchant(closed.merchantNo), 'SET #status = :closed', {
      names: { '#status': 'status' },
      values: { ':closed': 'CLOSED' },
    });
    const unknown = `${closed.merchantNo.slice(0, 11)}${String((Number(closed.merchantNo.slice(11)) + 5000) % 10000).padStart(4, '0')}`;
    const ask = (toMerchantNo: string) =>
      api.call('POST', `/v1/terminals/${sn}/transfer-requests`, {
        token: from.token,
        body: { toMerchantNo, reason: '门店转让' },
      });
    const [toUnknown, toClosed] = [await ask(unknown), await ask(closed.merchantNo)];
    const { requestId: _a, ...unknownError } = toUnknown.json.error;
    const { requestId: _b, ...closedError } = toClosed.json.error;
    expect(toUnknown.status).toBe(400);
    expect(toClosed.status).toBe(400);
    expect(unknownError).toEqual(closedError);
    expect(unknownError.fields).toEqual([
      expect.objectContaining({ field: 'toMerchantNo', code: 'NOT_ACCEPTING' }),
    ]);
    // Nothing was started or marked: the terminal is free for a real request.
    expect(
      (await api.call('GET', `/v1/terminals/${sn}`, { token: operator })).json.openTransferId,
    ).toBeNull();
  });

  it('happy path: request, acceptance by the receiver only, review with call-back, atomic re-binding, both told', async () => {
    const t = await transferSetup();
    await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      return json.messages.find(
        (m: { to: string[]; subject: string }) =>
          m.to.includes(t.to.email) && m.subject.includes('转移待确认'),
      );
    });
    const bySender = await api.call('POST', `/v1/transfer-requests/${t.id}/accept`, { token: t.from.token });
    expect(bySender.status).toBe(403);
    const again = await api.call('POST', `/v1/terminals/${t.sn}/transfer-requests`, {
      token: t.from.token,
      body: { toMerchantNo: t.to.merchantNo, reason: 'twice' },
    });
    expect(again.status).toBe(409);

    const accepted = await api.call('POST', `/v1/transfer-requests/${t.id}/accept`, { token: t.to.token });
    expect(accepted.json.status).toBe('PENDING_REVIEW');
    const task = await reviewTask(t.id);
    expect(task).toMatchObject({ kind: 'TERMINAL_TRANSFER', requiredChecks: ['phoneCallback'] });
    const item = await api.call('GET', `/v1/reviews/${task.taskId}`, { token: reviewer });
    expect(item.json.subject).toMatchObject({
      serialNumber: t.sn,
      fromMerchantNo: t.from.merchantNo,
      toMerchantNo: t.to.merchantNo,
      status: 'PENDING_REVIEW',
    });
    const noCallback = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE' },
    });
    expect(noCallback.status).toBe(400);
    const changes = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'REQUEST_CHANGES', reasons: [{ field: 'x', reason: 'y' }] },
    });
    expect(changes.status).toBe(400);
    const approve = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
    });
    expect(approve.status).toBe(200);

    const done = await transferStatus(t.id, t.from.token, 'COMPLETED');
    expect(done.terminalId).toMatch(/^\d{8}$/);
    expect(done.terminalId).not.toBe(t.oldTerminalId);
    const view = await api.call('GET', `/v1/terminals/${t.sn}`, { token: operator });
    expect(view.json).toMatchObject({
      status: 'BOUND',
      merchantNo: t.to.merchantNo,
      terminalId: done.terminalId,
      openTransferId: null,
    });
    expect(view.json.history.map((h: { action: string }) => h.action)).toEqual([
      'REGISTERED',
      'BOUND',
      'TRANSFERRED',
    ]);
    const fromView = await api.call('GET', `/v1/merchants/${t.from.merchantNo}`, { token: t.from.token });
    const toView = await api.call('GET', `/v1/merchants/${t.to.merchantNo}`, { token: t.to.token });
    expect(fromView.json.terminals).toEqual([]);
    expect(toView.json.terminals).toEqual([
      { serialNumber: t.sn, terminalId: done.terminalId, status: 'BOUND', suspended: false },
    ]);

    const code = await activationCodeFor(done.terminalId);
    const activated = await api.call('POST', `/v1/terminals/${t.sn}/activate`, {
      token: t.to.token,
      body: { activationCode: code },
    });
    expect(activated.status).toBe(200);
    await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      const subjects = json.messages
        .filter((m: { to: string[] }) => m.to.includes(t.from.email) || m.to.includes(t.to.email))
        .map((m: { subject: string }) => m.subject);
      return subjects.some((s: string) => s.includes('已转出')) &&
        subjects.some((s: string) => s.includes('已转入'))
        ? true
        : undefined;
    });
    expect((await api.call('GET', `/v1/transfer-requests/${t.id}`, { token: reviewer })).status).toBe(200);
    const stranger = await approvedMerchant(api, reviewer);
    expect((await api.call('GET', `/v1/transfer-requests/${t.id}`, { token: stranger.token })).status).toBe(
      404,
    );
  });

  it('rejection keeps the terminal with the sender and frees it for a new request', async () => {
    const t = await transferSetup();
    await api.call('POST', `/v1/transfer-requests/${t.id}/accept`, { token: t.to.token });
    const task = await reviewTask(t.id);
    const reject = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'REJECT', reasons: [{ field: 'toMerchantNo', reason: '回访未确认' }] },
    });
    expect(reject.status).toBe(200);
    const rejected = await transferStatus(t.id, t.from.token, 'REJECTED');
    expect(rejected.reasons).toEqual([
      { field: 'toMerchantNo', code: 'REJECTED_BY_REVIEWER', reason: '回访未确认' },
    ]);
    const view = await api.call('GET', `/v1/terminals/${t.sn}`, { token: operator });
    expect(view.json).toMatchObject({
      merchantNo: t.from.merchantNo,
      terminalId: t.oldTerminalId,
      openTransferId: null,
    });
    const retry = await api.call('POST', `/v1/terminals/${t.sn}/transfer-requests`, {
      token: t.from.token,
      body: { toMerchantNo: t.to.merchantNo, reason: 'again' },
    });
    expect(retry.status).toBe(202);
  });

  it('the sender can cancel before review; the receiver cannot', async () => {
    const t = await transferSetup();
    expect(
      (await api.call('POST', `/v1/transfer-requests/${t.id}/cancel`, { token: t.to.token })).status,
    ).toBe(403);
    const cancel = await api.call('POST', `/v1/transfer-requests/${t.id}/cancel`, { token: t.from.token });
    expect(cancel.json.status).toBe('CANCELLED');
    const late = await api.call('POST', `/v1/transfer-requests/${t.id}/accept`, { token: t.to.token });
    expect(late.status).toBe(409);
    const view = await api.call('GET', `/v1/terminals/${t.sn}`, { token: operator });
    expect(view.json).toMatchObject({ merchantNo: t.from.merchantNo, openTransferId: null });
  });

  it('expires when not accepted in time (deadline from configuration) and tells the sender', async () => {
    const t = await transferSetup();
    const expired = await transferStatus(t.id, t.from.token, 'EXPIRED');
    expect(expired.timeline.at(-1)).toMatchObject({ status: 'EXPIRED', actor: 'system' });
    const view = await api.call('GET', `/v1/terminals/${t.sn}`, { token: operator });
    expect(view.json).toMatchObject({ merchantNo: t.from.merchantNo, openTransferId: null });
    await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      return json.messages.find(
        (m: { to: string[]; subject: string }) => m.to.includes(t.from.email) && m.subject.includes('已过期'),
      );
    });
  });
});

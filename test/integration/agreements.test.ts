import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgreementRepository } from '../../shared/adapters/dynamodb-agreements';
import { tableFromEnv } from '../../shared/adapters/dynamodb-table';
import { eventually } from '../support/api-client';
import { validPersonalAccount } from '../support/fixtures';
import {
  approvedMerchant,
  latestSms,
  renderedAgreement,
  signAgreement,
  signatureCode,
} from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

const run = promisify(execFile);

/*
 * Fee plans and the merchant agreement against the local stack (spec 7): plan versions and their
 * validation, the reviewer's plan at approval, agreement v1 rendered as a PDF with real Chinese text,
 * the signature with its code and digest, the activation gate, and a fee-plan change making v2 while
 * v1 stays in force until v2 is signed.
 */

let t: TestStack;
const work = mkdtempSync(join(tmpdir(), 'pos-agreements-'));

beforeAll(async () => {
  t = await startTestStack('agreements', {
    SMS_PER_PHONE_PER_HOUR: '1000',
    // The reminder comes seconds after a version is rendered, so the test can see it.
    AGREEMENT_REMINDER_SECONDS: '3',
  });
}, 120_000);

afterAll(async () => {
  await t?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The text of a PDF as pdftotext (poppler) extracts it. */
async function pdfText(pdf: Uint8Array): Promise<string> {
  const file = join(work, `${Date.now()}-${Math.random()}.pdf`);
  writeFileSync(file, pdf);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  return stdout;
}

const RETAIL = {
  code: 'RETAIL-STD',
  name: '零售标准费率',
  rates: { DEBIT: { bps: 45, capFen: 1800 }, CREDIT: { bps: 55 }, QR: { bps: 30 } },
  t0SurchargeBps: 5,
  mccRiskLevels: ['LOW'],
};

describe('fee plans', () => {
  it('refuses bad plans with field paths, stores nothing, and versions a code on every publication', async () => {
    const cases: [unknown, string, string][] = [
      [{ ...RETAIL, rates: { ...RETAIL.rates, CREDIT: { bps: 0 } } }, 'rates.CREDIT.bps', 'TOO_SHORT'],
      [{ ...RETAIL, rates: { ...RETAIL.rates, QR: { bps: 301 } } }, 'rates.QR.bps', 'TOO_LONG'],
      [
        { ...RETAIL, rates: { ...RETAIL.rates, DEBIT: { bps: 50, capFen: -1 } } },
        'rates.DEBIT.capFen',
        'TOO_SHORT',
      ],
      [{ ...RETAIL, rates: { ...RETAIL.rates, AMEX: { bps: 80 } } }, 'rates.AMEX', 'UNKNOWN_FIELD'],
      [{ ...RETAIL, rates: { ...RETAIL.rates, DEBIT: { bps: 50.5 } } }, 'rates.DEBIT.bps', 'INVALID_TYPE'],
      [
        { ...RETAIL, rates: { ...RETAIL.rates, DEBIT: { bps: 50, capFen: 19.99 } } },
        'rates.DEBIT.capFen',
        'INVALID_TYPE',
      ],
      [{ ...RETAIL, t0SurchargeBps: 1.5 }, 't0SurchargeBps', 'INVALID_TYPE'],
      [{ ...RETAIL, mccRiskLevels: ['PROHIBITED'] }, 'mccRiskLevels.0', 'INVALID_VALUE'],
    ];
    for (const [body, field, code] of cases) {
      const answer = await t.api.call('POST', '/v1/fee-plans', { token: t.operator, body });
      expect(answer.status, field).toBe(400);
      expect(answer.json.error.code).toBe('VALIDATION_FAILED');
      expect(answer.json.error.fields, field).toContainEqual(expect.objectContaining({ field, code }));
    }
    // A reviewer may list plans, not publish them.
    expect((await t.api.call('POST', '/v1/fee-plans', { token: t.reviewer, body: RETAIL })).status).toBe(403);
    const listed = await t.api.call('GET', '/v1/fee-plans', { token: t.reviewer });
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((plan: { code: string }) => plan.code)).toEqual([
      'DEFAULT-HIGH',
      'DEFAULT-LOW',
    ]);

    const first = await t.api.call('POST', '/v1/fee-plans', { token: t.operator, body: RETAIL });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ code: 'RETAIL-STD', version: 1 });
    const second = await t.api.call('POST', '/v1/fee-plans', {
      token: t.operator,
      body: { ...RETAIL, rates: { ...RETAIL.rates, CREDIT: { bps: 58 } } },
    });
    expect(second.json).toEqual({ code: 'RETAIL-STD', version: 2 });
    const after = await t.api.call('GET', '/v1/fee-plans', { token: t.operator });
    const retail = after.json.items.find((plan: { code: string }) => plan.code === 'RETAIL-STD');
    expect(retail).toMatchObject({ version: 2, rates: { CREDIT: { bps: 58 } }, createdBy: 'staff:op-1' });
    const low = after.json.items.find((plan: { code: string }) => plan.code === 'DEFAULT-LOW');
    expect(low).toMatchObject({
      version: 1,
      rates: { DEBIT: { bps: 50, capFen: 2000 } },
      createdBy: 'system',
    });
  });
});

describe('the agreement', () => {
  let merchant: Awaited<ReturnType<typeof approvedMerchant>>;
  const sn = `AGR${Date.now()}`.slice(0, 16);

  beforeAll(async () => {
    expect(
      (
        await t.api.call('POST', '/v1/terminals', {
          token: t.operator,
          body: { terminals: [{ serialNumber: sn, model: 'A8' }] },
        })
      ).status,
    ).toBe(201);
    merchant = await approvedMerchant(t.api, t.reviewer, {
      serialNumber: sn,
      businessName: '王五鲜果店',
      signAgreement: false,
    });
  }, 120_000);

  it('approval without a plan gives the default plan of the MCC: v1 with its rates, sha256 and a real-text PDF', async () => {
    const agreement = await renderedAgreement(t.api, merchant.merchantNo, merchant.token);
    expect(agreement).toMatchObject({
      agreementId: `AGR-${merchant.merchantNo}-001`,
      version: 1,
      status: 'AWAITING_SIGNATURE',
      feePlan: {
        code: 'DEFAULT-LOW',
        version: 1,
        rates: { DEBIT: { bps: 50, capFen: 2000 }, CREDIT: { bps: 60 } },
      },
      settlementCycle: 'T1',
      signedAt: null,
    });
    expect(agreement.documentUrlExpiresInSeconds).toBeLessThanOrEqual(900);
    const pdf = new Uint8Array(await (await fetch(agreement.documentUrl)).arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(agreement.sha256);
    const text = await pdfText(pdf);
    expect(text).toContain('王五鲜果店');
    expect(text).toContain(merchant.merchantNo);
    expect(text).toContain('借记卡 0.50% 封顶 20 元');
    expect(text).toContain('贷记卡 0.60%');
    // Staff read it too; another merchant's token does not.
    expect(
      (await t.api.call('GET', `/v1/merchants/${merchant.merchantNo}/agreement`, { token: t.operator }))
        .status,
    ).toBe(200);
    // The approval email states the rates and that an agreement waits.
    const emails = await t.api.call('GET', '/_local/emails');
    const approval = (emails.json.messages as { to: string[]; subject: string; text: string }[]).find(
      (message) => message.to.includes(merchant.email) && message.text.includes(merchant.merchantNo),
    );
    expect(approval?.text).toContain('借记卡 0.50% 封顶 20 元');
    expect(approval?.text).toContain('协议待签署');
    expect(approval?.text).toContain('/m/#/agreement');
  });

  it('refuses activation before signing, a wrong digest and a wrong code; signs; then activates', async () => {
    const agreement = await renderedAgreement(t.api, merchant.merchantNo, merchant.token);
    const [, activationCode] = await latestSms(t.api, new RegExp(`${merchant.terminalId}激活码(\\d{6})`));
    const activate = () =>
      t.api.call('POST', `/v1/terminals/${sn}/activate`, { token: merchant.token, body: { activationCode } });
    const early = await activate();
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('AGREEMENT_NOT_SIGNED');

    const before = ((await t.api.call('GET', '/_local/sms')).json.messages as unknown[]).length;
    const requested = await t.api.call(
      'POST',
      `/v1/merchants/${merchant.merchantNo}/agreement/signature-codes`,
      {
        token: merchant.token,
      },
    );
    expect(requested.status).toBe(202);
    expect(requested.json).toMatchObject({ channel: 'SMS', sentTo: '138****8000' });
    const code = await signatureCode(t.api, merchant.merchantNo, before);
    const sign = (body: Record<string, unknown>) =>
      t.api.call('POST', `/v1/merchants/${merchant.merchantNo}/agreement/sign`, {
        token: merchant.token,
        body: { agreementId: agreement.agreementId, sha256: agreement.sha256, code, ...body },
      });
    const changed = await sign({ sha256: 'a'.repeat(64) });
    expect(changed.status).toBe(409);
    expect(changed.json.error.code).toBe('AGREEMENT_CHANGED');
    const wrong = await sign({ code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({
      code: 'VERIFICATION_CODE_INVALID',
      attemptsLeft: 4,
    });

    const signed = await sign({});
    expect(signed.status).toBe(200);
    expect(signed.json).toMatchObject({ status: 'SIGNED', agreementId: agreement.agreementId });
    // The code cannot sign twice.
    expect((await sign({})).status).toBe(409);

    const stored = await new DynamoAgreementRepository(tableFromEnv()).get(merchant.merchantNo, 1);
    expect(stored?.signature).toMatchObject({
      sha256: agreement.sha256,
      codeMatched: true,
      sourceIp: '127.0.0.1',
    });
    expect(stored?.signature?.userAgent).toBeTruthy();
    expect(stored?.timeline.map((event) => event.action)).toEqual(['PROVISIONED', 'SIGNED_WITH_SMS_CODE']);

    const activated = await activate();
    expect(activated.status).toBe(200);
    expect(activated.json.status).toBe('ACTIVATED');
  });

  it('a fee-plan change makes v2 while v1 stays SIGNED and in force; signing v2 supersedes v1', async () => {
    const missingReason = await t.api.call('POST', `/v1/merchants/${merchant.merchantNo}/fee-plan`, {
      token: t.operator,
      body: { feePlanCode: 'RETAIL-STD' },
    });
    expect(missingReason.status).toBe(400);
    expect(missingReason.json.error.fields).toContainEqual(expect.objectContaining({ field: 'reason' }));
    const wrongLevel = await t.api.call('POST', `/v1/merchants/${merchant.merchantNo}/fee-plan`, {
      token: t.operator,
      body: { feePlanCode: 'DEFAULT-HIGH', reason: '升级' },
    });
    expect(wrongLevel.status).toBe(400);
    expect(wrongLevel.json.error.fields).toContainEqual(
      expect.objectContaining({ field: 'feePlanCode', code: 'NOT_ALLOWED' }),
    );

    const changed = await t.api.call('POST', `/v1/merchants/${merchant.merchantNo}/fee-plan`, {
      token: t.operator,
      body: { feePlanCode: 'RETAIL-STD', reason: '年度费率调整' },
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({
      feePlan: { code: 'RETAIL-STD', version: 2 },
      agreement: { version: 2, status: 'AWAITING_SIGNATURE' },
    });
    const v2 = await renderedAgreement(t.api, merchant.merchantNo, merchant.token);
    expect(v2).toMatchObject({
      version: 2,
      feePlan: { code: 'RETAIL-STD', version: 2 },
      cause: 'FEE_PLAN_CHANGED',
    });
    expect(v2.inForce).toMatchObject({ version: 1 });
    const repository = new DynamoAgreementRepository(tableFromEnv());
    expect((await repository.get(merchant.merchantNo, 1))?.status).toBe('SIGNED');
    expect((await repository.get(merchant.merchantNo, 2))?.timeline[0]).toMatchObject({
      actor: 'staff:op-1',
      action: 'FEE_PLAN_CHANGED',
      reason: '年度费率调整',
    });
    // The merchant sees the operator's role and reason, staff see who it was.
    expect(v2.timeline[0]).toMatchObject({ actor: 'operator', reason: '年度费率调整' });
    const asStaff = await t.api.call('GET', `/v1/merchants/${merchant.merchantNo}/agreement`, {
      token: t.operator,
    });
    expect(asStaff.json.timeline[0]).toMatchObject({ actor: 'staff:op-1', action: 'FEE_PLAN_CHANGED' });
    const pdf = new Uint8Array(await (await fetch(v2.documentUrl)).arrayBuffer());
    expect(await pdfText(pdf)).toContain('借记卡 0.45% 封顶 18 元');
    // v1 signed is still in force: nothing new blocks the merchant.
    expect(
      (await t.api.call('GET', `/v1/merchants/${merchant.merchantNo}/agreement`, { token: merchant.token }))
        .json.status,
    ).toBe('AWAITING_SIGNATURE');
    // The merchant is told a new version waits, with its rates.
    await eventually(async () => {
      const emails = (await t.api.call('GET', '/_local/emails')).json.messages as {
        to: string[];
        text: string;
      }[];
      return emails.find(
        (m) =>
          m.to.includes(merchant.email) &&
          m.text.includes('第 2 版') &&
          m.text.includes('借记卡 0.45% 封顶 18 元'),
      );
    });

    await signAgreement(t.api, merchant.merchantNo, merchant.token);
    expect((await repository.get(merchant.merchantNo, 1))?.status).toBe('SUPERSEDED');
    expect((await repository.get(merchant.merchantNo, 2))?.status).toBe('SIGNED');
  });

  it('an applied change request that changes settlement.cycle makes the next version with the new cycle', async () => {
    const current = await t.api.call('GET', `/v1/merchants/${merchant.merchantNo}`, {
      token: merchant.token,
    });
    const filed = await t.api.call('POST', `/v1/merchants/${merchant.merchantNo}/change-requests`, {
      token: merchant.token,
      headers: { 'idempotency-key': `agreement-cycle-${Date.now()}` },
      body: {
        changes: {
          settlement: {
            accountType: 'PERSONAL',
            accountName: '张三',
            accountNumber: validPersonalAccount(),
            bankName: '中国建设银行',
            cycle: 'T0',
          },
        },
        reason: '改为 T+0 结算',
        expectedVersion: current.json.version,
      },
    });
    expect(filed.status).toBe(202);
    const task = await eventually(async () => {
      const got = await t.api.call('GET', `/v1/reviews/${filed.json.changeRequestId}`, { token: t.reviewer });
      return got.status === 200 && got.json.status === 'PENDING' ? got.json : undefined;
    });
    const decided = await t.api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
      token: t.reviewer,
      body: {
        decision: 'APPROVE',
        checks: { phoneCallback: { done: true }, siteInspection: { done: true } },
      },
    });
    expect(decided.status).toBe(200);
    const v3 = await eventually(async () => {
      const got = await t.api.call('GET', `/v1/merchants/${merchant.merchantNo}/agreement`, {
        token: merchant.token,
      });
      return got.json.version === 3 && got.json.sha256 ? got.json : undefined;
    });
    expect(v3).toMatchObject({
      cause: 'SETTLEMENT_CYCLE_CHANGED',
      settlementCycle: 'T0',
      status: 'AWAITING_SIGNATURE',
      feePlan: { code: 'RETAIL-STD', version: 2 },
      inForce: { version: 2 },
    });
    const pdf = new Uint8Array(await (await fetch(v3.documentUrl)).arrayBuffer());
    expect(await pdfText(pdf)).toContain('每笔交易另加 0.05%');
    expect((await new DynamoAgreementRepository(tableFromEnv()).get(merchant.merchantNo, 2))?.status).toBe(
      'SIGNED',
    );
  });
});

describe('the reviewer picks the plan', () => {
  it('approval with feePlanCode gives that plan version; an unknown code is refused on the field', async () => {
    const chosen = await approvedMerchant(t.api, t.reviewer, {
      businessName: '赵六文具店',
      signAgreement: false,
      feePlanCode: 'RETAIL-STD',
      beforeDecision: async (taskId) => {
        for (const [feePlanCode, code] of [
          ['NO-SUCH-PLAN', 'UNKNOWN_FEE_PLAN'],
          ['DEFAULT-HIGH', 'NOT_ALLOWED'],
        ] as const) {
          const refused = await t.api.call('POST', `/v1/reviews/${taskId}/decision`, {
            token: t.reviewer,
            body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } }, feePlanCode },
          });
          expect(refused.status).toBe(400);
          expect(refused.json.error.fields).toContainEqual(
            expect.objectContaining({ field: 'feePlanCode', code }),
          );
        }
      },
    });
    const agreement = await renderedAgreement(t.api, chosen.merchantNo, chosen.token);
    expect(agreement.feePlan).toMatchObject({
      code: 'RETAIL-STD',
      version: 2,
      rates: { DEBIT: { bps: 45, capFen: 1800 } },
    });
    // Unsigned: the reminder follows after the configured wait, through the exactly-once sender.
    await eventually(async () => {
      const emails = (await t.api.call('GET', '/_local/emails')).json.messages as {
        to: string[];
        subject: string;
      }[];
      return emails.find((m) => m.to.includes(chosen.email) && m.subject.includes('提醒'));
    }, 30_000);
  });
});

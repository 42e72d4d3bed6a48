import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  TABLE_NAME,
} from '../../local/constants';
import {
  localKinesisClient,
  putTransactions,
  shanghaiTime,
  transaction,
} from '../../local/transaction-producer';
import { ensureWebBuilt } from '../../local/web-build';
import { DynamoReviewTaskRepository } from '../../shared/adapters/dynamodb-reviews';
import { DynamoTable } from '../../shared/adapters/dynamodb-table';
import type { TransactionRecord } from '../../shared/daily-checks/transaction';
import type { ReviewTaskRecord } from '../../shared/domain/review';
import { eventually } from '../support/api-client';
import { approvedMerchant } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';
import { checkPage, launchChromium, openPage, screenshot, type WatchedPage } from './support/browser';

/*
 * Risk alerts, limits and usage in the console (spec sections 8 and 10), in a real Chromium against
 * the real local stack: transactions go onto the local Kinesis stream as the payment host puts them,
 * the real consumer opens the alerts, and a reviewer works them in the browser — the evidence, a
 * dismissal with a reason, lowered limits and a suspended terminal, each effect checked through the
 * API. An operator reads the merchant's limits, usage and daily summaries and changes a limit with a
 * reason, which heads the audit of limit changes under them. Small limits (configuration) make a sale of 1,500 yuan break the per-transaction limit.
 */

const LIMITS = {
  DEBIT: { perTransactionFen: 100_000, dailyFen: 500_000, monthlyFen: 1_000_000 },
  CREDIT: { perTransactionFen: 100_000, dailyFen: 500_000, monthlyFen: 1_000_000 },
  QR: { perTransactionFen: 50_000, dailyFen: 200_000, monthlyFen: 500_000 },
};
const SN = 'RSKWEB0001';

let testStack: TestStack;
let browser: Browser;
let tab: WatchedPage;
let base: string;
let kinesis: KinesisClient;
let merchant: Awaited<ReturnType<typeof approvedMerchant>>;

/** A day in Asia/Shanghai, `days` before today. */
const shanghaiDay = (days: number) =>
  new Date(Date.now() + 8 * 3600_000 - days * 86_400_000).toISOString().slice(0, 10);
const today = shanghaiDay(0);
const yesterday = shanghaiDay(1);

beforeAll(async () => {
  await ensureWebBuilt();
  [testStack, browser] = await Promise.all([
    startTestStack('e2e-console-risk', {
      DAILY_CHECKS_SETTINGS: JSON.stringify({
        defaultLimits: { INDIVIDUAL: LIMITS },
        contextCacheSeconds: 0,
      }),
      REVIEW_ESCALATION_SECONDS: '600',
      REVIEW_FINAL_SECONDS: '1200',
      SMS_PER_PHONE_PER_HOUR: '10000',
      EMAIL_PER_ADDRESS_PER_HOUR: '10000',
    }),
    launchChromium(),
  ]);
  base = testStack.stack.urls.api;
  kinesis = localKinesisClient(testStack.stack.urls.kinesis);
  tab = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  const stock = await testStack.api.call('POST', '/v1/terminals', {
    token: testStack.operator,
    body: { terminals: [{ serialNumber: SN, model: 'A8' }] },
  });
  expect(stock.status).toBe(201);
  merchant = await approvedMerchant(testStack.api, testStack.reviewer, {
    serialNumber: SN,
    businessName: '孙七便利店',
    locale: 'en',
  });
}, 240_000);

afterAll(async () => {
  kinesis?.destroy();
  await tab?.close();
  await browser?.close();
  await testStack?.stop();
});

async function signIn(user: string, role: 'Reviewer' | 'Operator') {
  const { page } = tab;
  await page.goto(`${base}/console/?lang=en`);
  await page.getByRole('button', { name: /^(Sign in|Sign out)$/ }).waitFor();
  if (await page.getByRole('button', { name: 'Sign out' }).isVisible())
    await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('textbox', { name: 'User' }).fill(user);
  await page.getByRole('combobox', { name: 'Role' }).selectOption({ label: role });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** A sale of the merchant's terminal (defaults: debit, approved, in the merchant's city). */
function sale(at: string, amountFen: number, fields: Partial<TransactionRecord> = {}): TransactionRecord {
  return transaction({ merchantNo: merchant.merchantNo, serialNumber: SN, at, amountFen, ...fields });
}

/** The pending RISK_ALERT of the merchant for `rule` on `day`, once the consumer has opened it. */
function alertOpened(rule: string, day: string) {
  return eventually(async () => {
    const page = await testStack.api.call('GET', '/v1/reviews?limit=100', { token: testStack.reviewer });
    return (
      page.json.items as { taskId: string; kind: string; merchantNo?: string; rule?: string; day?: string }[]
    ).find(
      (item) =>
        item.kind === 'RISK_ALERT' &&
        item.merchantNo === merchant.merchantNo &&
        item.rule === rule &&
        item.day === day,
    );
  }, 60_000);
}

async function review(taskId: string) {
  const got = await testStack.api.call('GET', `/v1/reviews/${taskId}`, { token: testStack.reviewer });
  expect(got.status).toBe(200);
  return got.json as { status: string; decision?: string; reasons?: { reason: string }[]; cardType?: string };
}

describe('the staff console: risk alerts', () => {
  it('shows an over-limit alert in the queue with its evidence; the reviewer dismisses it with a reason', async () => {
    const now = Date.now();
    const big = sale(new Date(now).toISOString(), 150_000);
    await putTransactions(kinesis, [
      sale(new Date(now - 20_000).toISOString(), 20_000),
      sale(new Date(now - 10_000).toISOString(), 20_000),
      big,
    ]);
    const alert = await alertOpened('OVER_LIMIT', today);
    expect((await review(alert.taskId)).cardType).toBe('DEBIT');

    await signIn('rev-risk', 'Reviewer');
    const { page } = tab;
    await page.getByRole('link', { name: 'Risk alerts' }).click();
    await expect
      .poll(() => page.getByRole('link', { name: 'Risk alerts' }).getAttribute('aria-current'))
      .toBe('page');
    await expect.poll(() => page.getByRole('combobox', { name: 'Kind' }).inputValue()).toBe('RISK_ALERT');
    const queue = page.getByRole('table', { name: 'Review queue' });
    const row = queue.getByRole('link', { name: `Over limit · ${today} · ${SN}` });
    await row.waitFor();
    // Only risk alerts are listed: the merchant's own application was decided, and no other kind shows.
    expect(await queue.getByRole('row').count()).toBe(2);
    await checkPage(tab, 'queue filtered to risk alerts');
    await row.click();

    await page.getByRole('heading', { name: 'Risk alert · Over limit', level: 1 }).waitFor();
    await page.getByText('A sale went above the per-transaction, daily or monthly limit.').waitFor();
    const merchantLink = page.getByRole('link', { name: `孙七便利店 · ${merchant.merchantNo}` });
    expect(await merchantLink.getAttribute('href')).toContain(`#/merchants/${merchant.merchantNo}`);
    expect(await page.getByRole('link', { name: SN, exact: true }).getAttribute('href')).toContain(
      `#/terminals/${SN}`,
    );
    const evidence = page.getByRole('region', { name: 'Evidence' });
    await evidence
      .getByText('Per-transaction limit: ¥1,500.00 against a limit of ¥1,000.00 (150%)', { exact: true })
      .waitFor();
    const figures = evidence.getByRole('table', { name: 'Figures that broke the rule' });
    await expect
      .poll(() => figures.getByRole('row', { name: /^Limit ¥/ }).textContent())
      .toBe('Limit¥1,000.00');
    await figures.getByRole('row', { name: 'Limit broken Per-transaction limit' }).waitFor();
    await evidence.getByRole('heading', { name: 'Transactions (1)' }).waitFor();
    await evidence.getByText(big.transactionId, { exact: true }).waitFor();
    // The card type's limits beside today's usage: 1,900 yuan of a 5,000-yuan day.
    const inForce = page.getByRole('region', { name: 'Limits in force · Debit card' });
    await inForce.getByText('¥1,900.00').first().waitFor();
    await inForce.getByRole('meter', { name: `Debit card, Used today (${today}): 38% used` }).waitFor();
    await checkPage(tab, 'risk alert');
    await screenshot(page, 'console-risk-alert.png');
    // In Chinese (the default) the same case reads from the other catalogue.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '风险预警 · 超限额', level: 1 }).waitFor();
    await page.getByText('单笔限额：¥1,500.00，限额 ¥1,000.00（150%）', { exact: true }).waitFor();
    await page.getByRole('button', { name: '下调限额' }).waitFor();
    await checkPage(tab, 'risk alert in Chinese');
    await page.getByRole('button', { name: 'English' }).click();

    // The reason is required: said at its field, nothing sent.
    const reason = page.getByRole('textbox', { name: 'Reason' });
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.locator('#decision-reason-error').getByText('Give the reason for this decision.').waitFor();
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect((await review(alert.taskId)).status).toBe('PENDING');

    await reason.fill('Known customer: one large purchase, confirmed by phone');
    // Suspending the merchant is asked once more, its button focused; Cancel sends nothing.
    await page.getByRole('button', { name: 'Suspend merchant' }).click();
    await page.getByText(`Suspend merchant ${merchant.merchantNo}? None of its terminals`).waitFor();
    const suspend = page.getByRole('button', { name: `Suspend ${merchant.merchantNo}` });
    await expect.poll(() => suspend.evaluate((button) => button === document.activeElement)).toBe(true);
    await checkPage(tab, 'suspend merchant asked');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await suspend.count()).toBe(0);
    expect((await review(alert.taskId)).status).toBe('PENDING');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByText('Decision recorded').waitFor();
    await page.getByText(/^Decided: Dismiss \(rev-risk, /).waitFor();
    await page.getByText('Known customer: one large purchase, confirmed by phone').waitFor();
    expect(await page.getByRole('button', { name: 'Dismiss' }).count()).toBe(0);
    await checkPage(tab, 'risk alert dismissed');
    const decided = await review(alert.taskId);
    expect(decided).toMatchObject({ status: 'DECIDED', decision: 'DISMISS' });
    expect(decided.reasons?.[0]?.reason).toBe('Known customer: one large purchase, confirmed by phone');

    // No longer pending: gone from the queue.
    await page.getByRole('link', { name: 'Back to the review queue' }).click();
    await page.getByText(/^Showing \d+ of \d+ tasks/).waitFor();
    expect(await page.getByRole('link', { name: `Over limit · ${today} · ${SN}` }).count()).toBe(0);

    // A dismissed alert changes no limit: the merchant's limit changes are still none, and say so.
    await page.goto(`${base}/console/?lang=en#/merchants/${merchant.merchantNo}`);
    const limits = page.getByRole('region', { name: 'Limits and usage' });
    await limits
      .getByText('The limits have not been changed: the merchant has the defaults of its type.')
      .waitFor();
    expect(await limits.getByRole('table', { name: 'Limit changes, newest first' }).count()).toBe(0);
    await checkPage(tab, 'no limit changes yet');
  }, 240_000);

  it('lowers the limits from an alert (a limit above the one in force is refused at its field) and suspends a terminal', async () => {
    await putTransactions(kinesis, [
      sale(shanghaiTime(yesterday, '11:00:00'), 30_000),
      sale(shanghaiTime(yesterday, '12:00:00'), 120_000),
      // Sold in Shanghai (3101) by a terminal of a Beijing (1101) merchant: the machine moved.
      sale(shanghaiTime(yesterday, '15:00:00'), 1_000, { divisionCode: '310101' }),
    ]);
    const [over, moved] = await Promise.all([
      alertOpened('OVER_LIMIT', yesterday),
      alertOpened('LOCATION', yesterday),
    ]);
    await signIn('rev-risk', 'Reviewer');
    const { page } = tab;
    await page.goto(`${base}/console/?lang=en#/cases/${over.taskId}`);
    await page.getByRole('heading', { name: 'Risk alert · Over limit', level: 1 }).waitFor();
    const perTransaction = page.getByRole('textbox', { name: 'Debit card Per transaction' });
    await expect.poll(() => perTransaction.inputValue()).toBe('1000');
    await page.getByRole('textbox', { name: 'Reason' }).fill('Large sales above the usual pattern');

    // Lowering cannot raise: said at the field before anything is sent.
    await perTransaction.fill('1200');
    await page.getByRole('button', { name: 'Lower limits' }).click();
    await page
      .locator('#lower-DEBIT-perTransactionFen-error')
      .getByText('At most ¥1,000.00, the limit in force.')
      .waitFor();
    await expect.poll(() => perTransaction.getAttribute('aria-invalid')).toBe('true');
    await checkPage(tab, 'lower limits refused at the field');

    await perTransaction.fill('800');
    await page.getByRole('button', { name: 'Lower limits' }).click();
    await page.getByText('Decision recorded').waitFor();
    await page.getByText(/^Decided: Lower limits \(rev-risk, /).waitFor();
    const limits = await testStack.api.call('GET', `/v1/merchants/${merchant.merchantNo}/limits`, {
      token: testStack.operator,
    });
    expect(limits.json.limits.DEBIT).toEqual({ ...LIMITS.DEBIT, perTransactionFen: 80_000 });
    expect(limits.json.own).toEqual(['DEBIT']);
    // The page shows the effect: the limits in force are read again.
    const inForce = page.getByRole('region', { name: 'Limits in force · Debit card' });
    await inForce.getByText("The merchant's own limits").waitFor();
    await expect
      .poll(() => inForce.getByRole('row', { name: /^Per transaction / }).textContent())
      .toBe('Per transaction¥800.00—');
    await checkPage(tab, 'limits lowered');

    await page.goto(`${base}/console/?lang=en#/cases/${moved.taskId}`);
    await page.getByRole('heading', { name: 'Risk alert · Location (machine moved)', level: 1 }).waitFor();
    const figures = page.getByRole('table', { name: 'Figures that broke the rule' });
    await figures.getByRole('row', { name: 'City code of the sale 3101' }).waitFor();
    await figures.getByRole('row', { name: "City code of the merchant's address 1101" }).waitFor();
    await page.getByRole('textbox', { name: 'Reason' }).fill('Machine moved to another city');
    await page.getByRole('button', { name: 'Suspend terminal' }).click();
    await page.getByText('Decision recorded').waitFor();
    await page.getByText(/^Decided: Suspend terminal \(rev-risk, /).waitFor();
    // The terminal is suspended: on the case (read again) and through the API.
    await page.locator('dd').filter({ hasText: SN }).getByText('Suspended', { exact: true }).waitFor();
    const terminal = await testStack.api.call('GET', `/v1/terminals/${SN}`, { token: testStack.operator });
    expect(terminal.json).toMatchObject({ suspended: true, suspension: { taskId: moved.taskId } });
    expect(terminal.json.suspension.by).toContain('rev-risk');
    await checkPage(tab, 'terminal suspended');
  }, 240_000);
});

describe('the staff console: limits and usage', () => {
  it("shows a merchant's limits, usage and daily summaries, and lets an operator change a limit with a reason", async () => {
    const { api } = testStack;
    const run = await api.call('POST', '/_local/daily-run', { body: { day: yesterday, wait: true } });
    expect(run.status).toBe(200);
    await signIn('op-limits', 'Operator');
    const { page } = tab;
    await page.goto(`${base}/console/?lang=en#/merchants/${merchant.merchantNo}`);
    const section = page.getByRole('region', { name: 'Limits and usage' });
    const usage = section.getByRole('table', { name: /^Per card type, usage of / });
    // Today: 200 + 200 + 1,500 yuan of debit sales, 38 % of the daily limit; the lowered per-transaction limit is the merchant's own.
    await expect
      .poll(() => usage.getByRole('row', { name: /^Debit card / }).textContent())
      .toMatch(/^Debit card¥800\.00¥5,000\.00¥1,900\.00 · 38%¥10,000\.00.*3Own$/);
    await usage.getByRole('meter', { name: 'Debit card, Used today: 38% used' }).waitFor();
    expect(await usage.getByRole('row', { name: /^QR code / }).textContent()).toBe(
      'QR code¥500.00¥2,000.00¥0.00 · 0%¥5,000.00¥0.00 · 0%0Default',
    );
    // The terminal suspended from the alert says so.
    await page
      .getByRole('table', { name: 'Terminals' })
      .getByRole('row', { name: new RegExp(SN) })
      .getByText('Suspended', { exact: true })
      .waitFor();
    // Yesterday's summary (written by the daily run): 3 debit sales, 1,510 yuan, the two alerts.
    const summaries = section.getByRole('table', { name: 'Daily summaries, last 30 days, per card type' });
    await expect
      .poll(() => summaries.getByRole('row', { name: new RegExp(`^${yesterday}`) }).textContent())
      .toBe(`${yesterday}Debit card3¥1,510.0002`);

    // The audit under the limits: the limits lowered on the alert, with its reviewer and task.
    const audit = await api.call('GET', `/v1/merchants/${merchant.merchantNo}/limit-audit`, {
      token: testStack.operator,
    });
    expect(audit.json.items).toHaveLength(1);
    const lowered = audit.json.items[0] as { taskId: string; at: string };
    const changes = section.getByRole('table', { name: 'Limit changes, newest first' });
    const loweredRow = changes.getByRole('row').nth(1);
    await expect
      .poll(() => loweredRow.textContent())
      .toMatch(
        /version 1Staff rev-riskLowered on a risk alertDebit card Per transaction ¥800\.00 · Daily ¥5,000\.00 · Monthly ¥10,000\.00Large sales above the usual pattern(.+)$/,
      );
    expect(await loweredRow.locator('time').getAttribute('datetime')).toBe(lowered.at);
    const taskLink = loweredRow.getByRole('link', { name: lowered.taskId });
    expect(await taskLink.getAttribute('href')).toMatch(new RegExp(`#/cases/${lowered.taskId}$`));

    // The reason is required; then the change is made at the version read and shown.
    const qrDaily = section.getByRole('textbox', { name: 'QR code Daily' });
    await expect.poll(() => qrDaily.inputValue()).toBe('2000');
    await qrDaily.fill('3000');
    await section.getByRole('button', { name: 'Change limits' }).click();
    await page.locator('#limits-reason-error').getByText('Give the reason for the change.').waitFor();
    await section.getByRole('textbox', { name: 'Reason for the limit change' }).fill('Seasonal QR volume');
    await section.getByRole('button', { name: 'Change limits' }).click();
    await section.getByText('Limits changed (version 2).').waitFor();
    await expect
      .poll(() => usage.getByRole('row', { name: /^QR code / }).textContent())
      .toBe('QR code¥500.00¥3,000.00¥0.00 · 0%¥5,000.00¥0.00 · 0%0Own');
    const limits = await api.call('GET', `/v1/merchants/${merchant.merchantNo}/limits`, {
      token: testStack.operator,
    });
    expect(limits.json).toMatchObject({
      version: 2,
      own: ['DEBIT', 'QR'],
      limits: { QR: { ...LIMITS.QR, dailyFen: 300_000 } },
    });
    // The change just made heads the audit (read again with the new version); the one before follows.
    await expect.poll(() => changes.getByRole('row').count()).toBe(3);
    expect(await changes.getByRole('row').nth(1).textContent()).toMatch(
      /version 2Staff op-limitsOperator changeQR code Per transaction ¥500\.00 · Daily ¥3,000\.00 · Monthly ¥5,000\.00Seasonal QR volume—$/,
    );
    expect(await changes.getByRole('row').nth(2).textContent()).toContain('version 1Staff rev-risk');
    await checkPage(tab, 'merchant limits changed');
    await screenshot(page, 'console-merchant-limits.png');

    // More changes than a page (20): "Load more" goes on to the oldest.
    for (let step = 1; step <= 20; step++) {
      const more = await api.call('PUT', `/v1/merchants/${merchant.merchantNo}/limits`, {
        token: testStack.operator,
        body: { limits: { QR: { ...LIMITS.QR, dailyFen: 300_000 + step * 100 } }, reason: `QR step ${step}` },
      });
      expect(more.status).toBe(200);
    }

    // A reviewer reads the limits and their audit; changing them is an operator's.
    await signIn('rev-limits', 'Reviewer');
    await page.goto(`${base}/console/?lang=en#/merchants/${merchant.merchantNo}`);
    await page.getByRole('region', { name: 'Limits and usage' }).getByRole('table').first().waitFor();
    expect(await page.getByRole('button', { name: 'Change limits' }).count()).toBe(0);
    await expect.poll(() => changes.getByRole('row').count()).toBe(21);
    expect(await changes.getByRole('row').nth(1).textContent()).toContain('QR step 20');
    await section.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => changes.getByRole('row').count()).toBe(23);
    expect(await changes.getByRole('row').nth(22).textContent()).toContain('version 1Staff rev-risk');
    expect(await section.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await checkPage(tab, 'limit changes, all pages');
    // In Chinese: the table's name and the source in words.
    await page.goto(`${base}/console/?lang=zh-CN#/merchants/${merchant.merchantNo}`);
    const zhChanges = page.getByRole('table', { name: '限额变更记录（最新在前）' });
    await zhChanges.getByRole('columnheader', { name: '操作人' }).waitFor();
    await zhChanges.getByRole('cell', { name: '运营调整' }).first().waitFor();
    await checkPage(tab, 'limit changes in Chinese');
  }, 240_000);
});

describe('the staff console: limit increase requests', () => {
  it('shows what the merchant asked beside the limits in force; a reject needs a reason; approving applies the limits', async () => {
    const { api } = testStack;
    const asked = await api.call('POST', `/v1/merchants/${merchant.merchantNo}/limit-requests`, {
      token: merchant.token,
      body: { cardType: 'CREDIT', dailyFen: 800_000, monthlyFen: 2_000_000, reason: '节日促销' },
    });
    expect(asked.status).toBe(202);
    await signIn('rev-limits', 'Reviewer');
    const { page } = tab;
    const queue = page.getByRole('table', { name: 'Review queue' });
    const row = queue.getByRole('link', { name: 'Credit card · Requested ¥8,000.00 / ¥20,000.00' });
    await row.click();
    await page.getByRole('heading', { name: 'Limit increase · Credit card', level: 1 }).waitFor();
    const request = page.getByRole('region', { name: 'Limit increase request' });
    await request.getByText('节日促销').waitFor();
    const table = request.getByRole('table', { name: 'Requested limits · Credit card' });
    await expect
      .poll(() => table.getByRole('row', { name: /^Daily limit / }).textContent())
      .toBe('Daily limit¥5,000.00¥8,000.00¥0.00 · 0%');
    await expect
      .poll(() => table.getByRole('row', { name: /^Monthly limit / }).textContent())
      .toBe('Monthly limit¥10,000.00¥20,000.00¥0.00 · 0%');
    await checkPage(tab, 'limit increase request');

    await page.getByRole('button', { name: 'Reject' }).click();
    await page.locator('#decision-reason-error').getByText('Give the reason for this decision.').waitFor();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Decision recorded').waitFor();
    await page.getByText(/^Decided: Approve \(rev-limits, /).waitFor();
    await page.getByText(/^The merchant was told: (email|SMS) /).waitFor();
    const limits = await api.call('GET', `/v1/merchants/${merchant.merchantNo}/limits`, {
      token: testStack.operator,
    });
    expect(limits.json.limits.CREDIT).toEqual({
      perTransactionFen: 100_000,
      dailyFen: 800_000,
      monthlyFen: 2_000_000,
    });
    await checkPage(tab, 'limit increase approved');
  }, 180_000);
});

describe('the staff console: the queue by kind', () => {
  it('shows a risk alert behind more than a page of older applications: the kind filter asks the API for that kind, and "Load more" continues it', async () => {
    // Stored as the routes and the stream's consumer store them, older than every task of the
    // file: 55 applications, then one risk alert, so the whole queue's first page holds no alert.
    const client = new DynamoDBClient({
      endpoint: testStack.stack.urls.dynamodb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    });
    const reviews = new DynamoReviewTaskRepository(new DynamoTable(client, TABLE_NAME));
    const oldest = Date.UTC(2020, 0, 1);
    const seeded = (index: number, fields: Partial<ReviewTaskRecord>): ReviewTaskRecord => ({
      taskId: `KINDQ-${String(index).padStart(3, '0')}`,
      kind: 'APPLICATION',
      subjectId: `KINDQ-${index}`,
      status: 'PENDING',
      createdAt: new Date(oldest + index * 1000).toISOString(),
      deadline: new Date(Date.now() + 600_000).toISOString(),
      finalDeadline: new Date(Date.now() + 1_200_000).toISOString(),
      escalated: false,
      automatedChecks: [],
      requiredChecks: ['phoneCallback'],
      summary: `INDIVIDUAL · 5411 · 排队商户 ${index}`,
      ...fields,
    });
    const applications = Array.from({ length: 55 }, (_, index) => seeded(index, {}));
    const alert = seeded(55, {
      taskId: `RISK-${merchant.merchantNo}-OVER_LIMIT-2020-01-01`,
      kind: 'RISK_ALERT',
      subjectId: merchant.merchantNo,
      merchantNo: merchant.merchantNo,
      requiredChecks: [],
      summary: '',
      rule: 'OVER_LIMIT',
      day: '2020-01-01',
      cardType: 'DEBIT',
      serialNumber: SN,
      evidence: { transactionIds: ['T-KINDQ'], figures: { amountFen: 150_000 } },
    });
    const tasks = [...applications, alert];
    await Promise.all(
      tasks.map(async (task) => expect(await reviews.create(task, `token-${task.taskId}`)).toBe(true)),
    );
    try {
      await signIn('rev-kinds', 'Reviewer');
      const { page } = tab;
      const queue = page.getByRole('table', { name: 'Review queue' });
      const rows = queue.locator('tbody tr');
      const alertRow = queue.getByRole('link', { name: `Over limit · 2020-01-01 · ${SN}` });
      // The whole queue: the oldest 50 are the seeded applications, the alert is not among them.
      await page.goto(`${base}/console/?lang=en#/queue`);
      await queue.getByRole('link', { name: 'INDIVIDUAL · 5411 · 排队商户 49' }).waitFor();
      expect(await rows.count()).toBe(50);
      expect(await alertRow.count()).toBe(0);

      // "Risk alerts" asks for that kind's own queue: the alert is the first row.
      const asked = page.waitForRequest((request) => /\/v1\/reviews\?.*kind=RISK_ALERT/.test(request.url()));
      await page.getByRole('link', { name: 'Risk alerts' }).click();
      await asked;
      await alertRow.waitFor();
      expect(await rows.first().getByRole('link').textContent()).toBe(`Over limit · 2020-01-01 · ${SN}`);
      expect(
        await rows.evaluateAll((all) => all.map((row) => row.querySelector('td:nth-child(2)')?.textContent)),
      ).toEqual(Array.from({ length: await rows.count() }, () => 'Risk alert'));

      // Another kind from the select: its own first page (the address follows), then the next one.
      await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Application' });
      await expect.poll(() => new URL(page.url()).hash).toBe('#/queue?kind=APPLICATION');
      await queue.getByRole('link', { name: 'INDIVIDUAL · 5411 · 排队商户 49' }).waitFor();
      await expect.poll(() => rows.count()).toBe(50);
      expect(await alertRow.count()).toBe(0);
      const more = page.waitForRequest(
        (request) => /kind=APPLICATION/.test(request.url()) && /cursor=/.test(request.url()),
      );
      await page.getByRole('button', { name: 'Load more' }).click();
      await more;
      await queue.getByRole('link', { name: 'INDIVIDUAL · 5411 · 排队商户 54' }).waitFor();
      expect(await rows.count()).toBeGreaterThanOrEqual(55);
      await checkPage(tab, 'queue filtered to applications, second page');
    } finally {
      await Promise.all(tasks.map((task) => reviews.close(task.taskId, 'CANCELLED')));
      client.destroy();
    }
  }, 120_000);
});

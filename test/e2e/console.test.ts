import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  TABLE_NAME,
} from '../../local/constants';
import { ensureWebBuilt } from '../../local/web-build';
import { DynamoReviewTaskRepository } from '../../shared/adapters/dynamodb-reviews';
import { DynamoTable } from '../../shared/adapters/dynamodb-table';
import { eventually } from '../support/api-client';
import { startTestStack, type TestStack } from '../support/test-stack';
import { applicationInReview, applicationWhen } from './support/applications';
import { checkPage, launchChromium, openPage, screenshot, type WatchedPage } from './support/browser';

/*
 * The staff console in a real Chromium against the real local stack (spec section 10): reviewers work
 * the queue and decide cases, an operator imports terminal stock from CSV and binds one. Every page
 * passes axe (no serious or critical violation), has a label on every input and breaks no CSP rule.
 */

let testStack: TestStack;
let browser: Browser;
let tab: WatchedPage;
let base: string;
/** Applications created together, so the queue holds several; the later tests decide the others. */
let forChanges: Awaited<ReturnType<typeof applicationInReview>> | undefined;
let forRejection: Awaited<ReturnType<typeof applicationInReview>> | undefined;

beforeAll(async () => {
  await ensureWebBuilt();
  [testStack, browser] = await Promise.all([
    startTestStack('e2e-console', {
      REVIEW_ESCALATION_SECONDS: '600',
      REVIEW_FINAL_SECONDS: '1200',
      RESUBMISSION_SECONDS: '1200',
      SMS_PER_PHONE_PER_HOUR: '10000',
      EMAIL_PER_ADDRESS_PER_HOUR: '10000',
    }),
    launchChromium(),
  ]);
  base = testStack.stack.urls.api;
  tab = await openPage(browser, { viewport: { width: 1280, height: 900 } });
}, 240_000);

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await testStack?.stop();
});

/** Escalates a pending task in the stack's table, as the workflow's escalation step does. */
function escalate(taskId: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint: testStack.stack.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
  return new DynamoReviewTaskRepository(new DynamoTable(client, TABLE_NAME))
    .markEscalated(taskId, new Date())
    .finally(() => client.destroy());
}

async function signIn(user: string, role: 'Reviewer' | 'Operator') {
  const { page } = tab;
  await page.goto(`${base}/console/?lang=en`);
  await page.getByRole('textbox', { name: 'User' }).fill(user);
  await page.getByRole('combobox', { name: 'Role' }).selectOption({ label: role });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

describe('the staff console', () => {
  it('is served on the API origin with the security headers, in Chinese by default and English on request', async () => {
    const response = await fetch(`${base}/console/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<style|style="/);
    expect((await fetch(`${base}/console/assets/../../../package.json`)).status).toBe(404);

    const { page } = tab;
    await page.goto(`${base}/console/`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    await checkPage(tab, 'sign-in');
  }, 180_000);

  it('lets a reviewer find an application in the queue, open it, tick the checks and approve; the merchant is emailed', async () => {
    const { api, reviewer } = testStack;
    const app = await applicationInReview(api, reviewer, {
      businessName: '张三便利店',
      phone: '13800138001',
    });
    [forChanges, forRejection] = await Promise.all([
      applicationInReview(api, reviewer, { businessName: '李四水果店', phone: '13800138002' }),
      applicationInReview(api, reviewer, { businessName: '王五五金店', phone: '13800138003' }),
    ]);
    await signIn('rev-web', 'Reviewer');
    const { page } = tab;

    const queue = page.getByRole('table', { name: 'Review queue' });
    const row = queue.getByRole('row').filter({ hasText: app.applicationId });
    await row.waitFor();
    await expect.poll(() => row.getByRole('cell').nth(1).textContent()).toBe('Application');
    // The kind filter: no change requests are waiting, so the row disappears.
    await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Change request' });
    await expect.poll(() => row.count()).toBe(0);
    await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Application' });
    await row.waitFor();
    await checkPage(tab, 'review queue');
    await screenshot(page, 'console-queue.png');

    // "Escalated only" asks the API for the escalated tasks (of the kind chosen), not a filter of
    // the rows loaded: one of the three is escalated, as the workflow's step does.
    if (!forRejection) throw new Error('created above');
    expect(await escalate(forRejection.taskId)).toBe(true);
    const escalatedRow = queue.getByRole('row').filter({ hasText: forRejection.applicationId });
    const asked = page.waitForRequest((request) => {
      const url = new URL(request.url());
      return (
        url.pathname === '/v1/reviews' &&
        url.searchParams.get('escalated') === 'true' &&
        url.searchParams.get('kind') === 'APPLICATION'
      );
    });
    await page.getByRole('checkbox', { name: 'Escalated only' }).check();
    await asked;
    await escalatedRow.waitFor();
    await expect.poll(() => escalatedRow.getByRole('cell').nth(4).textContent()).toBe('Yes');
    await expect.poll(() => row.count()).toBe(0);
    await checkPage(tab, 'review queue, escalated only');
    await screenshot(page, 'console-queue-escalated.png');
    await page.getByRole('checkbox', { name: 'Escalated only' }).uncheck();
    await row.waitFor();

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: /Application · / }).waitFor();
    const front = page.getByRole('img', { name: 'ID_CARD_FRONT' });
    await front.waitFor();
    // The document really is shown: the presigned GET loaded an image.
    await expect
      .poll(() => front.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(480);
    for (const kind of ['ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO']) {
      await page.getByRole('img', { name: kind }).waitFor();
    }
    // Masked subject: the ID number never reaches the page in full.
    await expect.poll(() => page.locator('main').textContent()).toMatch(/110\*{11}\w{4}/);

    // Approval without the phone call-back is refused, next to the checkbox.
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('This check must be done before approval').first().waitFor();
    await page.getByRole('checkbox', { name: 'Phone call-back done' }).check();
    // The refusal goes once the reviewer acts on it.
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await page
      .getByRole('textbox', { name: 'Phone call-back notes' })
      .fill('Called the legal person; details confirmed.');
    await checkPage(tab, 'case page');
    await screenshot(page, 'console-case.png');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Decision recorded').waitFor();

    const approved = await applicationWhen(api, app.applicationId, app.token, ['APPROVED']);
    const mail = await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      return (json.messages as { to: string[]; text: string }[]).find(
        (message) => message.to.includes(app.email) && message.text.includes(approved.merchantNo),
      );
    });
    expect(mail.text).toContain(approved.merchantNo);
  }, 180_000);

  it('requests changes with a reason on a field, and rejects with a reason', async () => {
    const { api } = testStack;
    const [changes, rejected] = [forChanges, forRejection];
    if (!changes || !rejected) throw new Error('the previous test creates these applications');
    const { page } = tab;

    await page.goto(`${base}/console/?lang=en#/cases/${changes.taskId}`);
    await page.getByRole('button', { name: 'Add reason' }).click();
    await page.getByRole('combobox', { name: 'Field' }).selectOption({ label: 'Legal person ID number' });
    await page.getByRole('textbox', { name: 'Reason', exact: true }).fill('The ID card photo is unreadable');
    await page.getByRole('button', { name: 'Request changes' }).click();
    await page.getByText('Decision recorded').waitFor();
    const needsChanges = await applicationWhen(api, changes.applicationId, changes.token, ['NEEDS_CHANGES']);
    expect(needsChanges.reasons).toEqual([
      expect.objectContaining({ field: 'legalPerson.idNumber', reason: 'The ID card photo is unreadable' }),
    ]);

    await page.goto(`${base}/console/?lang=en#/cases/${rejected.taskId}`);
    // Reject without a reason is refused by the API and said on the page.
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('alert').filter({ hasText: 'need at least one reason' }).waitFor();
    await page.getByRole('button', { name: 'Add reason' }).click();
    await page.getByRole('combobox', { name: 'Field' }).selectOption({ value: 'business.name' });
    await page
      .getByRole('textbox', { name: 'Reason', exact: true })
      .fill('The business name is not on the licence');
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Decision recorded').waitFor();
    const done = await applicationWhen(api, rejected.applicationId, rejected.token, ['REJECTED']);
    expect(done.reasons).toEqual([expect.objectContaining({ field: 'business.name' })]);
  }, 180_000);

  it('lets a reviewer claim a case (shown in the queue), reveal the call-back phone, zoom and rotate a document, and approve', async () => {
    const { api, reviewer } = testStack;
    const app = await applicationInReview(api, reviewer, {
      businessName: '孙七茶叶店',
      phone: '13800138005',
    });
    const { page } = tab;

    await page.goto(`${base}/console/?lang=en#/cases/${app.taskId}`);
    await page.getByText('Nobody is working on this case.').waitFor();
    // The number stays masked until the reviewer holds the case.
    const reveal = page.getByRole('button', { name: 'Reveal' });
    await expect.poll(() => reveal.isDisabled()).toBe(true);
    await expect.poll(() => page.locator('main').textContent()).not.toContain('13800138005');
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByText(/^You hold this case until .+ \(15 min left\)\.$/).waitFor();
    await page.getByRole('button', { name: 'Renew claim' }).click();
    await page.getByText(/^You hold this case until/).waitFor();

    // The queue says who holds the case, and for how long.
    await page.getByRole('link', { name: 'Review queue', exact: true }).click();
    const row = page
      .getByRole('table', { name: 'Review queue' })
      .getByRole('row')
      .filter({ hasText: app.applicationId });
    await expect.poll(() => row.getByRole('cell').nth(5).textContent()).toMatch(/^rev-web · 1[45] min left$/);
    await row.getByRole('link').click();

    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByText('13800138005', { exact: true }).waitFor();
    await page.getByText('Revealed and recorded in the audit (who, when, which field).').waitFor();

    const front = page.getByRole('img', { name: 'ID_CARD_FRONT' });
    await expect
      .poll(() => front.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(480);
    const fitted = await front.evaluate((img) => img.getBoundingClientRect().width);
    await page.getByRole('button', { name: 'Zoom in ID card (front)' }).click();
    await page.getByRole('button', { name: 'Zoom in ID card (front)' }).click();
    await expect
      .poll(() => front.evaluate((img) => img.getBoundingClientRect().width))
      .toBeGreaterThan(fitted * 1.9);
    await page.getByRole('button', { name: 'Zoom out ID card (front)' }).click();
    await expect
      .poll(() => front.evaluate((img) => img.getBoundingClientRect().width))
      .toBeLessThan(fitted * 1.6);
    await page.getByRole('button', { name: 'Rotate ID card (front)' }).click();
    await expect.poll(() => front.evaluate((img) => getComputedStyle(img).rotate)).toBe('90deg');
    await checkPage(tab, 'case page, claimed, revealed and zoomed');

    await page.getByRole('checkbox', { name: 'Phone call-back done' }).check();
    await page.getByRole('textbox', { name: 'Phone call-back notes' }).fill('Called 138****8005; confirmed.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Decision recorded').waitFor();
    // The audit of the reveal: who and which field, never the number.
    await page.getByText('Contact mobile revealed by rev-web').waitFor();
    const detail = await api.call('GET', `/v1/reviews/${app.taskId}`, { token: reviewer });
    expect(detail.json.reveals).toEqual([expect.objectContaining({ field: 'contact.phone', by: 'rev-web' })]);
    await applicationWhen(api, app.applicationId, app.token, ['APPROVED']);
  }, 180_000);

  it('shows the supervisor view: queue by kind, decisions per day as a chart with the same figures in a table', async () => {
    const { api, reviewer } = testStack;
    // One application waiting, so that the queue's depth and age have something to show.
    await applicationInReview(api, reviewer, { businessName: '周八花店', phone: '13800138006' });
    const { page } = tab;
    await page.goto(`${base}/console/?lang=en#/queue`);
    await page.getByRole('link', { name: 'Supervisor view' }).click();
    const queue = page.getByRole('table', { name: 'Queue by kind' });
    await queue.waitFor();
    const { json: stats } = await api.call('GET', '/v1/reviews/stats', { token: reviewer });
    const applications = stats.queue.find((kind: { kind: string }) => kind.kind === 'APPLICATION');
    const cells = await queue
      .getByRole('row')
      .filter({ hasText: 'Application' })
      .locator('td')
      .allTextContents();
    expect(applications.pending).toBeGreaterThanOrEqual(1);
    expect(cells.slice(0, 2)).toEqual([String(applications.pending), String(applications.escalated)]);
    // A task created within the last half second is "now" (Intl.RelativeTimeFormat, numeric: auto).
    expect(cells[2]).toMatch(/ ago$|^now$/);
    // The daily checks' kinds have rows of their own, named, with the API's figures.
    for (const [kind, name] of [
      ['RISK_ALERT', 'Risk alert'],
      ['LIMIT_INCREASE', 'Limit increase'],
    ] as const) {
      const figures = stats.queue.find((entry: { kind: string }) => entry.kind === kind);
      const row = await queue
        .getByRole('row', { name: new RegExp(`^${name}`) })
        .locator('td')
        .allTextContents();
      expect(row.slice(0, 2)).toEqual([String(figures.pending), String(figures.escalated)]);
    }

    await page.getByRole('img', { name: /^Decisions per day, last 14 days/ }).waitFor();
    const today = stats.days.at(-1);
    // Two applications approved through the page so far today (one rejected, one sent back).
    expect(today.decisions.APPROVE).toBeGreaterThanOrEqual(2);
    const decisionsTable = page.getByRole('table', { name: 'Decisions per day' });
    // Every decision has its column: the reviews', then the risk alerts'.
    expect(await decisionsTable.getByRole('columnheader').allTextContents()).toEqual([
      'Day',
      'Approve',
      'Reject',
      'Request changes',
      'Dismiss',
      'Suspend terminal',
      'Suspend merchant',
      'Lower limits',
      'Total',
      'Escalations',
    ]);
    const todayRow = await decisionsTable
      .getByRole('row')
      .filter({ hasText: today.day })
      .locator('td')
      .allTextContents();
    const decisions = [
      'APPROVE',
      'REJECT',
      'REQUEST_CHANGES',
      'DISMISS',
      'SUSPEND_TERMINAL',
      'SUSPEND_MERCHANT',
      'LOWER_LIMITS',
    ];
    expect(todayRow).toEqual([
      ...decisions.map((decision) => String(today.decisions[decision])),
      String(decisions.reduce((sum, decision) => sum + today.decisions[decision], 0)),
      String(today.escalations),
    ]);
    const bars = await page.locator('svg.chart rect').count();
    expect(bars).toBeGreaterThanOrEqual(3);
    await checkPage(tab, 'supervisor view');
    await screenshot(page, 'console-supervisor.png');
  }, 120_000);

  it('lets an operator import terminal stock from CSV with a per-row report, bind one, and see the merchant', async () => {
    const { api, reviewer } = testStack;
    const stamp = String(Date.now()).slice(-6);
    const sns = [`WEB${stamp}01`, `WEB${stamp}02`, `WEB${stamp}03`];
    const merchantApp = await applicationInReview(api, reviewer, {
      businessName: '赵六面包店',
      phone: '13800138004',
    });
    await api.call('POST', `/v1/reviews/${merchantApp.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
    });
    const { merchantNo } = await applicationWhen(api, merchantApp.applicationId, merchantApp.token, [
      'APPROVED',
    ]);

    const { page } = tab;
    await page.goto(`${base}/console/?lang=en`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('op-web', 'Operator');
    await page.getByRole('link', { name: 'Terminals' }).click();
    const csv = [
      'serialNumber,model',
      `${sns[0]},A8`,
      `"${sns[1]}",A8`,
      'bad sn,A8',
      `${sns[0]},A8`,
      `${sns[2]},A920`,
      '',
    ].join('\r\n');
    await page.getByLabel('Terminal stock CSV').setInputFiles({
      name: 'stock.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    const report = page.getByRole('table', { name: 'Import report' });
    await report.waitFor();
    const results = await report
      .getByRole('row')
      .evaluateAll((rows) =>
        rows
          .slice(1)
          .map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '')),
      );
    expect(results.map((cells) => [cells[0], cells[1], cells[3]?.split(' ')[0]])).toEqual([
      ['2', sns[0], 'Registered'],
      ['3', sns[1], 'Registered'],
      ['4', 'bad sn', 'Invalid'],
      ['5', sns[0], 'Duplicate'],
      ['6', sns[2], 'Registered'],
    ]);
    await page.getByText('Registered 3 of 5.').waitFor();
    await checkPage(tab, 'terminals import');

    await page.getByRole('textbox', { name: 'Serial number' }).fill(sns[1] ?? '');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('textbox', { name: 'Bind to merchant number' }).fill(merchantNo);
    await page.getByRole('button', { name: 'Bind', exact: true }).click();
    await page.getByText(/^Bound as terminal \d{8}/).waitFor();
    const terminal = await api.call('GET', `/v1/terminals/${sns[1]}`, { token: testStack.operator });
    expect(terminal.json).toMatchObject({ status: 'BOUND', merchantNo });
    await page.getByRole('table', { name: 'Terminal history' }).getByRole('row').nth(2).waitFor();
    await checkPage(tab, 'terminal details');

    await page.getByRole('link', { name: merchantNo }).click();
    await page
      .getByRole('table', { name: 'Terminals' })
      .getByRole('row')
      .filter({ hasText: sns[1] ?? '' })
      .waitFor();
    await page.getByRole('table', { name: 'Change history' }).getByRole('row').nth(1).waitFor();
    await checkPage(tab, 'merchant');
  }, 180_000);
});

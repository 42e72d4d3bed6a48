import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../docs/examples/webhook-receiver.mjs';
import { ensureWebBuilt } from '../../local/web-build';
import { eventually } from '../support/api-client';
import { renderedAgreement, signAgreement } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';
import { TestReceiver } from '../support/webhook-receiver';
import { applicationInReview, applicationWhen } from './support/applications';
import { checkPage, launchChromium, openPage, screenshot, type WatchedPage } from './support/browser';

/*
 * The console's fee plans, agreements and webhooks in a real Chromium against the real local stack
 * (spec sections 7, 9 and 10): a reviewer approves with a chosen fee plan (a plan no longer allowed
 * is refused at the picker) and the merchant page shows the agreement; an operator changes the plan
 * (the signed version stays in force while the new one waits); an operator registers a webhook to
 * a receiver on 127.0.0.1, copies the secret shown once, sees the delivery, redelivers, rotates the
 * secret and deletes the endpoint. Every page passes axe and the checks of `checkPage`.
 */

let testStack: TestStack;
let browser: Browser;
let tab: WatchedPage;
let base: string;
const receiver = new TestReceiver();
/** The merchant the first test approves; the second changes its fee plan. */
let approved: { merchantNo: string; token: string } | undefined;

beforeAll(async () => {
  await ensureWebBuilt();
  [testStack, browser] = await Promise.all([
    startTestStack('e2e-console-operations', {
      REVIEW_ESCALATION_SECONDS: '600',
      REVIEW_FINAL_SECONDS: '1200',
      RESUBMISSION_SECONDS: '1200',
      SMS_PER_PHONE_PER_HOUR: '10000',
      EMAIL_PER_ADDRESS_PER_HOUR: '10000',
      WEBHOOK_RETRY_BASE_SECONDS: '1',
      WEBHOOK_TIMEOUT_SECONDS: '3',
    }),
    launchChromium(),
  ]);
  base = testStack.stack.urls.api;
  tab = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await tab.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
}, 240_000);

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await receiver.stop();
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

async function publishPlan(code: string, mccRiskLevels: string[], debitBps: number) {
  const published = await testStack.api.call('POST', '/v1/fee-plans', {
    token: testStack.operator,
    body: {
      code,
      name: `Web ${code}`,
      rates: { DEBIT: { bps: debitBps, capFen: 1850 }, CREDIT: { bps: 55 }, QR: { bps: 30 } },
      t0SurchargeBps: 5,
      mccRiskLevels,
    },
  });
  expect(published.status).toBe(201);
}

describe('the staff console: fee plans and agreements', () => {
  it('lets a reviewer approve with a chosen fee plan (a refused plan is said at the picker) and shows the agreement', async () => {
    const { api, reviewer } = testStack;
    await Promise.all([
      publishPlan('WEB-RETAIL', ['LOW', 'HIGH'], 45),
      publishPlan('WEB-NARROW', ['LOW'], 40),
    ]);
    const app = await applicationInReview(api, reviewer, {
      businessName: '钱九文具店',
      phone: '13800138011',
    });
    await signIn('rev-plans', 'Reviewer');
    const { page } = tab;
    await page.goto(`${base}/console/?lang=en#/cases/${app.taskId}`);

    // The MCC (5411, LOW) gets DEFAULT-LOW unless the reviewer picks another plan.
    const picker = page.getByRole('combobox', { name: 'Fee plan' });
    await picker.waitFor();
    const selected = () => picker.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text);
    await expect.poll(selected).toMatch(/^DEFAULT-LOW v1 · .+ \(default\)$/);
    await page
      .getByText("This MCC's risk level is LOW; its default plan is DEFAULT-LOW.", { exact: false })
      .waitFor();
    await page.getByText('Debit card 0.50%, capped at CNY 20', { exact: true }).waitFor();
    const options = await picker.locator('option').allTextContents();
    expect(options.some((text) => text.startsWith('WEB-NARROW v1'))).toBe(true);

    // Another version of WEB-NARROW narrows it to HIGH while the page shows v1: refused at the picker.
    await picker.selectOption({ value: 'WEB-NARROW' });
    await page.getByText('Debit card 0.40%, capped at CNY 18.50', { exact: true }).waitFor();
    await publishPlan('WEB-NARROW', ['HIGH'], 40);
    await page.getByRole('checkbox', { name: 'Phone call-back done' }).check();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('#fee-plan-error').waitFor();
    await expect.poll(() => picker.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => picker.getAttribute('aria-describedby')).toContain('fee-plan-error');
    await checkPage(tab, 'case page, fee plan refused');

    await picker.selectOption({ value: 'WEB-RETAIL' });
    await expect.poll(() => page.locator('#fee-plan-error').count()).toBe(0);
    await page.getByText('Debit card 0.45%, capped at CNY 18.50', { exact: true }).waitFor();
    await page.getByText('Credit card 0.55%', { exact: true }).waitFor();
    await checkPage(tab, 'case page, fee plan picked');
    await screenshot(page, 'console-case-fee-plan.png');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Decision recorded').waitFor();
    await page.getByText('Fee plan: WEB-RETAIL v1').waitFor();

    const done = await applicationWhen(api, app.applicationId, app.token, ['APPROVED']);
    approved = { merchantNo: done.merchantNo, token: app.token };
    // The PDF is rendered by the agreement's process, seconds after the approval.
    await renderedAgreement(api, done.merchantNo, app.token);

    await page.goto(`${base}/console/?lang=en#/merchants/${done.merchantNo}`);
    const agreement = page.getByRole('region', { name: 'Agreement' });
    await agreement.getByText('WEB-RETAIL v1').waitFor();
    await agreement.getByText('Debit card 0.45%, capped at CNY 18.50', { exact: true }).waitFor();
    await agreement.getByText('Awaiting signature').waitFor();
    await agreement.getByText('No version is signed yet.').waitFor();
    const pdf = agreement.getByRole('link', { name: 'Agreement PDF (version 1)' });
    const href = await pdf.getAttribute('href');
    const file = await fetch(href ?? '');
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer()).subarray(0, 5)).toEqual(
      new TextEncoder().encode('%PDF-'),
    );
    // A reviewer reads; changing the plan is an operator's.
    expect(await page.getByRole('button', { name: 'Change fee plan' }).count()).toBe(0);
    await checkPage(tab, 'merchant with its agreement');
  }, 240_000);

  it('lets an operator change the fee plan with a reason: the signed version stays in force while the new one waits', async () => {
    const { api } = testStack;
    if (!approved) throw new Error('the previous test approves the merchant');
    const { merchantNo, token } = approved;
    await signAgreement(api, merchantNo, token);
    await signIn('op-plans', 'Operator');
    const { page } = tab;
    await page.goto(`${base}/console/?lang=en#/merchants/${merchantNo}`);
    const agreement = page.getByRole('region', { name: 'Agreement' });
    await agreement.locator('.badge').getByText('Signed', { exact: true }).waitFor();

    const picker = page.getByRole('combobox', { name: 'Fee plan' });
    await expect.poll(() => picker.inputValue()).toBe('WEB-RETAIL');
    await picker.selectOption({ value: 'DEFAULT-LOW' });
    // The reason is required: said at its field, nothing sent.
    await page.getByRole('button', { name: 'Change fee plan' }).click();
    await page
      .locator('#change-fee-plan-reason-error')
      .getByText('Give the reason for the change.')
      .waitFor();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Reason for the change' }).getAttribute('aria-invalid'))
      .toBe('true');
    await page.getByRole('textbox', { name: 'Reason for the change' }).fill('Annual rate review');
    await page.getByRole('button', { name: 'Change fee plan' }).click();
    await page.getByText(/^Agreement version 2 made \(DEFAULT-LOW v1\)/).waitFor();

    await agreement.getByText('Awaiting signature').waitFor();
    await agreement
      .getByText(/^Version 1 \(signed .+\) stays in force until version 2 is signed\.$/)
      .waitFor();
    await agreement.getByText('Annual rate review').waitFor();
    await agreement.getByText('op-plans', { exact: false }).first().waitFor();
    const got = await api.call('GET', `/v1/merchants/${merchantNo}/agreement`, { token });
    expect(got.json).toMatchObject({
      version: 2,
      status: 'AWAITING_SIGNATURE',
      feePlan: { code: 'DEFAULT-LOW' },
    });
    expect(got.json.inForce).toMatchObject({ version: 1 });
    // The new version's PDF appears once rendered, without a reload.
    await agreement.getByRole('link', { name: 'Agreement PDF (version 2)' }).waitFor();
    await checkPage(tab, 'merchant after a fee-plan change');
    await screenshot(page, 'console-merchant-agreement.png');
  }, 180_000);
});

describe('the staff console: webhooks', () => {
  it('lets an operator register an endpoint (secret shown once, copied), see a delivery, redeliver, rotate and delete', async () => {
    const { api, reviewer } = testStack;
    const url = await receiver.start();
    await signIn('op-hooks', 'Operator');
    const { page } = tab;
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No endpoint is registered.').waitFor();

    // Without an event type the API refuses, at the field.
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(url);
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.locator('#webhook-events-error').waitFor();
    await page.getByRole('checkbox', { name: 'application.submitted' }).check();
    await page.getByRole('checkbox', { name: 'application.approved' }).check();
    await checkPage(tab, 'webhooks, registering');
    await page.getByRole('button', { name: 'Register', exact: true }).click();

    const secretBox = page.getByRole('textbox', { name: 'Signing secret' });
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByText('it cannot be shown again', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const endpoints = page.getByRole('table', { name: 'Endpoints' });
    const row = endpoints.getByRole('row').filter({ hasText: url });
    await row.waitFor();
    await checkPage(tab, 'webhooks, secret shown once');
    await screenshot(page, 'console-webhooks.png');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await expect.poll(() => secretBox.count()).toBe(0);

    // An event of a subscribed type: the submitted application is delivered, signed with the secret.
    const app = await applicationInReview(api, reviewer, { businessName: '郑十书店', phone: '13800138012' });
    const delivered = await eventually(async () =>
      receiver.received.find(
        (delivery) => JSON.parse(delivery.body).data?.applicationId === app.applicationId,
      ),
    );
    expect(
      verifyWebhook({ secret, headers: delivered.headers as Record<string, string>, body: delivered.body }),
    ).toBe(true);
    const eventId = String(delivered.headers['webhook-id']);

    await row.getByRole('link', { name: `Deliveries ${url}` }).click();
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    const eventRow = deliveries.getByRole('row').filter({ hasText: eventId });
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await eventRow.count()) > 0 ? eventRow.locator('td').allTextContents() : [];
      })
      .toEqual([
        `application.submitted${eventId}`,
        'Delivered',
        '1',
        '200',
        expect.any(String),
        `Redeliver ${eventId}`,
      ]);
    await checkPage(tab, 'webhook deliveries');

    await eventRow.getByRole('button', { name: `Redeliver ${eventId}` }).click();
    await page.getByText(`Event ${eventId} is queued for delivery again.`).waitFor();
    await eventually(async () => (receiver.ofEvent(eventId).length >= 2 ? true : undefined));
    // A new round of attempts: the log keeps the first one.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return eventRow.locator('summary').textContent();
      })
      .toBe(`Attempt log (2) ${eventId}`);
    await eventRow.locator('summary').click();
    await expect.poll(() => eventRow.locator('details li').count()).toBe(2);
    await screenshot(page, 'console-webhook-deliveries.png');

    // Rotate: a new secret, shown once; the old one keeps signing beside it for a while.
    await row.getByRole('button', { name: `Rotate secret ${url}` }).click();
    await page.getByText(/^Secret rotated: the old secret keeps signing beside it until /).waitFor();
    const rotated = await secretBox.inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await checkPage(tab, 'webhooks, rotated secret');

    // Delete, after a confirmation (which takes the focus); cancelling first keeps it.
    await row.getByRole('button', { name: `Delete ${url}` }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Delete endpoint');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: `Delete ${url}` }).click();
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByText(`Deleted ${url}.`).waitFor();
    await expect.poll(() => row.count()).toBe(0);
    const listed = await api.call('GET', '/v1/webhook-endpoints', { token: testStack.operator });
    expect(listed.json.items).toEqual([]);
    await checkPage(tab, 'webhooks after a delete');

    // In Chinese (the default language) too.
    await page.goto(`${base}/console/#/webhooks`);
    await page.getByRole('heading', { name: 'Webhook', level: 1 }).waitFor();
    await page.getByRole('button', { name: '登记', exact: true }).waitFor();
    await checkPage(tab, 'webhooks in Chinese');
  }, 240_000);

  it('is not offered to a reviewer', async () => {
    await signIn('rev-hooks', 'Reviewer');
    const { page } = tab;
    await page.getByRole('link', { name: 'Merchants' }).waitFor();
    expect(await page.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    await page.goto(`${base}/console/?lang=en#/webhooks`);
    await page.getByText('Not found.').waitFor();
  }, 60_000);
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../local/web-build';
import { eventually } from '../support/api-client';
import { validPersonalAccount, validResidentId } from '../support/fixtures';
import { latestSms, renderedAgreement, signatureCode, verificationCode } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';
import { applicationWhen, sendBack } from './support/applications';
import { checkPage, launchChromium, openPage, screenshot, type WatchedPage } from './support/browser';
import { pngPhoto } from './support/images';

/*
 * The merchant pages (spec section 11) on a 375 × 667 phone screen in a real Chromium against the
 * real local stack: the whole application from the empty form to "submitted" with the contact
 * mobile and email verified by their codes and photos shrunk in the browser, a field sent back with
 * its reason, corrected and resubmitted, then activation and the test transaction, and a merchant
 * who comes back signing in with the application id and an SMS code. Every page: axe, labels, no
 * horizontal scrolling, no CSP violation.
 */

const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const MAX_PHOTO_BYTES = 1.5 * 1024 * 1024;

let testStack: TestStack;
let browser: Browser;
let tab: WatchedPage;
let base: string;
let serialNumber: string;

beforeAll(async () => {
  await ensureWebBuilt();
  [testStack, browser] = await Promise.all([
    startTestStack('e2e-merchant', {
      REVIEW_ESCALATION_SECONDS: '600',
      REVIEW_FINAL_SECONDS: '1200',
      RESUBMISSION_SECONDS: '1200',
      SMS_PER_PHONE_PER_HOUR: '10000',
      EMAIL_PER_ADDRESS_PER_HOUR: '10000',
    }),
    launchChromium(),
  ]);
  base = testStack.stack.urls.api;
  serialNumber = `WEBM${String(Date.now()).slice(-8)}`;
  const stock = await testStack.api.call('POST', '/v1/terminals', {
    token: testStack.operator,
    body: { terminals: [{ serialNumber, model: 'A8' }] },
  });
  expect(stock.status).toBe(201);
  tab = await openPage(browser, PHONE);
}, 240_000);

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await testStack?.stop();
});

const textbox = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });
/** The block of one field: its label, input, hint, reason and error. */
const fieldBlock = (page: Page, name: string) =>
  page.locator('.field', { has: page.getByRole('textbox', { name, exact: true }) });

async function pick(page: Page, combobox: string, query: string, option: RegExp) {
  await page.getByRole('combobox', { name: combobox }).fill(query);
  await page.getByRole('option', { name: option }).click();
}

async function upload(page: Page, label: string, photo: Buffer, name: string) {
  await page.getByLabel(label, { exact: true }).setInputFiles({ name, mimeType: 'image/png', buffer: photo });
  await page
    .locator('.document-slot', { hasText: label })
    .locator('.slot-badge', { hasText: /^Uploaded$/ })
    .waitFor({ timeout: 30_000 });
}

async function pendingTask(applicationId: string): Promise<string> {
  const task = await eventually(async () => {
    const page = await testStack.api.call('GET', '/v1/reviews?limit=100', { token: testStack.reviewer });
    return (page.json.items as { taskId: string; subjectId: string }[]).find(
      (item) => item.subjectId === applicationId,
    );
  });
  return task.taskId;
}

describe('the merchant pages on a phone', () => {
  it('speak Chinese by default and check fields as the merchant types, with the API’s messages', async () => {
    const zh = await openPage(browser, PHONE);
    try {
      await zh.page.goto(`${base}/m/`);
      await expect.poll(() => zh.page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await textbox(zh.page, '法人手机号').fill('123');
      await textbox(zh.page, '联系人姓名').focus();
      await fieldBlock(zh.page, '法人手机号').getByText('格式不正确').waitFor();
      await checkPage(zh, 'form (zh-CN)');
    } finally {
      await zh.close();
    }
  }, 120_000);

  it('takes a merchant from the empty form to a submitted application, photos shrunk before upload', async () => {
    const { page } = tab;
    await page.goto(`${base}/m/?lang=en`);
    await page.getByRole('heading', { name: 'Your business details' }).waitFor();
    await checkPage(tab, 'empty form');

    const idNumber = validResidentId(4242);
    await textbox(page, 'Business name').fill('张三便利店');
    await pick(page, 'Business category (MCC)', 'grocery', /^5411 /);
    expect(await page.getByRole('combobox', { name: 'Business category (MCC)' }).inputValue()).toBe('5411');
    await pick(page, 'Division code', '11', /^110000 /);
    await page.getByRole('combobox', { name: 'Division code' }).fill('110105');
    await textbox(page, 'Street address').fill('朝阳区建国路88号');
    await textbox(page, "Legal person's name").fill('张三');
    // A wrong check character is caught as the merchant leaves the field, with the API's message.
    const wrongCheck = idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1');
    await textbox(page, "Legal person's ID number").fill(wrongCheck);
    await textbox(page, "Legal person's mobile").fill('13900139000');
    await page.getByRole('button', { name: 'Same as the legal person' }).click();
    expect(await textbox(page, 'Contact mobile').inputValue()).toBe('13900139000');
    await textbox(page, 'Contact email').fill('zhang.san@example.com');
    await textbox(page, 'Account name').fill('张三');
    await textbox(page, 'Account number').fill(validPersonalAccount(4242));
    await textbox(page, 'Bank').fill('中国工商银行');
    await textbox(page, 'Terminal serial number (optional)').fill(serialNumber);
    await textbox(page, 'Terminal model').fill('A8');
    await fieldBlock(page, "Legal person's ID number")
      .getByText('is not the GB 11643 check character', { exact: false })
      .waitFor();
    await checkPage(tab, 'filled form with an error');
    await screenshot(page, 'merchant-form.png');
    await textbox(page, "Legal person's ID number").fill(idNumber);
    await textbox(page, 'Bank').focus();
    await expect
      .poll(() => fieldBlock(page, "Legal person's ID number").locator('.field-error').count())
      .toBe(0);

    await page.getByRole('button', { name: 'Save and upload documents' }).click();
    // The contact mobile and email confirm a code each before anything else is sent to them.
    await page.getByRole('heading', { name: 'Verify your contact details' }).waitFor();
    await checkPage(tab, 'verify');
    const created = JSON.parse(
      (await page.evaluate(() => window.sessionStorage.getItem('pos-m.session'))) ?? '{}',
    ) as { applicationId: string };
    for (const [channel, label, codeLabel] of [
      ['SMS', 'Contact mobile', 'Code sent to the mobile'],
      ['EMAIL', 'Contact email', 'Code sent to the email'],
    ] as const) {
      await page.getByRole('button', { name: `Send code: ${label}` }).click();
      await page
        .getByText(/^Code sent to (?:139\*{4}9000|z\*{3}@example\.com)$/)
        .last()
        .waitFor();
      const code = await verificationCode(testStack.api, created.applicationId, channel);
      await textbox(page, codeLabel).fill(code);
      await page.getByRole('button', { name: `Verify: ${label}` }).click();
      await page
        .locator('.card', { has: page.getByRole('heading', { name: label }) })
        .getByText('Verified', { exact: true })
        .waitFor();
    }
    await checkPage(tab, 'verify (done)');
    await page.getByRole('link', { name: 'Continue with the documents' }).click();
    await page.getByRole('heading', { name: 'Upload photos of your documents' }).waitFor();
    // The token lives in this tab's session storage only: nothing in local storage, no cookie.
    const storage = await page.evaluate(() => ({
      local: window.localStorage.length,
      session: window.sessionStorage.getItem('pos-m.session') ?? '',
      cookies: document.cookie,
    }));
    expect(storage.local).toBe(0);
    expect(storage.cookies).toBe('');
    const session = JSON.parse(storage.session) as { applicationId: string; token: string };
    expect(session.token.length).toBeGreaterThan(20);
    await checkPage(tab, 'documents');

    // A 13 MB "phone photo" (2400 × 1800 noisy PNG) and smaller ones.
    const big = pngPhoto(2400, 1800, { noise: 0.6, seed: 7 });
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    await upload(page, 'ID card (photo side)', big, 'front.png');
    await upload(page, 'ID card (emblem side)', pngPhoto(1200, 800, { noise: 0.2, seed: 8 }), 'back.png');
    await upload(page, 'Bank card', pngPhoto(1000, 640, { noise: 0.2, seed: 9 }), 'card.png');
    await upload(page, 'Store photo', pngPhoto(1600, 1200, { noise: 0.3, seed: 10 }), 'store.png');
    await page.getByRole('button', { name: 'Submit application' }).click();
    await page.getByRole('heading', { name: 'Application progress' }).waitFor();
    await page.getByText(/Your application is submitted|A reviewer is looking at your application/).waitFor();
    await page.getByText('You submitted the application').waitFor();
    await checkPage(tab, 'status (submitted)');
    await applicationWhen(testStack.api, session.applicationId, session.token, [
      'SUBMITTED',
      'CHECKING',
      'PENDING_REVIEW',
    ]);

    // What reached the bucket is the re-encoded photo: JPEG, at most 1.5 MB.
    const taskId = await pendingTask(session.applicationId);
    const documents = await testStack.api.call('GET', `/v1/reviews/${taskId}/documents`, {
      token: testStack.reviewer,
    });
    expect(documents.json.documents).toHaveLength(4);
    for (const doc of documents.json.documents as { kind: string; url: string; contentType: string }[]) {
      expect(doc.contentType).toBe('image/jpeg');
      const bytes = Buffer.from(await (await fetch(doc.url)).arrayBuffer());
      expect(bytes.length, doc.kind).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
      expect(bytes.subarray(0, 3).toString('hex'), doc.kind).toBe('ffd8ff');
    }
  }, 180_000);

  it('shows a field sent back with its reason, and takes the correction and the resubmission in place', async () => {
    const { page } = tab;
    const { api, reviewer } = testStack;
    const session = JSON.parse(
      (await page.evaluate(() => window.sessionStorage.getItem('pos-m.session'))) ?? '{}',
    );
    const taskId = await pendingTask(session.applicationId);
    await sendBack(api, reviewer, { ...session, taskId }, [
      { field: 'business.name', reason: 'Use the name printed on your business licence' },
      { field: 'documents.STORE_PHOTO', reason: 'The shop front is not visible' },
    ]);

    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('Changes needed: correct the fields marked below and submit again.').waitFor();
    await fieldBlock(page, 'Business name')
      .getByText('Reason: Use the name printed on your business licence')
      .waitFor();
    await page
      .locator('.document-slot', { hasText: 'Store photo' })
      .getByText('Reason: The shop front is not visible')
      .waitFor();
    // The reason is part of the field's description for screen readers too.
    const described = await textbox(page, 'Business name').evaluate((input) =>
      (input.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    expect(described).toContain('Use the name printed on your business licence');
    await checkPage(tab, 'status with reasons');
    await screenshot(page, 'merchant-status-reason.png');

    await textbox(page, 'Business name').fill('张三便利店（建国路店）');
    await upload(page, 'Store photo', pngPhoto(1400, 1000, { noise: 0.3, seed: 11 }), 'store-2.png');
    await page.getByRole('button', { name: 'Save and resubmit' }).click();
    await page.getByText('Resubmitted', { exact: true }).waitFor();
    const resubmitted = await applicationWhen(api, session.applicationId, session.token, [
      'SUBMITTED',
      'CHECKING',
      'PENDING_REVIEW',
    ]);
    expect(resubmitted.business.name).toBe('张三便利店（建国路店）');
    await page.getByText('You resubmitted the application').waitFor();
    await checkPage(tab, 'status (resubmitted)');
  }, 180_000);

  it('after approval, signs the agreement, activates the terminal with the SMS code and runs the test transaction', async () => {
    const { page } = tab;
    const { api, reviewer } = testStack;
    const session = JSON.parse(
      (await page.evaluate(() => window.sessionStorage.getItem('pos-m.session'))) ?? '{}',
    );
    const taskId = await pendingTask(session.applicationId);
    const approve = await api.call('POST', `/v1/reviews/${taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
    });
    expect(approve.status).toBe(200);
    const approved = await applicationWhen(api, session.applicationId, session.token, ['APPROVED']);
    expect(approved.terminalId).toMatch(/^\d{8}$/);

    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('Your application is approved!').waitFor();
    await page.getByText(approved.merchantNo).waitFor();
    await checkPage(tab, 'status (approved)');

    // The agreement: its rates, the PDF to read, a code to the legal person's phone, the signature.
    await page.getByRole('link', { name: 'Sign the agreement' }).click();
    await page.getByRole('heading', { name: 'Sign your merchant agreement' }).waitFor();
    await renderedAgreement(api, approved.merchantNo, session.token);
    const pdfLink = page.getByRole('link', { name: 'Read the agreement (PDF)' });
    if (!(await pdfLink.isVisible())) await page.getByRole('button', { name: 'Refresh' }).click();
    await pdfLink.waitFor();
    const pdf = await fetch((await pdfLink.getAttribute('href')) ?? '');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await page.getByText('Debit card 0.50%, capped at CNY 20').waitFor();
    await checkPage(tab, 'agreement');
    const smsBefore = ((await api.call('GET', '/_local/sms')).json.messages as unknown[]).length;
    await page.getByRole('button', { name: 'Send the signature code' }).click();
    await page.getByText(/^Code sent to 1\d\d\*{4}\d{4}\.$/).waitFor();
    await textbox(page, 'Signature code').fill(await signatureCode(api, approved.merchantNo, smsBefore));
    await page.getByRole('checkbox', { name: 'I have read the agreement and accept its rates' }).check();
    await screenshot(page, 'merchant-signing.png');
    await page.getByRole('button', { name: 'Sign the agreement' }).click();
    await page.getByText(/^The agreement is signed/).waitFor();
    await checkPage(tab, 'agreement signed');

    await page.getByRole('link', { name: 'Activate your terminal' }).click();
    await page.getByRole('heading', { name: 'Activate your terminal' }).waitFor();
    await checkPage(tab, 'activation');

    const sms = await latestSms(api, new RegExp(`(?:终端号|TID )${approved.terminalId}\\D+(\\d{6})`));
    const activationCode = sms[1] ?? '';
    // A wrong code is said with the attempts left; the next try clears the alert.
    const wrongCode = String((Number(activationCode) + 1) % 1_000_000).padStart(6, '0');
    await textbox(page, 'Activation code').fill(wrongCode);
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Wrong activation code; \d+ attempt\(s\) left\.$/ })
      .waitFor();
    await textbox(page, 'Activation code').fill(activationCode);
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByText('The terminal is activated.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: 'Run the test transaction' }).click();
    await page.getByText(/^Test transaction approved \(sale .+, void .+\)/).waitFor();
    await checkPage(tab, 'activation done');
    const terminal = await api.call('GET', `/v1/terminals/${serialNumber}`, { token: testStack.operator });
    expect(terminal.json.status).toBe('VERIFIED');
  }, 180_000);

  it('signs a merchant who comes back in with the application id and an SMS code; the token lives in session storage only', async () => {
    const previous = JSON.parse(
      (await tab.page.evaluate(() => window.sessionStorage.getItem('pos-m.session'))) ?? '{}',
    ) as { applicationId: string; token: string };
    // Another tab (a new browser context): no session in it.
    const back = await openPage(browser, PHONE);
    try {
      const { page } = back;
      await page.goto(`${base}/m/?lang=en#/status`);
      await page.getByRole('link', { name: 'Sign in with your application ID' }).click();
      await page.getByRole('heading', { name: 'Sign in with your application ID' }).waitFor();
      await checkPage(back, 'sign in');
      await textbox(page, 'Application ID').fill(previous.applicationId.toLowerCase());
      await page.getByRole('button', { name: 'Text me a code' }).click();
      await page.getByText('If the application ID is right', { exact: false }).waitFor();
      const sms = await latestSms(
        testStack.api,
        new RegExp(`^【[^】]+】(?:登录验证码|Sign-in code )(\\d{6})\\D.*${previous.applicationId.slice(-6)}`),
      );
      await textbox(page, 'SMS code').fill(sms[1] ?? '');
      await checkPage(back, 'sign in (code sent)');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Application progress' }).waitFor();
      await page.getByText('Your application is approved!').waitFor();
      await page.getByText('You signed in with an SMS code').waitFor();
      await checkPage(back, 'status after sign-in');

      const storage = await page.evaluate(() => ({
        local: window.localStorage.length,
        session: window.sessionStorage.getItem('pos-m.session') ?? '',
        cookies: document.cookie,
      }));
      expect(storage.local).toBe(0);
      expect(storage.cookies).toBe('');
      const session = JSON.parse(storage.session) as { applicationId: string; token: string };
      expect(session.applicationId).toBe(previous.applicationId);
      expect(session.token).not.toBe(previous.token);
      // The new token works; the one of the first tab stopped working.
      const api = testStack.api;
      expect(
        (await api.call('GET', `/v1/applications/${session.applicationId}`, { token: session.token })).status,
      ).toBe(200);
      expect(
        (await api.call('GET', `/v1/applications/${session.applicationId}`, { token: previous.token }))
          .status,
      ).toBe(401);
    } finally {
      await back.close();
    }
  }, 120_000);
});

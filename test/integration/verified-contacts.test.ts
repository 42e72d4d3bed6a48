import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromEnv } from '../../shared/adapters/dynamodb-table';
import { keyedHasherFromEnv } from '../../shared/adapters/keyed-hasher';
import { confirmOneTimeCode, issueOneTimeCode } from '../../shared/one-time-codes/codes';
import { DynamoOneTimeCodeStore } from '../../shared/one-time-codes/dynamodb-store';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { latestSms, verificationCode, verifyContact, verifyContacts } from '../support/onboarding';
import { scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Spec 6 and 11 against the real local stack: contacts verified by one-time codes before submit
 * (and before anything else is sent to them), the code rules (10 minutes, 5 tries reserved before
 * comparing, 5 codes an hour), the per-address email quota, and signing in again with an SMS code
 * without telling whether an application exists. The default limits of a deployment apply here
 * (5 SMS per phone, 10 emails per address, per hour), so every test uses addresses of its own.
 */

let testStack: TestStack;
let api: ApiClient;
let seq = 0;
const figures = { concurrentGuesses: 0, compared: 0, locked: 0, enumerationProbes: 0, codesIssued: 0 };

/** A mobile number and an email of their own per application: the hourly limits count per address. */
const newPhone = () =>
  `137${String(Date.now() % 1e6).padStart(6, '0')}${String(++seq % 100).padStart(2, '0')}`;
const newEmail = () => `contacts-${Date.now()}-${++seq}@example.com`;

beforeAll(async () => {
  testStack = await startTestStack('verified-contacts', {
    REVIEW_ESCALATION_SECONDS: '600',
    REVIEW_FINAL_SECONDS: '1200',
  });
  api = testStack.api;
});

afterAll(async () => {
  console.info(`verified contacts figures: ${JSON.stringify(figures)}`);
  await testStack?.stop();
});

async function draft(overrides: { phone?: string; email?: string } = {}) {
  const phone = overrides.phone ?? newPhone();
  const email = overrides.email ?? newEmail();
  const body = individualApplication({ phone, email });
  const created = await api.call('POST', '/v1/applications', {
    body,
    headers: { 'idempotency-key': `contacts-${Date.now()}-${++seq}` },
  });
  expect(created.status).toBe(201);
  return {
    id: created.json.applicationId as string,
    token: created.json.accessToken as string,
    phone,
    email,
    body,
  };
}

async function uploadDocuments(id: string, token: string) {
  for (const kind of ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO']) {
    const doc = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
}

const requestCode = (id: string, token: string, channel: 'SMS' | 'EMAIL') =>
  api.call('POST', `/v1/applications/${id}/verifications`, { token, body: { channel } });
const confirmCode = (id: string, token: string, channel: 'SMS' | 'EMAIL', code: string) =>
  api.call('POST', `/v1/applications/${id}/verifications/confirm`, { token, body: { channel, code } });

async function smsTo(phone: string): Promise<{ body: string }[]> {
  const { json } = await api.call('GET', `/_local/sms?to=${encodeURIComponent(`+86${phone}`)}`);
  return json.messages;
}
async function emailsTo(email: string): Promise<{ subject: string; text: string }[]> {
  const { json } = await api.call('GET', `/_local/emails?to=${encodeURIComponent(email)}`);
  return json.messages;
}

/** A code that is not `code` (a wrong guess). */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('contacts are verified before anything is sent to them (spec 6)', () => {
  it('refuses submit while the phone or email is unverified, and nothing but the code was sent', async () => {
    const app = await draft();
    await uploadDocuments(app.id, app.token);
    const sent = await requestCode(app.id, app.token, 'SMS');
    expect(sent.status).toBe(202);
    expect(sent.json).toEqual({
      channel: 'SMS',
      sentTo: `${app.phone.slice(0, 3)}****${app.phone.slice(-4)}`,
      expiresAt: expect.any(String),
    });
    expect(Date.parse(sent.json.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(sent.json.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);

    const submit = await api.call('POST', `/v1/applications/${app.id}/submit`, { token: app.token });
    expect(submit.status).toBe(400);
    expect(submit.json.error.code).toBe('VALIDATION_FAILED');
    expect(submit.json.error.fields).toEqual([
      { field: 'contact.phone', code: 'UNVERIFIED', message: expect.any(String) },
      { field: 'contact.email', code: 'UNVERIFIED', message: expect.any(String) },
    ]);
    // Nothing reached either address but the phone's code: no "received", nothing by email.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const texts = await smsTo(app.phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]?.body).toMatch(/^【拉卡拉】验证码\d{6}，10分钟内有效，用于验证申请尾号/);
    expect(texts[0]?.body).not.toContain(app.body.business.name);
    expect(await emailsTo(app.email)).toEqual([]);

    // Verified (phone, then email): submit goes through, and only now do notices follow.
    await verifyContact(api, app.id, app.token, 'SMS');
    const half = await api.call('POST', `/v1/applications/${app.id}/submit`, { token: app.token });
    expect(half.json.error.fields).toEqual([
      { field: 'contact.email', code: 'UNVERIFIED', message: expect.any(String) },
    ]);
    await verifyContact(api, app.id, app.token, 'EMAIL');
    const view = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
    expect(view.json.contactVerified).toEqual({ phone: true, email: true });
    expect(
      view.json.timeline.filter((entry: { action: string }) => entry.action === 'CONTACT_VERIFIED'),
    ).toHaveLength(2);
    expect((await api.call('POST', `/v1/applications/${app.id}/submit`, { token: app.token })).status).toBe(
      202,
    );
    const mails = await eventually(async () => {
      const received = await emailsTo(app.email);
      return received.length === 2 ? received : undefined;
    });
    expect(mails.map((mail) => mail.subject)).toEqual([
      `商户进件联系邮箱验证码：${app.id}`,
      `商户进件申请已受理：${app.id}`,
    ]);
  });

  it('counts 5 wrong codes then locks: 20 concurrent wrong guesses compare at most 5, and then the right code is locked too', async () => {
    const app = await draft();
    expect((await requestCode(app.id, app.token, 'SMS')).status).toBe(202);
    const code = await verificationCode(api, app.id, 'SMS');
    const guesses = await Promise.all(
      Array.from({ length: 20 }, () => confirmCode(app.id, app.token, 'SMS', wrong(code))),
    );
    figures.concurrentGuesses += guesses.length;
    const compared = guesses.filter((answer) => answer.status === 400);
    const locked = guesses.filter((answer) => answer.status === 409);
    figures.compared += compared.length;
    figures.locked += locked.length;
    expect(compared.length).toBe(5);
    expect(locked.length).toBe(15);
    for (const answer of compared) expect(answer.json.error.code).toBe('VERIFICATION_CODE_INVALID');
    expect(compared.map((answer) => answer.json.error.attemptsLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const answer of locked) expect(answer.json.error.code).toBe('VERIFICATION_LOCKED');
    const right = await confirmCode(app.id, app.token, 'SMS', code);
    expect(right.status).toBe(409);
    expect(right.json.error.code).toBe('VERIFICATION_LOCKED');

    // A new code lifts the lock (with 5 tries again); the old code proves nothing any more.
    expect((await requestCode(app.id, app.token, 'SMS')).status).toBe(202);
    const fresh = await eventually(async () => {
      const next = await verificationCode(api, app.id, 'SMS');
      return next === code ? undefined : next;
    });
    const stale = await confirmCode(app.id, app.token, 'SMS', code);
    expect(stale.json.error).toMatchObject({ code: 'VERIFICATION_CODE_INVALID', attemptsLeft: 4 });
    expect((await confirmCode(app.id, app.token, 'SMS', fresh)).json).toEqual({
      channel: 'SMS',
      verified: true,
    });
    // A retried confirm of a verified channel answers the same, without a try.
    expect((await confirmCode(app.id, app.token, 'SMS', fresh)).status).toBe(200);
  });

  it('issues at most 5 codes per channel an hour (429 RATE_LIMITED with retryAfterSeconds), and stores only keyed hashes', async () => {
    const app = await draft();
    for (let i = 1; i <= 5; i++) {
      expect((await requestCode(app.id, app.token, 'EMAIL')).status, `code ${i}`).toBe(202);
      figures.codesIssued += 1;
    }
    const sixth = await requestCode(app.id, app.token, 'EMAIL');
    expect(sixth.status).toBe(429);
    expect(sixth.json.error.code).toBe('RATE_LIMITED');
    expect(sixth.json.error.retryAfterSeconds).toBeGreaterThan(3500);
    expect(sixth.json.error.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(await emailsTo(app.email)).toHaveLength(5);
    // The other channel has its own five.
    expect((await requestCode(app.id, app.token, 'SMS')).status).toBe(202);

    const code = await verificationCode(api, app.id, 'EMAIL');
    const items = await scanTable(testStack.stack.urls.dynamodb);
    const stored = items.filter((item) => item.pk.startsWith(`OTC#contact-verification#${app.id}#`));
    expect(stored.map((item) => item.pk).sort()).toEqual([
      `OTC#contact-verification#${app.id}#EMAIL`,
      `OTC#contact-verification#${app.id}#SMS`,
    ]);
    const serialized = JSON.stringify(stored);
    expect(serialized).not.toContain(code);
    expect(serialized).not.toContain(app.email);
    expect(serialized).not.toContain(app.phone);
  });

  it('lets a code live 10 minutes: later it answers VERIFICATION_EXPIRED', async () => {
    const codes = new DynamoOneTimeCodeStore(tableFromEnv());
    const hasher = keyedHasherFromEnv();
    const start = Date.now();
    const target = {
      purpose: 'contact-verification',
      subject: `EXPIRY${start}`,
      channel: 'SMS' as const,
      address: newPhone(),
    };
    const issued = await issueOneTimeCode({ codes, hasher, clock: { now: () => new Date(start) } }, target);
    const later = { codes, hasher, clock: { now: () => new Date(start + 10 * 60_000 + 1000) } };
    await expect(confirmOneTimeCode(later, target, issued.code)).rejects.toMatchObject({
      statusCode: 409,
      code: 'VERIFICATION_EXPIRED',
    });
    // Just before, the same code works (once).
    const justBefore = { codes, hasher, clock: { now: () => new Date(start + 9 * 60_000) } };
    await expect(confirmOneTimeCode(justBefore, target, issued.code)).resolves.toBeUndefined();
    await expect(confirmOneTimeCode(justBefore, target, issued.code)).rejects.toMatchObject({
      code: 'VERIFICATION_EXPIRED',
    });
  });

  it('forgets a verification when a PUT changes the address, and a code sent to the old address proves nothing', async () => {
    const app = await draft();
    await verifyContacts(api, app.id, app.token);
    // A code for the email, then the email changes: that code was for the old address.
    const newAddress = newEmail();
    const put = await api.call('PUT', `/v1/applications/${app.id}`, {
      token: app.token,
      body: { ...app.body, contact: { ...app.body.contact, email: newAddress } },
    });
    expect(put.status).toBe(200);
    expect(put.json.contactVerified).toEqual({ phone: true, email: false });
    // The same new address in another spelling changes nothing more.
    const again = await api.call('PUT', `/v1/applications/${app.id}`, {
      token: app.token,
      body: { ...app.body, contact: { ...app.body.contact, email: newAddress.toUpperCase() } },
    });
    expect(again.json.contactVerified).toEqual({ phone: true, email: false });

    expect((await requestCode(app.id, app.token, 'EMAIL')).status).toBe(202);
    const code = await verificationCode(api, app.id, 'EMAIL');
    await api.call('PUT', `/v1/applications/${app.id}`, {
      token: app.token,
      body: { ...app.body, contact: { ...app.body.contact, email: newEmail() } },
    });
    const old = await confirmCode(app.id, app.token, 'EMAIL', code);
    expect(old.status).toBe(400);
    expect(old.json.error.code).toBe('VERIFICATION_CODE_INVALID');
    const submit = await api.call('POST', `/v1/applications/${app.id}/submit`, { token: app.token });
    expect(submit.json.error.fields).toContainEqual(
      expect.objectContaining({ field: 'contact.email', code: 'UNVERIFIED' }),
    );
    expect(submit.json.error.fields).not.toContainEqual(expect.objectContaining({ field: 'contact.phone' }));
  });

  it('sends at most 10 emails to one address an hour, whichever applications ask: the 11th code answers 429', async () => {
    const email = newEmail();
    const answers: number[] = [];
    for (let i = 0; i < 11; i++) {
      const app = await draft({ email });
      answers.push((await requestCode(app.id, app.token, 'EMAIL')).status);
    }
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(answers[10]).toBe(429);
    expect(await emailsTo(email)).toHaveLength(10);
  });

  it('checks the body: an unknown channel or field is 400, and a malformed code counts no try', async () => {
    const app = await draft();
    const unknown = await api.call('POST', `/v1/applications/${app.id}/verifications`, {
      token: app.token,
      body: { channel: 'FAX' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields[0]).toMatchObject({ field: 'channel' });
    expect((await requestCode(app.id, app.token, 'SMS')).status).toBe(202);
    const malformed = await confirmCode(app.id, app.token, 'SMS', '12ab');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.fields[0]).toMatchObject({ field: 'code', code: 'INVALID_FORMAT' });
    const code = await verificationCode(api, app.id, 'SMS');
    expect((await confirmCode(app.id, app.token, 'SMS', wrong(code))).json.error.attemptsLeft).toBe(4);
  });
});

describe('signing in again with the application id and an SMS code (spec 11)', () => {
  const startSession = (id: string) => api.call('POST', `/v1/applications/${id}/sessions`);
  const confirmSession = (id: string, code: string) =>
    api.call('POST', `/v1/applications/${id}/sessions/confirm`, { body: { code } });
  const signInCode = async (id: string) => {
    const sms = await latestSms(
      api,
      new RegExp(`^【[^】]+】(?:登录验证码|Sign-in code )(\\d{6})\\D.*${id.slice(-6)}`),
    );
    return sms[1] ?? '';
  };

  it('sends a code to the verified phone and answers a new token for it; the old token stops working', async () => {
    const app = await draft();
    await verifyContacts(api, app.id, app.token);
    const started = await startSession(app.id);
    expect(started.status).toBe(202);
    expect(started.json).toEqual({ channel: 'SMS', expiresAt: expect.any(String) });
    const code = await signInCode(app.id);
    const wrongOnce = await confirmSession(app.id, wrong(code));
    expect(wrongOnce.json.error).toMatchObject({ code: 'VERIFICATION_CODE_INVALID', attemptsLeft: 4 });
    const signedIn = await confirmSession(app.id, code);
    expect(signedIn.status).toBe(200);
    expect(signedIn.json).toEqual({
      applicationId: app.id,
      accessToken: expect.any(String),
      issuedAt: expect.any(String),
    });
    const token = signedIn.json.accessToken as string;
    expect(token.startsWith(`${app.id}.`)).toBe(true);
    expect((await api.call('GET', `/v1/applications/${app.id}`, { token: app.token })).status).toBe(401);
    const view = await api.call('GET', `/v1/applications/${app.id}`, { token });
    expect(view.status).toBe(200);
    expect(view.json.timeline.at(-1)).toMatchObject({ action: 'SIGNED_IN', actor: `merchant:${app.id}` });
    // Used once.
    expect((await confirmSession(app.id, code)).json.error.code).toBe('VERIFICATION_EXPIRED');
  });

  it('answers alike whether or not the id names an application with a verified phone (no enumeration)', async () => {
    const verified = await draft();
    await verifyContacts(api, verified.id, verified.token);
    const unverified = await draft();
    const unknown = `7${verified.id.slice(1, 25)}${verified.id.endsWith('0') ? '1' : '0'}`;
    const ids = [verified.id, unverified.id, unknown];
    const shape = (answer: { status: number; json: unknown }) =>
      JSON.stringify({ status: answer.status, json: answer.json })
        .replace(/"\d{4}-[^"]+Z"/g, '"<time>"')
        .replace(/"requestId":"[^"]+"/g, '"requestId":"<id>"');

    for (let round = 1; round <= 5; round++) {
      const answers = await Promise.all(ids.map(startSession));
      figures.enumerationProbes += answers.length;
      expect(new Set(answers.map(shape)).size, `start ${round}`).toBe(1);
      expect(answers[0]?.status).toBe(202);
    }
    // The sixth start of the hour: 429 for all three, with the same waiting time.
    const sixth = await Promise.all(ids.map(startSession));
    expect(sixth.map((answer) => answer.status)).toEqual([429, 429, 429]);
    expect(new Set(sixth.map((answer) => answer.json.error.retryAfterSeconds)).size).toBeLessThanOrEqual(2);

    // Wrong codes: the same answers, try by try, then locked alike.
    for (let attempt = 1; attempt <= 6; attempt++) {
      const answers = await Promise.all(ids.map((id) => confirmSession(id, '000000')));
      figures.enumerationProbes += answers.length;
      // The verified one's code might be 000000 (one in a million): then this probe says nothing.
      expect(new Set(answers.map(shape)).size, `confirm ${attempt}`).toBe(1);
    }
    // Only the application with a verified phone got an SMS.
    expect(await smsTo(unverified.phone)).toEqual([]);
    // A malformed id is not an id: 404 for start and confirm alike.
    expect((await startSession('not-an-application')).status).toBe(404);
    expect((await confirmSession('not-an-application', '123456')).status).toBe(404);
  });
});

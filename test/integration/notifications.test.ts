import { PinpointSMSVoiceV2Client, PutOptedOutNumberCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCESS_KEY_ID, LOCAL_REGION, LOCAL_SECRET_ACCESS_KEY } from '../../local/constants';
import type { LocalStack } from '../../local/stack';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { approvedMerchant } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Email and SMS on the real local stack, with the product's default SMS limit (5 per phone per
 * hour): both locales, escaping, bounces and opt-outs, and the abuse limit on an operator route.
 *
 * NOTE: one stack configuration per file. Handler modules read their configuration once, at
 * load (as Lambda does at cold start), and stay loaded in this process.
 */

let stack: LocalStack;
let api: ApiClient;
let testStack: TestStack;
let reviewer: string;
let operator: string;
let sequence = 0;
/** A phone number of its own per test: the SMS limit counts per phone. */
const newPhone = () =>
  `139${String(Date.now() % 1e6).padStart(6, '0')}${String(++sequence).padStart(2, '0')}`;
const newEmail = (label: string) => `${label}-${Date.now()}-${++sequence}@example.com`;

beforeAll(async () => {
  testStack = await startTestStack('notifications', {
    REVIEW_ESCALATION_SECONDS: '120',
    REVIEW_FINAL_SECONDS: '240',
    RESUBMISSION_SECONDS: '240',
  });
  ({ stack, api, reviewer, operator } = testStack);
});

afterAll(() => testStack?.stop());

async function emailsTo(address: string) {
  const { json } = await api.call('GET', `/_local/emails?to=${encodeURIComponent(address)}`);
  return json.messages as { subject: string; text: string; html: string }[];
}

async function smsTo(phone: string) {
  const { json } = await api.call('GET', `/_local/sms?to=${encodeURIComponent(`+86${phone}`)}`);
  return json.messages as { body: string }[];
}

async function timelineOf(applicationId: string, token: string) {
  const { json } = await api.call('GET', `/v1/applications/${applicationId}`, { token });
  return json.timeline as { action: string; channel?: string; template?: string; recipient?: string }[];
}

describe('email and SMS confirmations', () => {
  it('tells an English-speaking merchant of receipt and approval, with every user-supplied string escaped', async () => {
    const email = newEmail('en');
    const phone = newPhone();
    const merchant = await approvedMerchant(api, reviewer, {
      email,
      phone,
      locale: 'en',
      businessName: 'Zhang & Sons <Store>',
    });
    // The verification code came first; then the notices of the application.
    const mails = await eventually(async () => {
      const received = (await emailsTo(email)).filter((mail) =>
        mail.subject.startsWith('Merchant application'),
      );
      return received.length === 2 ? received : undefined;
    });
    // Subjects are our words and the application id: never the name the applicant typed.
    expect(mails.map((mail) => mail.subject)).toEqual([
      `Merchant application received: ${merchant.applicationId}`,
      `Merchant application approved: ${merchant.applicationId}`,
    ]);
    for (const mail of mails) expect(mail.html).not.toContain('<Store>');
    expect(mails[1]?.text).toContain(merchant.merchantNo);
    const texts = await eventually(async () => {
      const received = (await smsTo(phone)).filter((sms) => !/^【拉卡拉】Code \d{6}/.test(sms.body));
      return received.length === 2 ? received : undefined;
    });
    expect(texts.map((sms) => sms.body)).toEqual([
      '【拉卡拉】Application received; we will send the outcome by SMS and email',
      `【拉卡拉】Approved. MID ${merchant.merchantNo}, details by email`,
    ]);
  });

  it('skips a bounced address and an opted-out phone, and shows both in the application timeline', async () => {
    const email = newEmail('bounced');
    const phone = newPhone();
    // Verified first (nothing else can be sent before); then the address bounces and the phone
    // opts out, before the application is submitted.
    const suppressBoth = async () => {
      // A hard bounce, as SES publishes it to the configuration set's topic.
      const bounce = await api.call('POST', '/_local/email-events', {
        body: {
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [{ emailAddress: email.toUpperCase() }],
          },
          mail: { messageId: 'earlier-message' },
        },
      });
      expect(bounce.json).toEqual({ outcomes: [{ kind: 'Bounce', suppressed: 1 }] });
      // The recipient replied TD: the number is on the provider's opt-out list.
      const sms = new PinpointSMSVoiceV2Client({
        endpoint: stack.urls.sms,
        region: LOCAL_REGION,
        credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
      });
      await sms.send(
        new PutOptedOutNumberCommand({ OptOutListName: 'Default', OptedOutNumber: `+86${phone}` }),
      );
      sms.destroy();
    };
    const merchant = await approvedMerchant(api, reviewer, { email, phone, beforeSubmit: suppressBoth });
    const notes = await eventually(async () => {
      const timeline = await timelineOf(merchant.applicationId, merchant.token);
      const suppressed = timeline.filter((entry) => entry.action === 'NOTIFICATION_SUPPRESSED');
      return suppressed.length === 4 ? suppressed : undefined;
    });
    expect(notes.map((n) => `${n.template}/${n.channel}`).sort()).toEqual([
      'APPLICATION_APPROVED/EMAIL',
      'APPLICATION_APPROVED/SMS',
      'APPLICATION_RECEIVED/EMAIL',
      'APPLICATION_RECEIVED/SMS',
    ]);
    expect(new Set(notes.map((n) => n.recipient))).toEqual(
      new Set([`${email.charAt(0)}***@example.com`, `${phone.slice(0, 3)}****${phone.slice(-4)}`]),
    );
    const timeline = JSON.stringify(await timelineOf(merchant.applicationId, merchant.token));
    expect(timeline).not.toContain(email);
    expect(timeline).not.toContain(phone);
    // Only the verification codes reached them, before the bounce and the opt-out.
    expect((await emailsTo(email)).map((mail) => mail.subject)).toEqual([
      `商户进件联系邮箱验证码：${merchant.applicationId}`,
    ]);
    expect(await smsTo(phone)).toHaveLength(1);

    // A new application with that address cannot get a code there: the merchant must give another.
    const again = await api.call('POST', '/v1/applications', {
      body: individualApplication({ email, phone: newPhone() }),
      headers: { 'idempotency-key': `bounced-again-${Date.now()}` },
    });
    const refused = await api.call('POST', `/v1/applications/${again.json.applicationId}/verifications`, {
      token: again.json.accessToken,
      body: { channel: 'EMAIL' },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.fields).toEqual([
      { field: 'contact.email', code: 'UNDELIVERABLE', message: expect.any(String) },
    ]);
  });

  it('counts activation codes apart: other SMS that used up the phone’s hour do not stop them; the 6th code answers 429', async () => {
    // The limits count per clock hour: do not start a few seconds before the hour turns.
    const secondsLeft = 3600 - (Math.floor(Date.now() / 1000) % 3600);
    if (secondsLeft < 60) await new Promise((resolve) => setTimeout(resolve, (secondsLeft + 1) * 1000));
    const phone = newPhone();
    const sn = `N${Date.now().toString(36).toUpperCase()}${++sequence}`;
    const stocked = await api.call('POST', '/v1/terminals', {
      token: operator,
      body: { terminals: [{ serialNumber: sn, model: 'A8' }] },
    });
    expect(stocked.status).toBe(201);
    const merchant = await approvedMerchant(api, reviewer, { phone, serialNumber: sn });
    // The verification code and "received" (2 of the phone's 5), the approval with the activation
    // code (1 of the codes' own 5).
    await eventually(async () => ((await smsTo(phone)).length === 3 ? true : undefined));
    // Sign-in codes anyone can ask for fill the phone's hour: 3 more go out, the 4th is held back.
    for (let i = 0; i < 4; i++)
      expect((await api.call('POST', `/v1/applications/${merchant.applicationId}/sessions`)).status).toBe(
        202,
      );
    expect(await smsTo(phone)).toHaveLength(6);
    // Activation codes still go out: 4 more reissues make the codes' 5.
    for (let i = 2; i <= 5; i++) {
      const reissued = await api.call('POST', `/v1/terminals/${sn}/activation-code`, { token: operator });
      expect(reissued.status, `code ${i}`).toBe(200);
      expect(reissued.json.activationCodeSent, `code ${i}`).toBe(true);
    }
    const sixth = await api.call('POST', `/v1/terminals/${sn}/activation-code`, { token: operator });
    expect(sixth.status).toBe(429);
    expect(sixth.json.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    const texts = await smsTo(phone);
    expect(texts).toHaveLength(10);
    expect(texts.filter((sms) => /激活码\d{6}/.test(sms.body))).toHaveLength(5);
    const terminal = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    expect(terminal.json.history.at(-1)).toMatchObject({
      action: 'NOTIFICATION_RATE_LIMITED',
      channel: 'SMS',
      template: 'ACTIVATION_CODE',
      recipient: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
    });
  });
});

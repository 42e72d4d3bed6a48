import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredSmsTexts } from '../../scripts/sms-registered-texts';
import { KEY_FAMILIES } from '../../shared/keys';
import { type ApiClient, eventually } from '../support/api-client';
import {
  type LocalSmtpRelay,
  startSecretsManager,
  startSmtpRelay,
  startTencentSmsFake,
  type TencentSmsFake,
} from '../support/china-providers';
import { individualApplication } from '../support/fixtures';
import { approvedMerchant, type ContactChannel } from '../support/onboarding';
import { type StoredItem, scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * The China profile's providers through the real journey and the same exactly-once and
 * suppression paths as SES and End User Messaging SMS: the whole local stack with
 * EMAIL_TRANSPORT=smtp (a TLS relay on 127.0.0.1) and SMS_TRANSPORT=tencent-cloud (a fake of the
 * provider's API on 127.0.0.1), their credentials read from a Secrets Manager endpoint on
 * 127.0.0.1 by the real SDK client. Delivery receipts are pulled by the poller's handler into the
 * same send records. Nothing leaves 127.0.0.1.
 *
 * NOTE: one stack configuration per file (handler modules read their configuration once).
 */

const SMS_KEY = {
  secretId: 'AKIDchina000000000000000000000000000',
  secretKey: 'china-secret-key-00000000000000000',
};

/** Every registered text the product can send, numbered as a provider would. */
function registeredTemplates(): Record<string, string> {
  return Object.fromEntries(registeredSmsTexts().map(({ text }, index) => [text, String(1_900_000 + index)]));
}

/** Addresses the relay refuses for good (550) at RCPT TO. */
const goneMailboxes = new Set<string>();

let relay: LocalSmtpRelay;
let sms: TencentSmsFake;
let secrets: Awaited<ReturnType<typeof startSecretsManager>>;
let testStack: TestStack;
let api: ApiClient;
let reviewer: string;

beforeAll(async () => {
  relay = await startSmtpRelay({
    tls: 'starttls',
    username: 'onboarding@relay',
    password: 'relay-password',
    refuse: (address) =>
      goneMailboxes.has(address) ? { code: 550, message: '5.1.1 mailbox unavailable' } : undefined,
  });
  sms = await startTencentSmsFake(SMS_KEY);
  secrets = await startSecretsManager(
    new Map<string, unknown>([
      ['onboarding/smtp-relay', { username: 'onboarding@relay', password: 'relay-password', ca: relay.ca }],
      ['onboarding/sms-provider', { ...SMS_KEY, templates: registeredTemplates() }],
    ]),
  );
  testStack = await startTestStack('china-providers', {
    EMAIL_TRANSPORT: 'smtp',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(relay.port),
    SMTP_SECRET_ID: 'onboarding/smtp-relay',
    SMS_TRANSPORT: 'tencent-cloud',
    SMS_PROVIDER_ENDPOINT: sms.endpoint,
    SMS_PROVIDER_REGION: 'ap-guangzhou',
    SMS_PROVIDER_APP_ID: '1400000001',
    SMS_PROVIDER_SECRET_ID: 'onboarding/sms-provider',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
  });
  ({ api, reviewer } = testStack);
}, 120_000);

afterAll(async () => {
  await testStack?.stop();
  await Promise.all([relay?.close(), sms?.close(), secrets?.close()]);
});

/** The send records of one application's first submission. */
async function sendsOf(applicationId: string): Promise<StoredItem[]> {
  const items = await scanTable(testStack.stack.urls.dynamodb);
  return items.filter((item) => item.pk === `SEND#${applicationId}#1`);
}

/** The template of a text the provider received, from the send record it names (SessionContext). */
function templateOf(request: { sessionContext: string | undefined }): string | undefined {
  return request.sessionContext ? (JSON.parse(request.sessionContext) as { t?: string }).t : undefined;
}

const CODE_IN_MAIL = /(?:验证码是|Your code is) (\d{6})/;

/**
 * The verification codes as the China providers received them: the provider's parameters of the
 * verification text (the code, then the application's last six characters), the relay's mail.
 */
function codeAtProviders(applicationId: string, channel: ContactChannel): Promise<string> {
  return eventually(async () => {
    if (channel === 'SMS') {
      const text = [...sms.sent]
        .reverse()
        .find(
          (request) =>
            templateOf(request) === 'VERIFICATION_CODE' && request.params[1] === applicationId.slice(-6),
        );
      return text?.params[0];
    }
    const mail = [...relay.messages].reverse().find((message) => message.text.includes(applicationId));
    return CODE_IN_MAIL.exec(mail?.text ?? '')?.[1];
  });
}

async function timelineOf(applicationId: string, token: string) {
  const { json } = await api.call('GET', `/v1/applications/${applicationId}`, { token });
  return json.timeline as { action: string; channel?: string; template?: string; recipient?: string }[];
}

describe('the China profile providers, end to end on 127.0.0.1', () => {
  it('emails through the TLS relay and texts through the provider once each, and records the delivery receipts', async () => {
    const email = `china-${Date.now()}@example.com`;
    const merchant = await approvedMerchant(api, reviewer, {
      email,
      phone: '13600136000',
      codeOf: codeAtProviders,
      // The signing journey has its own tests; here the texts and mails of onboarding itself.
      signAgreement: false,
    });
    const sends = await eventually(async () => {
      const found = await sendsOf(merchant.applicationId);
      return found.filter((item) => item.status === 'SENT').length === 4 ? found : undefined;
    });

    // Email: the verification code first, then two messages, over TLS, authenticated with the
    // secret's credentials, each once.
    const toMerchant = relay.messages.filter((message) => message.to.includes(email));
    expect(toMerchant.map((message) => CODE_IN_MAIL.test(message.text))).toEqual([true, false, false]);
    const mails = toMerchant.slice(1);
    for (const mail of mails) expect(mail).toMatchObject({ secure: true, user: 'onboarding@relay' });
    const emailIds = sends.filter((item) => item.channel === 'EMAIL').map((item) => item.providerMessageId);
    for (const mail of mails)
      expect(emailIds.some((id) => mail.raw.includes(`Message-ID: ${String(id)}`))).toBe(true);

    // SMS: registered template ids with their parameters, under the approved signature, each once
    // (after the verification code, whose send record is its own).
    const toPhone = sms.sent.filter((request) => request.phone === '+8613600136000');
    expect(toPhone.map(templateOf)).toEqual([
      'VERIFICATION_CODE',
      'APPLICATION_RECEIVED',
      'APPLICATION_APPROVED',
    ]);
    const texts = toPhone.slice(1);
    expect(texts.map((request) => request.signName)).toEqual(['拉卡拉', '拉卡拉']);
    const approvedText = texts.find((request) => request.params.length > 0);
    expect(approvedText?.params[0]).toBe(merchant.merchantNo);
    const smsSends = sends.filter((item) => item.channel === 'SMS');
    expect(smsSends.map((item) => item.providerMessageId).sort()).toEqual(
      texts.map((request) => request.serialNo).sort(),
    );
    expect(sms.badSignatures).toEqual([]);
    // The credentials came from Secrets Manager (cached per function, not per message).
    expect(secrets.reads).toContain('onboarding/smtp-relay');
    expect(secrets.reads).toContain('onboarding/sms-provider');

    // Receipts: one delivered, one not; the poller records them on the same send records.
    const [first, second] = texts;
    if (!first || !second) throw new Error('expected two SMS');
    sms.report(first.serialNo, true);
    sms.report(second.serialNo, false, 'MN:0001');
    sms.receipts.push({
      SerialNo: 'not-ours',
      ReportStatus: 'SUCCESS',
      UserReceiveTime: '2026-12-06 08:00:00',
    });
    const { handler } = await import('../../functions/poll-sms-receipts');
    const outcome = await handler({}, {} as never);
    expect(outcome).toEqual({ pulled: 3, recorded: 2, delivered: 2, undelivered: 1, unmatched: 1 });
    const after = await sendsOf(merchant.applicationId);
    const byId = new Map(after.map((item) => [item.providerMessageId, item]));
    expect(byId.get(first.serialNo)).toMatchObject({ status: 'SENT', delivery: 'DELIVERED' });
    expect(byId.get(second.serialNo)).toMatchObject({
      status: 'SENT',
      delivery: 'UNDELIVERED',
      deliveryDetail: 'MN:0001',
    });
    // Pulled receipts are gone at the provider: a second run records nothing.
    expect(await handler({}, {} as never)).toMatchObject({ pulled: 0, recorded: 0 });
  });

  it('refuses a verification code to an address the relay refuses for good or a phone that unsubscribed, and asks neither again', async () => {
    const email = `gone-${Date.now()}@example.com`;
    goneMailboxes.add(email);
    sms.unsubscribed.add('+8613700137000');
    const created = await api.call('POST', '/v1/applications', {
      body: individualApplication({ email, phone: '13700137000' }),
      headers: { 'idempotency-key': `china-gone-${Date.now()}` },
    });
    expect(created.status).toBe(201);
    const { applicationId, accessToken: token } = created.json as {
      applicationId: string;
      accessToken: string;
    };
    for (const [channel, field] of [
      ['EMAIL', 'contact.email'],
      ['SMS', 'contact.phone'],
    ] as const) {
      for (let ask = 0; ask < 2; ask += 1) {
        const refused = await api.call('POST', `/v1/applications/${applicationId}/verifications`, {
          token,
          body: { channel },
        });
        expect(refused.status).toBe(400);
        expect(refused.json.error.fields).toEqual([
          { field, code: 'UNDELIVERABLE', message: expect.any(String) },
        ]);
      }
    }
    // The first refusal suppressed each address: the second request reached no provider.
    expect(relay.refusedRecipients.filter((address) => address === email)).toHaveLength(1);
    expect(sms.refusedPhones.filter((phone) => phone === '+8613700137000')).toHaveLength(1);
    expect(relay.messages.filter((message) => message.to.includes(email))).toHaveLength(0);
    const items = await scanTable(testStack.stack.urls.dynamodb);
    const suppressions = items.filter((item) => item.pk.startsWith(KEY_FAMILIES.suppression));
    expect(suppressions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'EMAIL', reason: 'BOUNCE', detail: '550 5.1.1' }),
        expect.objectContaining({ channel: 'SMS', reason: 'OPT_OUT' }),
      ]),
    );
    expect(JSON.stringify(suppressions)).not.toContain(email);
  });

  it('suppresses a verified address the relay later refuses for good and a phone that later unsubscribed, and sends them nothing more', async () => {
    const email = `later-gone-${Date.now()}@example.com`;
    const phone = '+8613500135000';
    const merchant = await approvedMerchant(api, reviewer, {
      email,
      phone: '13500135000',
      codeOf: codeAtProviders,
      signAgreement: false,
      // Verified, then the mailbox goes and the number unsubscribes before the workflow writes.
      beforeSubmit: async () => {
        goneMailboxes.add(email);
        sms.unsubscribed.add(phone);
      },
    });
    const suppressed = await eventually(async () => {
      const timeline = await timelineOf(merchant.applicationId, merchant.token);
      const notes = timeline.filter((entry) => entry.action === 'NOTIFICATION_SUPPRESSED');
      return notes.length === 4 ? notes : undefined;
    });
    expect(suppressed.map((note) => `${note.template}/${note.channel}`).sort()).toEqual([
      'APPLICATION_APPROVED/EMAIL',
      'APPLICATION_APPROVED/SMS',
      'APPLICATION_RECEIVED/EMAIL',
      'APPLICATION_RECEIVED/SMS',
    ]);
    for (const note of suppressed) expect(note.recipient).not.toContain(email);

    // Only the verification codes went out; the relay refused the first message after them and was
    // never asked again; the provider likewise.
    expect(relay.messages.filter((message) => message.to.includes(email))).toHaveLength(1);
    expect(relay.refusedRecipients.filter((address) => address === email)).toHaveLength(1);
    expect(sms.sent.filter((request) => request.phone === phone).map(templateOf)).toEqual([
      'VERIFICATION_CODE',
    ]);
    expect(sms.refusedPhones.filter((refused) => refused === phone)).toHaveLength(1);
    const sends = await sendsOf(merchant.applicationId);
    expect(sends.map((item) => item.status)).toEqual([
      'SUPPRESSED',
      'SUPPRESSED',
      'SUPPRESSED',
      'SUPPRESSED',
    ]);
  });
});

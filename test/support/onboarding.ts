import { expect } from 'vitest';
import { type ApiClient, eventually } from './api-client';
import { individualApplication } from './fixtures';

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];
let sequence = 0;

/** An approved merchant through the real journey: create, upload, submit, approve. */
export async function approvedMerchant(
  api: ApiClient,
  reviewerToken: string,
  options: {
    serialNumber?: string;
    email?: string;
    phone?: string;
    businessName?: string;
    locale?: 'zh-CN' | 'en';
    /** Runs once the contacts are verified, before the documents and the submit. */
    beforeSubmit?: (applicationId: string, token: string) => Promise<void>;
  } = {},
): Promise<{
  merchantNo: string;
  token: string;
  applicationId: string;
  terminalId: string | null;
  email: string;
}> {
  const email = options.email ?? `merchant-${Date.now()}-${++sequence}@example.com`;
  const { beforeSubmit, ...fixture } = options;
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ ...fixture, email }),
    headers: { 'idempotency-key': `approved-${Date.now()}-${sequence}` },
  });
  expect(created.status).toBe(201);
  const { applicationId, accessToken: token } = created.json as {
    applicationId: string;
    accessToken: string;
  };
  await verifyContacts(api, applicationId, token);
  await beforeSubmit?.(applicationId, token);
  for (const kind of KINDS) {
    const doc = await api.call('POST', `/v1/applications/${applicationId}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
  expect((await api.call('POST', `/v1/applications/${applicationId}/submit`, { token })).status).toBe(202);
  const task = await eventually(async () => {
    const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewerToken });
    return page.json.items.find((t: { subjectId: string }) => t.subjectId === applicationId);
  });
  const decision = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
    token: reviewerToken,
    body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
  });
  expect(decision.status).toBe(200);
  const approved = await eventually(async () => {
    const got = await api.call('GET', `/v1/applications/${applicationId}`, { token });
    return got.json.status === 'APPROVED' ? got.json : undefined;
  });
  return { merchantNo: approved.merchantNo, token, applicationId, terminalId: approved.terminalId, email };
}

/** The latest SMS whose body matches, e.g. the activation code of a terminal ID. */
export async function latestSms(api: ApiClient, pattern: RegExp): Promise<RegExpExecArray> {
  return eventually(async () => {
    const { json } = await api.call('GET', '/_local/sms');
    for (const message of [...json.messages].reverse() as { body: string }[]) {
      const match = pattern.exec(message.body);
      if (match) return match;
    }
    return undefined;
  });
}

/** The channels a contact is verified on. */
export type ContactChannel = 'SMS' | 'EMAIL';

/**
 * The verification code of an application's contact as it was sent: the newest SMS or email
 * that names the application (its id, or the SMS's last six characters of it).
 */
export async function verificationCode(
  api: ApiClient,
  applicationId: string,
  channel: ContactChannel,
): Promise<string> {
  const tail = applicationId.slice(-6);
  if (channel === 'SMS') {
    const sms = await latestSms(api, new RegExp(`^【[^】]+】(?:验证码|Code )(\\d{6})\\D.*${tail}`));
    return sms[1] ?? '';
  }
  return eventually(async () => {
    const { json } = await api.call('GET', '/_local/emails');
    for (const mail of [...json.messages].reverse() as { subject: string; text?: string }[]) {
      if (!mail.subject.includes(applicationId)) continue;
      const match = /(?:验证码是|Your code is) (\d{6})/.exec(mail.text ?? '');
      if (match) return match[1];
    }
    return undefined;
  });
}

/** Asks for a code on `channel` and confirms it, as a merchant does before submitting (spec 6). */
export async function verifyContact(
  api: ApiClient,
  applicationId: string,
  token: string,
  channel: ContactChannel,
): Promise<void> {
  const sent = await api.call('POST', `/v1/applications/${applicationId}/verifications`, {
    token,
    body: { channel },
  });
  expect(sent.status, JSON.stringify(sent.json)).toBe(202);
  const code = await verificationCode(api, applicationId, channel);
  const confirmed = await api.call('POST', `/v1/applications/${applicationId}/verifications/confirm`, {
    token,
    body: { channel, code },
  });
  expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);
}

/** Verifies the contact phone and email of an application: what submit needs first. */
export async function verifyContacts(api: ApiClient, applicationId: string, token: string): Promise<void> {
  await verifyContact(api, applicationId, token, 'SMS');
  await verifyContact(api, applicationId, token, 'EMAIL');
}

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
  } = {},
): Promise<{
  merchantNo: string;
  token: string;
  applicationId: string;
  terminalId: string | null;
  email: string;
}> {
  const email = options.email ?? `merchant-${Date.now()}-${++sequence}@example.com`;
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ ...options, email }),
    headers: { 'idempotency-key': `approved-${Date.now()}-${sequence}` },
  });
  expect(created.status).toBe(201);
  const { applicationId, accessToken: token } = created.json as {
    applicationId: string;
    accessToken: string;
  };
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

import { expect } from 'vitest';
import { type ApiClient, eventually } from '../../support/api-client';
import { individualApplication } from '../../support/fixtures';
import { verifyContacts } from '../../support/onboarding';
import { pngPhoto } from './images';

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'] as const;
let sequence = 0;

/** A submitted application (through the API) with real PNG photos, waiting in the review queue. */
export async function applicationInReview(
  api: ApiClient,
  reviewer: string,
  options: { businessName: string; phone: string; serialNumber?: string },
): Promise<{ applicationId: string; token: string; taskId: string; email: string }> {
  sequence += 1;
  const email = `web-${Date.now()}-${sequence}@example.com`;
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ ...options, email, locale: 'en' }),
    headers: { 'idempotency-key': `web-e2e-${Date.now()}-${sequence}` },
  });
  expect(created.status).toBe(201);
  const { applicationId, accessToken: token } = created.json as {
    applicationId: string;
    accessToken: string;
  };
  for (const [index, kind] of KINDS.entries()) {
    const photo = new Uint8Array(pngPhoto(480, 300, { noise: 0.1, seed: sequence * 10 + index }));
    const doc = await api.call('POST', `/v1/applications/${applicationId}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: photo.byteLength },
    });
    expect(doc.status).toBe(201);
    const put = await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: photo });
    expect(put.status).toBe(200);
  }
  await verifyContacts(api, applicationId, token);
  expect((await api.call('POST', `/v1/applications/${applicationId}/submit`, { token })).status).toBe(202);
  const task = await eventually(async () => {
    const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
    return (page.json.items as { taskId: string; subjectId: string }[]).find(
      (item) => item.subjectId === applicationId,
    );
  });
  return { applicationId, token, taskId: task.taskId, email };
}

/** A reviewer's reason for sending back one field (`business.name`, `documents.STORE_PHOTO`, …). */
export interface FieldReason {
  readonly field: string;
  readonly reason: string;
}

/**
 * The reviewer sends the application back with `reasons` (REQUEST_CHANGES); resolves once the
 * merchant sees it as NEEDS_CHANGES.
 */
export async function sendBack(
  api: ApiClient,
  reviewer: string,
  application: { applicationId: string; token: string; taskId: string },
  reasons: readonly FieldReason[],
): Promise<void> {
  const decision = await api.call('POST', `/v1/reviews/${application.taskId}/decision`, {
    token: reviewer,
    body: { decision: 'REQUEST_CHANGES', reasons },
  });
  expect(decision.status, JSON.stringify(decision.json)).toBe(200);
  await applicationWhen(api, application.applicationId, application.token, ['NEEDS_CHANGES']);
}

/** The application once its status is one of `statuses`. */
export async function applicationWhen(
  api: ApiClient,
  applicationId: string,
  token: string,
  statuses: readonly string[],
  // biome-ignore lint/suspicious/noExplicitAny: test helper returns loosely typed JSON
): Promise<any> {
  return eventually(async () => {
    const got = await api.call('GET', `/v1/applications/${applicationId}`, { token });
    return statuses.includes(got.json.status) ? got.json : undefined;
  });
}

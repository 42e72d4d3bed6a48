import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../local/ports';
import { type LocalStack, type LocalStackPorts, startLocalStack } from '../../local/stack';
import { ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { verifyContacts } from '../support/onboarding';

/**
 * This test starts (and restarts) the local stack itself, DynamoDB Local's JVM included, which takes
 * far longer on a loaded machine than the default test timeout allows for.
 */
const STACK_STARTS_IN_TEST_TIMEOUT_MS = 180_000;

/*
 * Deadlines from configuration (seconds here): escalation, supervisors told, expiry.
 *
 * NOTE: one stack configuration per file. Handler modules read their configuration once, at
 * load (as Lambda does at cold start), and stay loaded in this process across stack restarts.
 */

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];

let stateDir: string;
let stack: LocalStack | undefined;
// Fixed for the whole file: the handler modules (and their SDK clients) stay loaded across a
// restart in this process, as a Lambda container would, so the endpoints must not move.
let ports: LocalStackPorts;

async function start(env: Record<string, string>) {
  // Every fixture merchant has the same phone: the hourly SMS limit (notifications.test.ts) is off here.
  const withoutSmsLimit = { SMS_PER_PHONE_PER_HOUR: '10000', EMAIL_PER_ADDRESS_PER_HOUR: '10000', ...env };
  stack = await startLocalStack({ stateDir, ports, quiet: true, retryIntervalMs: 10, env: withoutSmsLimit });
  return new ApiClient(stack.urls.api);
}

async function submittedApplication(api: ApiClient, email: string) {
  const body = individualApplication({ email });
  const created = await api.call('POST', '/v1/applications', {
    body,
    headers: { 'idempotency-key': `deadline-${email}` },
  });
  const id = created.json.applicationId as string;
  const token = created.json.accessToken as string;
  for (const kind of KINDS) {
    const doc = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
  await verifyContacts(api, id, token);
  expect((await api.call('POST', `/v1/applications/${id}/submit`, { token })).status).toBe(202);
  return { id, token };
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'pos-deadlines-'));
  const [api, dynamodb, sfn, sms, ses, s3] = await Promise.all(Array.from({ length: 6 }, findFreePort));
  ports = { api, dynamodb, sfn, sms, ses, s3 } as LocalStackPorts;
});

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('deadlines', () => {
  it(
    'escalates a review at its deadline, tells supervisors, and expires it at the final deadline',
    async () => {
      const api = await start({
        REVIEW_ESCALATION_SECONDS: '2',
        REVIEW_FINAL_SECONDS: '5',
        RESUBMISSION_SECONDS: '5',
        SUPERVISOR_EMAIL: 'leads@example.com',
      });
      const reviewer = await api.staffToken('rev-1', ['reviewer']);
      const email = `expire-${Date.now()}@example.com`;
      const app = await submittedApplication(api, email);
      const escalated = await eventually(async () => {
        const page = await api.call('GET', '/v1/reviews', { token: reviewer });
        return page.json.items.find(
          (t: { subjectId: string; escalated: boolean }) => t.subjectId === app.id && t.escalated,
        );
      }, 15_000);
      expect(Date.parse(escalated.deadline)).toBeLessThan(Date.parse(escalated.finalDeadline));
      await eventually(async () => {
        const { json } = await api.call('GET', '/_local/emails');
        return json.messages.find(
          (m: { to: string[]; subject: string }) =>
            m.to.includes('leads@example.com') && m.subject.includes(escalated.taskId),
        );
      });
      const expired = await eventually(async () => {
        const got = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
        return got.json.status === 'EXPIRED' ? got.json : undefined;
      }, 20_000);
      expect(expired.timeline.at(-1)).toMatchObject({ status: 'EXPIRED', actor: 'system' });
      const late = await api.call('POST', `/v1/reviews/${escalated.taskId}/decision`, {
        token: reviewer,
        body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
      });
      expect(late.status).toBe(409);
      await eventually(async () => {
        const { json } = await api.call('GET', '/_local/emails');
        return json.messages.find(
          (m: { to: string[]; subject: string }) => m.to.includes(email) && m.subject.includes('过期'),
        );
      });
    },
    STACK_STARTS_IN_TEST_TIMEOUT_MS,
  );
});

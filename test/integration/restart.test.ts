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
 * A restart of the whole local stack while a review is pending: nothing is lost and the review
 * can still be decided.
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

describe('restarts', () => {
  it(
    'keeps a pending review across a restart; the review can still be decided',
    async () => {
      const long = {
        REVIEW_ESCALATION_SECONDS: '600',
        REVIEW_FINAL_SECONDS: '1200',
        RESUBMISSION_SECONDS: '600',
      };
      let api = await start(long);
      const email = `restart-${Date.now()}@example.com`;
      const app = await submittedApplication(api, email);
      let reviewer = await api.staffToken('rev-1', ['reviewer']);
      const task = await eventually(async () => {
        const page = await api.call('GET', '/v1/reviews', { token: reviewer });
        return page.json.items.find((t: { subjectId: string }) => t.subjectId === app.id);
      });
      await stack?.stop();

      api = await start(long);
      reviewer = await api.staffToken('rev-1', ['reviewer']);
      const again = await api.call('GET', `/v1/reviews/${task.taskId}`, { token: reviewer });
      expect(again.json.status).toBe('PENDING');
      const approve = await eventually(async () => {
        const res = await api.call('POST', `/v1/reviews/${task.taskId}/decision`, {
          token: reviewer,
          body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
        });
        return res.status === 200 ? res : undefined;
      }).catch(async (error: Error) => {
        // Say where the resumed execution stands, so a failure here can be diagnosed from CI output.
        const executions = await api.call('GET', '/_local/executions');
        const application = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
        throw new Error(
          `${error.message}\nexecutions: ${JSON.stringify(executions.json)}\ntimeline: ${JSON.stringify(application.json.timeline)}`,
        );
      });
      expect(approve.json.decision).toBe('APPROVE');
      const approved = await eventually(async () => {
        const got = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
        return got.json.status === 'APPROVED' ? got.json : undefined;
      });
      expect(approved.merchantNo).toHaveLength(15);
    },
    STACK_STARTS_IN_TEST_TIMEOUT_MS,
  );
});

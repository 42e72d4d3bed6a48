import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/logger';
import { productMetrics } from '../../shared/metrics';
import { WORKFLOW_SEND_ATTEMPTS } from '../../shared/notifications/send-once';
import { type ApiClient, eventually } from '../support/api-client';
import { approvedMerchant } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Nothing lost when the SMS provider is down for good: every attempt of the workflow's Notify
 * steps fails, the send ends FAILED, the application's timeline shows it (masked), the alarmed
 * metric is emitted, and the workflow still finishes.
 *
 * NOTE: one stack configuration per file (here: an SMS endpoint nobody listens on once the
 * contacts are verified). Handler modules read their configuration once, at load, and stay loaded
 * in this process.
 */

let api: ApiClient;
let testStack: TestStack;
let reviewer: string;
const errors = vi.spyOn(logger, 'error');
const counted = vi.spyOn(await productMetrics(), 'addMetric');

beforeAll(async () => {
  testStack = await startTestStack('notification-failures', {
    REVIEW_ESCALATION_SECONDS: '120',
    REVIEW_FINAL_SECONDS: '240',
    RESUBMISSION_SECONDS: '240',
  });
  ({ api, reviewer } = testStack);
});

afterAll(() => testStack?.stop());

describe('an SMS provider that fails on every attempt', () => {
  it('ends FAILED in the timeline with a metric, while the email goes out and the workflow finishes', async () => {
    const email = `failing-sms-${Date.now()}@example.com`;
    const merchant = await approvedMerchant(api, reviewer, {
      email,
      phone: '13712345678',
      // The contacts are verified while SMS still works (a code must reach the phone); from then
      // on port 9 (discard) refuses connections: every SendTextMessage of the functions loaded
      // afterwards — the workflow's Notify steps — fails. Each function reads it once, at load.
      beforeSubmit: async () => {
        process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = 'http://127.0.0.1:9';
      },
    });

    const failed = await eventually(async () => {
      const { json } = await api.call('GET', `/v1/applications/${merchant.applicationId}`, {
        token: merchant.token,
      });
      const notes = (json.timeline as { action: string; template?: string }[]).filter(
        (entry) => entry.action === 'NOTIFICATION_FAILED',
      );
      return notes.length === 2 ? notes : undefined;
    });
    expect(failed).toEqual([
      expect.objectContaining({
        actor: 'system',
        channel: 'SMS',
        template: 'APPLICATION_RECEIVED',
        recipient: '137****5678',
      }),
      expect.objectContaining({ status: 'APPROVED', channel: 'SMS', template: 'APPLICATION_APPROVED' }),
    ]);

    // Email is unaffected: the verification code, received and approved, once each.
    const { json: mail } = await api.call('GET', `/_local/emails?to=${encodeURIComponent(email)}`);
    expect(mail.messages).toHaveLength(3);

    // The workflow went on after the last attempt of each Notify step.
    const execution = await eventually(async () => {
      const { json } = await api.call('GET', '/_local/executions');
      const found = json.executions.find((e: { name: string }) => e.name === merchant.applicationId);
      return found?.status === 'SUCCEEDED' ? found : undefined;
    });
    expect(execution.error).toBeUndefined();

    // One alarmed metric per message that failed for good, after the full set of attempts.
    const failedForGood = errors.mock.calls
      .filter(([message]) => message === 'notification failed on its last attempt')
      .map(([, fields]) => fields as { subjectId?: string; attempt?: number });
    const mine = failedForGood.filter((fields) => fields?.subjectId === `${merchant.applicationId}#1`);
    expect(mine).toHaveLength(2);
    for (const fields of mine) expect(fields.attempt).toBe(WORKFLOW_SEND_ATTEMPTS);
    const failedMetrics = counted.mock.calls.filter(([name]) => name === 'NotificationsFailed');
    expect(failedMetrics).toHaveLength(failedForGood.length);
    for (const [, unit, value] of failedMetrics) expect([unit, value]).toEqual(['Count', 1]);
  });
});

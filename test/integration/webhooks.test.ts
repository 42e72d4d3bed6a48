import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../docs/examples/webhook-receiver.mjs';
import type { DomainEvent } from '../../shared/events/types';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { approvedMerchant, latestSms, signAgreement, verifyContacts } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';
import { TestReceiver } from '../support/webhook-receiver';

/*
 * Domain events from the table's stream, delivered as signed webhooks to receivers on 127.0.0.1,
 * verified by the receiver example of docs/webhooks.md: every event type of a full onboarding,
 * retries with backoff until the receiver answers 2xx, secret rotation (both signatures during the
 * overlap), redelivery, and the delivery log.
 */

let stack: TestStack;
let api: ApiClient;
let operator: string;
let reviewer: string;
const receiver = new TestReceiver();

beforeAll(async () => {
  stack = await startTestStack('webhooks', {
    // Seconds instead of minutes: the n-th retry waits 0.5–1 × 2^(n-1) s.
    WEBHOOK_RETRY_BASE_SECONDS: '1',
    WEBHOOK_RETRY_MAX_AGE_SECONDS: '120',
    WEBHOOK_TIMEOUT_SECONDS: '3',
    // Several journeys text and email the fixture's contacts within the hour.
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  });
  ({ api, operator, reviewer } = stack);
}, 120_000);

afterAll(async () => {
  await receiver.stop();
  await stack?.stop();
});

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];

async function register(url: string, events: string[]) {
  const created = await api.call('POST', '/v1/webhook-endpoints', { token: operator, body: { url, events } });
  expect(created.status).toBe(201);
  return created.json as { id: string; secret: string; events: string[] };
}

/** Whether a delivery verifies with the receiver example of docs/webhooks.md. */
function verifies(delivery: { headers: Record<string, unknown>; body: string }, secret: string): boolean {
  return verifyWebhook({
    secret,
    headers: delivery.headers as Record<string, string>,
    body: delivery.body,
  });
}

async function deliveriesOf(endpointId: string) {
  const page = await api.call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries?limit=100`, {
    token: operator,
  });
  expect(page.status).toBe(200);
  return page.json.items as {
    eventId: string;
    eventType: string;
    status: string;
    attempts: number;
    attemptLog: { httpStatus: number | null; result: string }[];
  }[];
}

describe('webhooks', () => {
  let url: string;
  let endpoint: { id: string; secret: string };

  beforeAll(async () => {
    url = await receiver.start();
  });

  it('delivers every event of a full onboarding, signed, verified by the documented receiver', async () => {
    endpoint = await register(url, [
      'application.submitted',
      'application.needs_changes',
      'application.approved',
      'agreement.signed',
      'terminal.bound',
      'terminal.activated',
      'merchant.activated',
    ]);
    const serialNumber = `WH${Date.now()}`;
    await api.call('POST', '/v1/terminals', {
      token: operator,
      body: { terminals: [{ serialNumber, model: 'A8' }] },
    });
    // Create, upload, submit; the reviewer returns it for changes; corrected, resubmitted, approved.
    const body = individualApplication({ serialNumber, email: `wh-${Date.now()}@example.com` });
    const created = await api.call('POST', '/v1/applications', {
      body,
      headers: { 'idempotency-key': `webhooks-${Date.now()}` },
    });
    const { applicationId, accessToken: token } = created.json;
    // A new draft: its contacts to verify and every document to upload, by the draft's expiry.
    const draft = await api.call('GET', `/v1/applications/${applicationId}`, { token });
    expect(draft.json.requirements.currentlyDue).toEqual([
      'contact.phone',
      'contact.email',
      ...KINDS.map((kind) => `documents.${kind}`),
    ]);
    await verifyContacts(api, applicationId, token);
    for (const kind of KINDS) {
      const doc = await api.call('POST', `/v1/applications/${applicationId}/documents`, {
        token,
        body: { kind, contentType: 'image/png', sizeBytes: 3 },
      });
      await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
    }
    const ready = await api.call('GET', `/v1/applications/${applicationId}`, { token });
    expect(ready.json.requirements.currentlyDue).toEqual([]);
    const decide = async (decision: object) => {
      const task = await eventually(async () => {
        const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
        return page.json.items.find((t: { subjectId: string }) => t.subjectId === applicationId);
      });
      expect(
        (await api.call('POST', `/v1/reviews/${task.taskId}/decision`, { token: reviewer, body: decision }))
          .status,
      ).toBe(200);
    };
    expect((await api.call('POST', `/v1/applications/${applicationId}/submit`, { token })).status).toBe(202);
    await decide({
      decision: 'REQUEST_CHANGES',
      reasons: [{ field: 'business.address.detail', reason: '地址不完整' }],
    });
    const returned = await eventually(async () => {
      const got = await api.call('GET', `/v1/applications/${applicationId}`, { token });
      return got.json.status === 'NEEDS_CHANGES' ? got.json : undefined;
    });
    // What the merchant must do, without guessing from the status.
    expect(returned.requirements).toMatchObject({
      currentlyDue: ['business.address.detail'],
      pastDue: [],
      errors: [{ field: 'business.address.detail', code: 'CHANGES_REQUESTED', reason: '地址不完整' }],
    });
    expect(Date.parse(returned.requirements.deadline)).toBeGreaterThan(Date.now());
    const corrected = {
      ...body,
      business: { ...body.business, address: { divisionCode: '110105', detail: '朝阳区建国路88号1层' } },
    };
    expect(
      (await api.call('PUT', `/v1/applications/${applicationId}`, { token, body: corrected })).status,
    ).toBe(200);
    expect((await api.call('POST', `/v1/applications/${applicationId}/submit`, { token })).status).toBe(202);
    await decide({ decision: 'APPROVE', checks: { phoneCallback: { done: true } } });
    const approved = await eventually(async () => {
      const got = await api.call('GET', `/v1/applications/${applicationId}`, { token });
      return got.json.status === 'APPROVED' ? got.json : undefined;
    });
    expect(approved.requirements).toEqual({ currentlyDue: [], pastDue: [], deadline: null, errors: [] });
    // The merchant signs its agreement (activation waits for it): agreement.signed.
    await signAgreement(api, approved.merchantNo, token);
    const [, code] = await latestSms(api, new RegExp(`(?:终端号|TID )${approved.terminalId}\\D+(\\d{6})`));
    expect(
      (
        await api.call('POST', `/v1/terminals/${serialNumber}/activate`, {
          token,
          body: { activationCode: code },
        })
      ).status,
    ).toBe(200);
    const test = await api.call('POST', `/v1/terminals/${serialNumber}/test-transaction`, { token });
    expect(test.json.result).toBe('APPROVED');

    const expected = [
      'application.submitted',
      'application.needs_changes',
      'application.submitted',
      'application.approved',
      'agreement.signed',
      'terminal.bound',
      'terminal.activated',
      'merchant.activated',
    ];
    const events = await eventually(async () => {
      const ours = receiver.received
        .map((delivery) => JSON.parse(delivery.body) as DomainEvent)
        .filter((event) =>
          [applicationId, approved.merchantNo, serialNumber].includes(
            String(event.data.applicationId ?? event.data.merchantNo ?? event.data.serialNumber),
          ),
        );
      return ours.length >= expected.length ? ours : undefined;
    }, 60_000);
    expect(events.map((event) => event.type).sort()).toEqual([...expected].sort());
    for (const delivery of receiver.received) {
      expect(verifies(delivery, endpoint.secret), delivery.body).toBe(true);
      expect(verifies(delivery, 'whsec_another')).toBe(false);
      const event = JSON.parse(delivery.body) as DomainEvent;
      expect(delivery.headers['webhook-id']).toBe(event.id);
      expect(delivery.headers['content-type']).toBe('application/json');
      // Ids and statuses only: no personal data of the application in any event.
      expect(delivery.body).not.toMatch(/13800138000|110105|张三|@example\.com/);
    }
    const approvedEvent = events.find((event) => event.type === 'application.approved');
    expect(approvedEvent?.data).toEqual({
      applicationId,
      status: 'APPROVED',
      previousStatus: 'PENDING_REVIEW',
      merchantNo: approved.merchantNo,
      terminalId: approved.terminalId,
    });
    // One event per state change: the bus got each exactly once.
    const published = (await api.call('GET', '/_local/events')).json.events as DomainEvent[];
    const forApplication = published.filter((event) => event.data.applicationId === applicationId);
    expect(forApplication.map((event) => event.type)).toEqual([
      'application.submitted',
      'application.needs_changes',
      'application.submitted',
      'application.approved',
    ]);
    const log = await deliveriesOf(endpoint.id);
    expect(log.filter((delivery) => delivery.status === 'DELIVERED').length).toBeGreaterThanOrEqual(
      expected.length,
    );
  }, 180_000);

  it('retries with backoff: a receiver that fails 3 times gets the event on the 4th try', async () => {
    const flaky = new TestReceiver();
    const flakyUrl = await flaky.start();
    try {
      flaky.answer = ({ index }) => (index < 3 ? 500 : 200);
      const { id } = await register(flakyUrl, ['application.submitted']);
      const merchant = await approvedMerchant(api, reviewer);
      const submitted = await eventually(async () => flaky.received.find((d) => d.status === 200), 60_000);
      const event = JSON.parse(submitted.body) as DomainEvent;
      expect(event.data.applicationId).toBe(merchant.applicationId);
      const tries = flaky.ofEvent(event.id);
      expect(tries.map((t) => t.status)).toEqual([500, 500, 500, 200]);
      // Exponential: each wait at least half of 1, 2, 4 seconds.
      const gaps = tries.slice(1).map((t, i) => t.at - (tries[i]?.at ?? 0));
      expect(gaps[0]).toBeGreaterThanOrEqual(450);
      expect(gaps[1]).toBeGreaterThanOrEqual(950);
      expect(gaps[2]).toBeGreaterThanOrEqual(1950);
      const [delivery] = (await deliveriesOf(id)).filter((d) => d.eventId === event.id);
      expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 4 });
      expect(delivery?.attemptLog.map((a) => a.httpStatus)).toEqual([500, 500, 500, 200]);
      expect((await api.call('DELETE', `/v1/webhook-endpoints/${id}`, { token: operator })).status).toBe(204);
    } finally {
      await flaky.stop();
    }
  }, 120_000);

  it('signs with both secrets during a rotation, and redelivers an event on request', async () => {
    const rotated = await api.call('POST', `/v1/webhook-endpoints/${endpoint.id}/secret`, {
      token: operator,
    });
    expect(rotated.status).toBe(200);
    const { secret: newSecret, previousSecretExpiresAt } = rotated.json;
    expect(newSecret).not.toBe(endpoint.secret);
    expect(Date.parse(previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    const listed = await api.call('GET', '/v1/webhook-endpoints', { token: operator });
    expect(JSON.stringify(listed.json)).not.toContain('whsec_');
    expect(listed.json.items.find((item: { id: string }) => item.id === endpoint.id)).toMatchObject({
      previousSecretExpiresAt,
    });

    const before = receiver.received.length;
    const merchant = await approvedMerchant(api, reviewer);
    const delivery = await eventually(async () =>
      receiver.received
        .slice(before)
        .find((d) => (JSON.parse(d.body) as DomainEvent).data.applicationId === merchant.applicationId),
    );
    expect(String(delivery.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(delivery, newSecret)).toBe(true);
    expect(verifies(delivery, endpoint.secret)).toBe(true);

    const eventId = String(delivery.headers['webhook-id']);
    const redelivered = await api.call('POST', `/v1/events/${eventId}/redeliver`, { token: operator });
    expect(redelivered.status).toBe(202);
    expect(redelivered.json).toEqual({
      eventId,
      deliveries: [{ endpointId: endpoint.id, status: 'PENDING' }],
    });
    const again = await eventually(async () =>
      receiver.ofEvent(eventId).length >= 2 ? receiver.ofEvent(eventId) : undefined,
    );
    expect(again[1]?.body).toBe(again[0]?.body);
    expect(verifies(again[1] as (typeof again)[number], newSecret)).toBe(true);
    const logged = (await deliveriesOf(endpoint.id)).find((d) => d.eventId === eventId);
    expect(logged).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    expect(logged?.attemptLog).toHaveLength(2);
  }, 120_000);

  it('refuses what an operator cannot do: unknown events, bad URLs, missing endpoints and events', async () => {
    const bad = await api.call('POST', '/v1/webhook-endpoints', {
      token: operator,
      body: { url: 'ftp://127.0.0.1/x', events: ['application.approved'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields).toEqual([expect.objectContaining({ field: 'url', code: 'NOT_ALLOWED' })]);
    const unknown = await api.call('POST', '/v1/webhook-endpoints', {
      token: operator,
      body: { url, events: ['application.exploded'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields[0].field).toBe('events.0');
    const reviewerTry = await api.call('GET', '/v1/webhook-endpoints', { token: reviewer });
    expect(reviewerTry.status).toBe(403);
    const missing = '01JD8X4ZQ3M6T0V7W9Y2B5C8EF';
    expect((await api.call('POST', `/v1/events/${missing}/redeliver`, { token: operator })).status).toBe(404);
    expect((await api.call('DELETE', `/v1/webhook-endpoints/${missing}`, { token: operator })).status).toBe(
      404,
    );
    expect(
      (await api.call('POST', `/v1/webhook-endpoints/${missing}/secret`, { token: operator })).status,
    ).toBe(404);
    expect(
      (await api.call('GET', `/v1/webhook-endpoints/${missing}/deliveries`, { token: operator })).status,
    ).toBe(404);
  });
});

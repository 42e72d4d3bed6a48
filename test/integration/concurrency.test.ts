import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { approvedMerchant } from '../support/onboarding';
import { census, scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Concurrent replays of every POST that takes an Idempotency-Key (create-application,
 * create-change-request), written against the HTTP contract only: N identical requests at once →
 * all succeed with the same body and exactly one object is stored; the same key with different
 * bodies at once → exactly one success, every other answer a 422 IDEMPOTENCY_KEY_REUSED (for a
 * change request also a 409: its key still in flight, or the merchant's one open change request),
 * never a 5xx, and exactly one object. POSTs without a key are guarded by their own invariant; the terminal
 * registration race is covered here too (one SN registered once).
 */

const PARALLEL = 20;
const figures = { races: 0, requests: 0, statuses: {} as Record<number, number> };

let testStack: TestStack;
let api: ApiClient;
let reviewer: string;
let operator: string;

beforeAll(async () => {
  testStack = await startTestStack('concurrency', {
    REVIEW_ESCALATION_SECONDS: '600',
    REVIEW_FINAL_SECONDS: '1200',
    RESUBMISSION_SECONDS: '600',
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  });
  ({ api, reviewer, operator } = testStack);
});

afterAll(async () => {
  console.info(`concurrency.test figures: ${JSON.stringify(figures)}`);
  await testStack?.stop();
});

/** Fires every request at once (after building them all), counting the race. */
async function race<T>(requests: (() => Promise<T>)[]): Promise<T[]> {
  figures.races += 1;
  figures.requests += requests.length;
  const answers = await Promise.all(requests.map((request) => request()));
  for (const answer of answers as { status?: number }[]) {
    const status = answer.status ?? 0;
    figures.statuses[status] = (figures.statuses[status] ?? 0) + 1;
  }
  return answers;
}

const count = async () => census(testStack.stack.urls.dynamodb);

describe('POST /v1/applications under concurrent replays', () => {
  it(`${PARALLEL} identical requests with one key: all 201 with the same body, one application`, async () => {
    const before = await count();
    const body = individualApplication();
    const key = `race-same-${Date.now()}`;
    const answers = await race(
      Array.from(
        { length: PARALLEL },
        () => () => api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(PARALLEL).fill(201));
    const first = answers[0]?.json;
    for (const answer of answers) expect(answer.json).toEqual(first);
    expect(first.accessToken).toEqual(expect.any(String));

    const after = await count();
    expect(after.applications - before.applications).toBe(1);
    // The application is its own idempotency record: no IDEM# item.
    expect(after.idempotency - before.idempotency).toBe(0);
    // The one access token works: it belongs to the one stored application.
    const view = await api.call('GET', `/v1/applications/${first.applicationId}`, {
      token: first.accessToken,
    });
    expect(view.status).toBe(200);
  });

  it(`${PARALLEL} different bodies with one key: one 201, the rest 422, one application`, async () => {
    const before = await count();
    const key = `race-diff-${Date.now()}`;
    const bodies = Array.from({ length: PARALLEL }, () => individualApplication());
    const answers = await race(
      bodies.map(
        (body) => () => api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    // One conditional transaction decides, and each loser reads the winner's item after the
    // refusal (or after a conflict with the winner's transaction): every other answer is a plain 422.
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expect(answer.status).toBe(422);
      expect(answer.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    const after = await count();
    expect(after.applications - before.applications).toBe(1);
    expect(after.idempotency - before.idempotency).toBe(0);

    // The winner's body is the one stored; replaying it answers the same 201.
    const winner = answers.findIndex((answer) => answer.status === 201);
    const replay = await api.call('POST', '/v1/applications', {
      body: bodies[winner],
      headers: { 'idempotency-key': key },
    });
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(answers[winner]?.json);
  });

  it('many keys at once: one application per key', async () => {
    const before = await count();
    const stamp = Date.now();
    // Five keys, each sent four times with its own body, all twenty at once.
    const bodies = Array.from({ length: PARALLEL / 4 }, () => individualApplication());
    const answers = await race(
      Array.from({ length: PARALLEL }, (_, index) => {
        const group = Math.floor(index / 4);
        return () =>
          api.call('POST', '/v1/applications', {
            body: bodies[group],
            headers: { 'idempotency-key': `race-many-${stamp}-${group}` },
          });
      }),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(PARALLEL).fill(201));
    expect(new Set(answers.map((answer) => answer.json.applicationId)).size).toBe(PARALLEL / 4);
    const after = await count();
    expect(after.applications - before.applications).toBe(PARALLEL / 4);
  });
});

describe('POST /v1/merchants/{merchantNo}/change-requests under concurrent replays', () => {
  it(`${PARALLEL} identical requests with one key: all 202 with the same body, one change request`, async () => {
    const merchant = await approvedMerchant(api, reviewer);
    const before = await count();
    const body = { changes: { 'business.name': '张三便利店二号' }, reason: '门店更名', expectedVersion: 1 };
    const key = `race-change-same-${Date.now()}`;
    const answers = await race(
      Array.from(
        { length: PARALLEL },
        () => () =>
          api.call('POST', `/v1/merchants/${merchant.merchantNo}/change-requests`, {
            token: merchant.token,
            body,
            headers: { 'idempotency-key': key },
          }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(PARALLEL).fill(202));
    for (const answer of answers) expect(answer.json).toEqual(answers[0]?.json);
    const after = await count();
    expect(after.changeRequests - before.changeRequests).toBe(1);
    expect(after.idempotency - before.idempotency).toBe(1);
  });

  it(`${PARALLEL} different bodies with one key: one 202, the rest 422 or 409, one change request`, async () => {
    const merchant = await approvedMerchant(api, reviewer);
    const before = await count();
    const key = `race-change-diff-${Date.now()}`;
    const answers = await race(
      Array.from(
        { length: PARALLEL },
        (_, index) => () =>
          api.call('POST', `/v1/merchants/${merchant.merchantNo}/change-requests`, {
            token: merchant.token,
            body: {
              changes: { 'business.name': `张三便利店${index + 2}号` },
              reason: '更名',
              expectedVersion: 1,
            },
            headers: { 'idempotency-key': key },
          }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 202)) {
      expect([409, 422]).toContain(answer.status);
      expect(['IDEMPOTENCY_KEY_REUSED', 'CONFLICT']).toContain(answer.json.error.code);
    }
    const after = await count();
    expect(after.changeRequests - before.changeRequests).toBe(1);
    expect(after.idempotency - before.idempotency).toBe(1);
    const items = await scanTable(testStack.stack.urls.dynamodb);
    const open = items.filter(
      (item) => item.pk === `MER#${merchant.merchantNo}` && item.sk === 'CHANGE#OPEN',
    );
    expect(open).toHaveLength(1);
  });
});

describe('POSTs without an Idempotency-Key', () => {
  it(`${PARALLEL} concurrent registrations of one SN: registered once, the rest ALREADY_REGISTERED`, async () => {
    const serialNumber = `RACE${String(Date.now()).slice(-9)}`;
    const before = await count();
    const answers = await race(
      Array.from(
        { length: PARALLEL },
        () => () =>
          api.call('POST', '/v1/terminals', {
            token: operator,
            body: { terminals: [{ serialNumber, model: 'A8' }] },
          }),
      ),
    );
    for (const answer of answers) expect(answer.status).toBeLessThan(500);
    const results = answers.flatMap((answer) => answer.json.results as { result: string }[]);
    expect(results.filter((result) => result.result === 'REGISTERED')).toHaveLength(1);
    expect(results.filter((result) => result.result === 'ALREADY_REGISTERED')).toHaveLength(PARALLEL - 1);
    const after = await count();
    expect(after.terminals - before.terminals).toBe(1);
    const terminal = await api.call('GET', `/v1/terminals/${serialNumber}`, { token: operator });
    expect(
      terminal.json.history.filter((entry: { action: string }) => entry.action === 'REGISTERED'),
    ).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { approvedMerchant } from '../support/onboarding';
import { scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Issue 6, identity: merchant access tokens can be rotated and revoked by the merchant and
 * reissued by an operator, against the real local stack. The old token is refused at once,
 * concurrent rotations have exactly one winner, a revoked token is refused everywhere, and the
 * operator's reissue reaches only the registered contact's mailbox (never the response).
 */

const RACE_ROUNDS = 5;
const RACERS = 8;
const TOKEN_PATTERN = /[0-9A-HJKMNP-TV-Z]{26}\.[A-Za-z0-9_-]{43,}/;

let testStack: TestStack;
let seq = 0;
const figures = { rotations: 0, races: 0, racers: 0, refusedOldTokenCalls: 0, replays: 0 };

beforeAll(async () => {
  testStack = await startTestStack('token-rotation', {
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  });
});

afterAll(async () => {
  console.info(`token rotation figures: ${JSON.stringify(figures)}`);
  await testStack?.stop();
});

async function draft(email = `rotation-${Date.now()}-${++seq}@example.com`) {
  const key = `rotation-${Date.now()}-${seq}`;
  const body = individualApplication({ email });
  const created = await testStack.api.call('POST', '/v1/applications', {
    body,
    headers: { 'idempotency-key': key },
  });
  expect(created.status).toBe(201);
  return {
    id: created.json.applicationId as string,
    token: created.json.accessToken as string,
    email,
    replay: () =>
      testStack.api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } }),
  };
}

const read = (id: string, token: string) => testStack.api.call('GET', `/v1/applications/${id}`, { token });
const rotate = (id: string, token: string) =>
  testStack.api.call('POST', `/v1/applications/${id}/access-token`, { token });

/** Every merchant use of an application token: each must answer 401 for a dead token. */
async function expectRefusedEverywhere(id: string, token: string) {
  const calls: [string, string, unknown?][] = [
    ['GET', `/v1/applications/${id}`],
    ['PUT', `/v1/applications/${id}`, individualApplication()],
    [
      'POST',
      `/v1/applications/${id}/documents`,
      { kind: 'STORE_PHOTO', contentType: 'image/png', sizeBytes: 3 },
    ],
    ['POST', `/v1/applications/${id}/submit`],
    ['POST', `/v1/applications/${id}/withdraw`],
    ['POST', `/v1/applications/${id}/access-token`],
    ['DELETE', `/v1/applications/${id}/access-token`],
  ];
  for (const [method, path, body] of calls) {
    const res = await testStack.api.call(method, path, { token, body });
    expect(res.status, `${method} ${path}`).toBe(401);
    expect(res.json.error.code).toBe('UNAUTHENTICATED');
    figures.refusedOldTokenCalls += 1;
  }
}

async function timelineActions(id: string, token: string): Promise<{ action: string; actor: string }[]> {
  const view = await read(id, token);
  expect(view.status).toBe(200);
  return view.json.timeline;
}

describe('create replays (spec 6): no live token for whoever saw the request', () => {
  it('answers the first token only until its first authenticated use, even a read', async () => {
    const app = await draft();
    // Before any use: a lost response can be fetched again (same key, same body).
    const early = await app.replay();
    expect(early.status).toBe(201);
    expect(early.json).toMatchObject({ applicationId: app.id, status: 'DRAFT', accessToken: app.token });
    figures.replays += 1;

    // One GET is a use: from then on a replay answers the same 201 without the token.
    expect((await read(app.id, app.token)).status).toBe(200);
    const late = await app.replay();
    figures.replays += 1;
    expect(late.status).toBe(201);
    expect(late.json).toEqual({ applicationId: app.id, status: 'DRAFT', createdAt: early.json.createdAt });
    // The token still works for its holder, and its stored copy is gone from the table.
    expect((await read(app.id, app.token)).status).toBe(200);
    const items = await scanTable(testStack.stack.urls.dynamodb);
    expect(items.filter((item) => item.pk === `REPLAY#${app.id}`)).toEqual([]);
    expect(JSON.stringify(items)).not.toContain(app.token.split('.')[1]);
  });

  it('answers the first token after an authenticated write no more either, and another key gives another token', async () => {
    const app = await draft();
    const upload = await testStack.api.call('POST', `/v1/applications/${app.id}/documents`, {
      token: app.token,
      body: { kind: 'STORE_PHOTO', contentType: 'image/png', sizeBytes: 3 },
    });
    expect(upload.status).toBe(201);
    expect((await app.replay()).json).not.toHaveProperty('accessToken');
    figures.replays += 1;
    // The same body under another key: another application, with an unrelated random token.
    const twin = await draft(app.email);
    expect(twin.token.split('.')[1]).not.toBe(app.token.split('.')[1]);
  });
});

describe('merchant token rotation', () => {
  it('answers a new token; the old one is refused at once on every route, the new one works', async () => {
    const app = await draft();
    const rotated = await rotate(app.id, app.token);
    figures.rotations += 1;
    expect(rotated.status).toBe(201);
    expect(rotated.json.accessToken).toMatch(TOKEN_PATTERN);
    expect(rotated.json.accessToken.startsWith(`${app.id}.`)).toBe(true);
    expect(rotated.json.accessToken).not.toBe(app.token);
    expect(Date.parse(rotated.json.issuedAt)).not.toBeNaN();

    await expectRefusedEverywhere(app.id, app.token);
    expect((await read(app.id, rotated.json.accessToken)).status).toBe(200);

    // A replayed create (same key, same body) answers the application, but no token any more.
    const replayed = await app.replay();
    expect(replayed.status).toBe(201);
    expect(replayed.json.applicationId).toBe(app.id);
    expect(replayed.json).not.toHaveProperty('accessToken');

    // The audit timeline says who and what, never the token.
    const view = await read(app.id, rotated.json.accessToken);
    expect(view.json.timeline).toContainEqual(
      expect.objectContaining({ action: 'ACCESS_TOKEN_ROTATED', actor: `merchant:${app.id}` }),
    );
    expect(JSON.stringify(view.json)).not.toMatch(TOKEN_PATTERN);
  });

  it('of concurrent rotations with one token, exactly one wins; the others get 401', async () => {
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const app = await draft();
      const results = await Promise.all(Array.from({ length: RACERS }, () => rotate(app.id, app.token)));
      figures.races += 1;
      figures.racers += RACERS;
      const winners = results.filter((res) => res.status === 201);
      expect(winners).toHaveLength(1);
      for (const loser of results.filter((res) => res.status !== 201)) {
        expect(loser.status).toBe(401);
      }
      const winner = winners[0]?.json.accessToken as string;
      expect((await read(app.id, winner)).status).toBe(200);
      expect((await read(app.id, app.token)).status).toBe(401);
      const rotations = (await timelineActions(app.id, winner)).filter(
        (entry) => entry.action === 'ACCESS_TOKEN_ROTATED',
      );
      expect(rotations).toHaveLength(1);
    }
  });
});

describe('merchant token revocation and operator reissue', () => {
  it('revoked → 401 everywhere; the operator reissues to the contact email only; the new token works', async () => {
    const app = await draft();
    const revoked = await testStack.api.call('DELETE', `/v1/applications/${app.id}/access-token`, {
      token: app.token,
    });
    expect(revoked.status).toBe(204);
    await expectRefusedEverywhere(app.id, app.token);

    // Only an operator may reissue: a reviewer is refused, a merchant token is not a staff JWT.
    const byReviewer = await testStack.api.call('POST', `/v1/applications/${app.id}/access-token/reissue`, {
      token: testStack.reviewer,
    });
    expect(byReviewer.status).toBe(403);
    const byMerchant = await testStack.api.call('POST', `/v1/applications/${app.id}/access-token/reissue`, {
      token: app.token,
    });
    expect(byMerchant.status).toBe(401);
    const unknown = await testStack.api.call(
      'POST',
      '/v1/applications/01JD8X4ZQ3M6T0V7W9Y2B5C8EF/access-token/reissue',
      { token: testStack.operator },
    );
    expect(unknown.status).toBe(404);

    const reissued = await testStack.api.call('POST', `/v1/applications/${app.id}/access-token/reissue`, {
      token: testStack.operator,
    });
    expect(reissued.status).toBe(202);
    expect(JSON.stringify(reissued.json)).not.toMatch(TOKEN_PATTERN);
    expect(JSON.stringify(reissued.json)).not.toContain(app.email);
    expect(reissued.json.sentTo).toMatch(/\*/);

    const mail = await eventually(async () => {
      const { json } = await testStack.api.call('GET', '/_local/emails');
      return (json.messages as { to: string[]; subject: string; text?: string }[]).find(
        (message) => message.to.includes(app.email) && TOKEN_PATTERN.test(message.text ?? ''),
      );
    });
    // Sent to the registered contact alone.
    expect(mail.to).toEqual([app.email]);
    const newToken = TOKEN_PATTERN.exec(mail.text ?? '')?.[0] ?? '';
    expect(newToken.startsWith(`${app.id}.`)).toBe(true);
    expect((await read(app.id, newToken)).status).toBe(200);
    expect((await read(app.id, app.token)).status).toBe(401);

    const actions = await timelineActions(app.id, newToken);
    expect(actions).toContainEqual(
      expect.objectContaining({ action: 'ACCESS_TOKEN_REVOKED', actor: `merchant:${app.id}` }),
    );
    expect(actions).toContainEqual(
      expect.objectContaining({ action: 'ACCESS_TOKEN_REISSUED', actor: 'operator' }),
    );
  });

  it("an approved merchant's rotated token keeps its merchant routes; the old one loses them", async () => {
    const merchant = await approvedMerchant(testStack.api, testStack.reviewer);
    const rotated = await rotate(merchant.applicationId, merchant.token);
    figures.rotations += 1;
    expect(rotated.status).toBe(201);
    const path = `/v1/merchants/${merchant.merchantNo}`;
    expect((await testStack.api.call('GET', path, { token: rotated.json.accessToken })).status).toBe(200);
    expect((await testStack.api.call('GET', path, { token: merchant.token })).status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedMerchant } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * The audit of a merchant's limits (spec section 8) through GET …/limit-audit, against the real
 * local stack (DynamoDB Local): an operator's changes and an approved limit increase, each read back
 * newest first with who, when, why and what changed, page by page; staff only; the house's 400s
 * and 404.
 */

const LIMITS = {
  DEBIT: { perTransactionFen: 100_000, dailyFen: 500_000, monthlyFen: 1_000_000 },
  CREDIT: { perTransactionFen: 100_000, dailyFen: 500_000, monthlyFen: 1_000_000 },
  QR: { perTransactionFen: 50_000, dailyFen: 200_000, monthlyFen: 500_000 },
};

let t: TestStack;
let merchant: Awaited<ReturnType<typeof approvedMerchant>>;

beforeAll(async () => {
  t = await startTestStack('limit-audit', {
    DAILY_CHECKS_SETTINGS: JSON.stringify({ defaultLimits: { INDIVIDUAL: LIMITS }, contextCacheSeconds: 0 }),
  });
  merchant = await approvedMerchant(t.api, t.reviewer);
}, 240_000);

afterAll(async () => {
  await t?.stop();
});

const auditPath = (merchantNo: string, query = '') => `/v1/merchants/${merchantNo}/limit-audit${query}`;

async function putLimits(limits: Record<string, unknown>, reason: string) {
  const answer = await t.api.call('PUT', `/v1/merchants/${merchant.merchantNo}/limits`, {
    token: t.operator,
    body: { limits, reason },
  });
  expect(answer.status).toBe(200);
  return answer.json as { version: number };
}

interface AuditItem {
  version: number;
  at: string;
  actor: string;
  source: string;
  reason: string;
  cardTypes: string[];
  limits: Record<string, unknown>;
  taskId: string | null;
}

describe('GET /v1/merchants/{merchantNo}/limit-audit', () => {
  it('shows each change newest first: who, when, why, the card types it set and their figures', async () => {
    const empty = await t.api.call('GET', auditPath(merchant.merchantNo), { token: t.reviewer });
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ merchantNo: merchant.merchantNo, items: [], nextCursor: null });

    const credit = { perTransactionFen: 200_000, dailyFen: 600_000, monthlyFen: 2_000_000 };
    const qr = { perTransactionFen: 50_000, dailyFen: 300_000, monthlyFen: 500_000 };
    const before = new Date().toISOString();
    await putLimits({ CREDIT: credit }, 'annual review');
    await putLimits({ QR: qr }, 'Seasonal QR volume');

    // A limit increase the merchant asked for, approved by a reviewer: its task is in the entry.
    const asked = await t.api.call('POST', `/v1/merchants/${merchant.merchantNo}/limit-requests`, {
      token: merchant.token,
      body: { cardType: 'DEBIT', dailyFen: 800_000, monthlyFen: 3_000_000, reason: '节日备货' },
    });
    expect(asked.status).toBe(202);
    const approved = await t.api.call('POST', `/v1/reviews/${asked.json.taskId}/decision`, {
      token: t.reviewer,
      body: { decision: 'APPROVE' },
    });
    expect(approved.status).toBe(200);

    const audit = await t.api.call('GET', auditPath(merchant.merchantNo), { token: t.operator });
    expect(audit.status).toBe(200);
    const items = audit.json.items as AuditItem[];
    expect(audit.json.nextCursor).toBeNull();
    expect(items.map((item) => [item.version, item.source])).toEqual([
      [3, 'LIMIT_INCREASE'],
      [2, 'OPERATOR'],
      [1, 'OPERATOR'],
    ]);
    // Approved without a reason of the reviewer's: the trail says what the merchant asked for.
    expect(items[0]).toMatchObject({
      actor: 'staff:rev-1',
      reason: '节日备货',
      cardTypes: ['DEBIT'],
      limits: { DEBIT: { perTransactionFen: 100_000, dailyFen: 800_000, monthlyFen: 3_000_000 } },
      taskId: asked.json.taskId,
    });
    // The second change set QR only, though the merchant's own limits then held CREDIT too.
    expect(items[1]).toEqual({
      version: 2,
      at: expect.any(String),
      actor: 'staff:op-1',
      source: 'OPERATOR',
      reason: 'Seasonal QR volume',
      cardTypes: ['QR'],
      limits: { QR: qr },
      taskId: null,
    });
    expect(items[2]).toMatchObject({
      actor: 'staff:op-1',
      reason: 'annual review',
      cardTypes: ['CREDIT'],
      limits: { CREDIT: credit },
      taskId: null,
    });
    const times = items.map((item) => item.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(times.every((at) => at >= before)).toBe(true);

    // Page by page: the same entries, in the same order, and no empty last page.
    const seen: AuditItem[] = [];
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await t.api.call('GET', auditPath(merchant.merchantNo, query), { token: t.reviewer });
      expect(page.status).toBe(200);
      seen.push(...page.json.items);
      pages.push(page.json.items.length);
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(pages).toEqual([2, 1]);
    // The oldest change of the second page is still told apart from the one before it.
    expect(seen).toEqual(items);
    const one = await t.api.call('GET', auditPath(merchant.merchantNo, '?limit=1'), { token: t.reviewer });
    const second = await t.api.call(
      'GET',
      auditPath(merchant.merchantNo, `?limit=1&cursor=${encodeURIComponent(one.json.nextCursor)}`),
      { token: t.reviewer },
    );
    expect(second.json.items).toEqual([items[1]]);
  });

  it('refuses a bad limit, a forged cursor and an unknown parameter with their field paths', async () => {
    for (const limit of ['0', '101', 'ten', '']) {
      const bad = await t.api.call('GET', auditPath(merchant.merchantNo, `?limit=${limit}`), {
        token: t.reviewer,
      });
      expect(bad.status, limit).toBe(400);
      expect(bad.json.error.code).toBe('VALIDATION_FAILED');
      expect(bad.json.error.fields).toEqual([expect.objectContaining({ field: 'query.limit' })]);
    }
    // A cursor of another merchant's audit, and one of another listing, are not positions here.
    for (const key of [
      { pk: 'LIMIT#102110154119999', sk: 'AUDIT#2026-01-01T00:00:00.000Z#01J00000000000000000000000' },
      { pk: `LIMIT#${merchant.merchantNo}`, sk: 'LIMIT' },
      { pk: `LIMIT#${merchant.merchantNo}`, sk: 'AUDIT#x', gsi1pk: 'x' },
    ]) {
      const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
      const forged = await t.api.call('GET', auditPath(merchant.merchantNo, `?cursor=${cursor}`), {
        token: t.reviewer,
      });
      expect(forged.status).toBe(400);
      expect(forged.json.error.fields).toEqual([
        expect.objectContaining({ field: 'query.cursor', code: 'INVALID_FORMAT' }),
      ]);
    }
    const garbage = await t.api.call('GET', auditPath(merchant.merchantNo, '?cursor=not-a-cursor'), {
      token: t.reviewer,
    });
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.fields[0]).toMatchObject({ field: 'query.cursor', code: 'INVALID_FORMAT' });
    const unknown = await t.api.call('GET', auditPath(merchant.merchantNo, '?order=asc'), {
      token: t.reviewer,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields[0]).toMatchObject({ field: 'query.order', code: 'UNKNOWN_FIELD' });
  });

  it('is for staff only, and a merchant that does not exist is 404', async () => {
    // A staff-only route: the gateway refuses any credential that is not a staff token.
    const mine = await t.api.call('GET', auditPath(merchant.merchantNo), { token: merchant.token });
    expect(mine.status).toBe(401);
    expect(mine.json.error.code).toBe('UNAUTHENTICATED');
    expect((await t.api.call('GET', auditPath(merchant.merchantNo))).status).toBe(401);
    // Staff outside both groups.
    const outsider = await t.api.staffToken('staff-9', []);
    const refused = await t.api.call('GET', auditPath(merchant.merchantNo), { token: outsider });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('FORBIDDEN');

    const unknown = await t.api.call('GET', auditPath('102110154119999'), { token: t.reviewer });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('NOT_FOUND');
    // The merchant is read beside the audit's page: unknown, it is 404 even with a cursor that
    // would be refused as another merchant's.
    const key = {
      pk: `LIMIT#${merchant.merchantNo}`,
      sk: 'AUDIT#2026-01-01T00:00:00.000Z#01J00000000000000000000000',
    };
    const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
    const unknownWithCursor = await t.api.call('GET', auditPath('102110154119999', `?cursor=${cursor}`), {
      token: t.reviewer,
    });
    expect(unknownWithCursor.status).toBe(404);
    expect(unknownWithCursor.json.error.code).toBe('NOT_FOUND');
  });
});

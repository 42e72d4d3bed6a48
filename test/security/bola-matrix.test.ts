import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/manifest/functions';
import type { OwnedObjectKind, RouteDefinition } from '../../shared/manifest/types';
import { eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { approvedMerchant } from '../support/onboarding';
import { scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Issue 6, OWASP API1 (BOLA): for EVERY merchant route of the manifest, shared/manifest/ (the table is iterated,
 * so a new route cannot be missed), another merchant's credentials on merchant A's objects answer
 * 403/404 and change nothing: the whole table is read before and after each call and must be
 * identical. Attackers: merchant B (approved, its own objects exist), a draft applicant D (no
 * merchant yet) and merchant C (the receiver of A's transfer, for the sender-only routes). Each
 * request carries a body the route would accept from the owner, so ownership is the only reason
 * to refuse. Positive controls: A's own token reads each of its objects (200).
 */

let testStack: TestStack;
type Merchant = Awaited<ReturnType<typeof approvedMerchant>>;
let a: Merchant;
let b: Merchant;
let c: Merchant;
let draftA: { id: string; token: string };
let draftD: { id: string; token: string };
let snA: string;
let transferAtoC: string;
let changeA: string;
let changeB: string;
const figures = { routes: 0, cases: 0, refused404: 0, refused403: 0, tableScans: 0 };

const MERCHANT_AUTH = ['merchant', 'merchant-or-staff'];
const merchantRoutes = ROUTES.filter((route) => MERCHANT_AUTH.includes(route.auth));

async function draft(label: string) {
  const created = await testStack.api.call('POST', '/v1/applications', {
    body: individualApplication({ email: `${label}-${Date.now()}@example.com` }),
    headers: { 'idempotency-key': `bola-${label}-${Date.now()}` },
  });
  expect(created.status).toBe(201);
  return { id: created.json.applicationId as string, token: created.json.accessToken as string };
}

/** The table as one comparable string (items sorted by key). */
async function fingerprint(): Promise<string> {
  figures.tableScans += 1;
  const items = await scanTable(testStack.stack.urls.dynamodb);
  items.sort((x, y) => `${x.pk}\u0000${x.sk}`.localeCompare(`${y.pk}\u0000${y.sk}`));
  return JSON.stringify(items);
}

/** Waits until the background workflows stop writing (two equal scans in a row). */
async function quiescent(): Promise<string> {
  let previous = await fingerprint();
  return eventually(async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    const current = await fingerprint();
    const settled = current === previous;
    previous = current;
    return settled ? current : undefined;
  }, 60_000);
}

const validSettlement = {
  accountType: 'PERSONAL',
  accountName: '张三',
  accountNumber: '6222020200000000006',
  bankName: '中国工商银行',
  cycle: 'T1',
};

/** A body the owner could send on this route. */
function bodyFor(route: RouteDefinition): unknown {
  switch (route.functionName) {
    case 'update-application':
      return individualApplication();
    case 'create-document':
      return { kind: 'STORE_PHOTO', contentType: 'image/png', sizeBytes: 3 };
    case 'activate-terminal':
      return { activationCode: '123456' };
    case 'create-transfer-request':
      return { toMerchantNo: b.merchantNo, reason: 'BOLA probe' };
    case 'create-change-request':
      return { changes: { settlement: validSettlement }, reason: 'BOLA probe', expectedVersion: 1 };
    default:
      return undefined;
  }
}

/** A's objects of a kind, as path parameters (several targets for some kinds). */
function targetsOf(kind: OwnedObjectKind): Record<string, string>[] {
  switch (kind) {
    case 'application':
      return [{ id: draftA.id }, { id: a.applicationId }];
    case 'merchant':
      return [{ merchantNo: a.merchantNo }];
    case 'terminal':
      return [{ sn: snA }];
    case 'transfer-request':
      return [{ id: transferAtoC }];
    case 'change-request':
      // A's request under A's number, and under the attacker's own number (owner cross-check).
      return [
        { merchantNo: a.merchantNo, id: changeA },
        { merchantNo: b.merchantNo, id: changeA },
      ];
  }
}

function pathOf(route: RouteDefinition, params: Record<string, string>): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no ${name} for ${route.path}`);
    return encodeURIComponent(value);
  });
}

beforeAll(async () => {
  testStack = await startTestStack('bola', {
    REVIEW_ESCALATION_SECONDS: '600',
    REVIEW_FINAL_SECONDS: '1200',
    TRANSFER_ACCEPTANCE_SECONDS: '1200',
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  });
  const { api, reviewer, operator } = testStack;
  snA = `BOLA${Date.now().toString(36).toUpperCase()}`;
  const stocked = await api.call('POST', '/v1/terminals', {
    token: operator,
    body: { terminals: [{ serialNumber: snA, model: 'A8' }] },
  });
  expect(stocked.status).toBe(201);
  [a, b, c] = await Promise.all([
    approvedMerchant(api, reviewer, { serialNumber: snA }),
    approvedMerchant(api, reviewer),
    approvedMerchant(api, reviewer),
  ]);
  [draftA, draftD] = await Promise.all([draft('draft-a'), draft('draft-d')]);
  const transfer = await api.call('POST', `/v1/terminals/${snA}/transfer-requests`, {
    token: a.token,
    body: { toMerchantNo: c.merchantNo, reason: 'fixture' },
  });
  expect(transfer.status).toBe(202);
  transferAtoC = transfer.json.transferRequestId;
  const change = (m: Merchant) =>
    api.call('POST', `/v1/merchants/${m.merchantNo}/change-requests`, {
      token: m.token,
      body: { changes: { 'business.name': `${m.merchantNo} 新店名` }, reason: 'fixture', expectedVersion: 1 },
      headers: { 'idempotency-key': `bola-change-${m.merchantNo}` },
    });
  const [ca, cb] = await Promise.all([change(a), change(b)]);
  expect(ca.status).toBe(202);
  expect(cb.status).toBe(202);
  changeA = ca.json.changeRequestId;
  changeB = cb.json.changeRequestId;
  // The workflows wait for people now (acceptance, review): the table stops moving.
  await eventually(async () => {
    const got = await api.call('GET', `/v1/transfer-requests/${transferAtoC}`, { token: a.token });
    return got.json.status === 'AWAITING_ACCEPTANCE' ? got : undefined;
  });
  await eventually(async () => {
    const got = await api.call('GET', `/v1/reviews/${changeA}`, { token: reviewer });
    return got.status === 200 ? got : undefined;
  });
}, 240_000);

afterAll(async () => {
  console.info(`BOLA matrix figures: ${JSON.stringify(figures)}`);
  await testStack?.stop();
});

describe('BOLA matrix over every merchant route', () => {
  it('covers every merchant route of the table, each with a declared object kind', () => {
    expect(merchantRoutes.length).toBeGreaterThanOrEqual(17);
    for (const route of merchantRoutes) expect(route.object, `${route.method} ${route.path}`).toBeDefined();
    // The fixture answers a target for every kind a route declares.
    expect(changeB).toBeTruthy();
  });

  it("A's own token reaches each of A's objects (the refusals below are about ownership)", async () => {
    const { api } = testStack;
    const reads: [string, string][] = [
      [`/v1/applications/${draftA.id}`, draftA.token],
      [`/v1/applications/${a.applicationId}`, a.token],
      [`/v1/merchants/${a.merchantNo}`, a.token],
      [`/v1/transfer-requests/${transferAtoC}`, a.token],
      [`/v1/transfer-requests/${transferAtoC}`, c.token],
      [`/v1/merchants/${a.merchantNo}/change-requests/${changeA}`, a.token],
    ];
    for (const [path, token] of reads)
      expect((await api.call('GET', path, { token })).status, path).toBe(200);
  });

  it.each(merchantRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: other merchants on A’s objects → 403/404, nothing changed',
    async (_name, route) => {
      figures.routes += 1;
      const kind = route.object as OwnedObjectKind;
      const attackers: [string, string][] = [
        ['merchant B', b.token],
        ['draft applicant D', draftD.token],
      ];
      // C is the transfer's receiver: a party, but not the one the sender-only routes are for.
      if (kind === 'transfer-request' && route.functionName === 'cancel-transfer-request')
        attackers.push(['receiver C', c.token]);
      if (kind === 'terminal') attackers.push(['receiver C', c.token]);
      let before = await quiescent();
      for (const target of targetsOf(kind)) {
        for (const [who, token] of attackers) {
          const res = await testStack.api.call(route.method, pathOf(route, target), {
            token,
            body: bodyFor(route),
            headers: { 'idempotency-key': `bola-${Date.now()}-${figures.cases}` },
          });
          figures.cases += 1;
          const label = `${who} ${route.method} ${pathOf(route, target)}`;
          expect([403, 404], `${label} → ${res.status} ${JSON.stringify(res.json)}`).toContain(res.status);
          expect(res.json.error.code).toBe(res.status === 404 ? 'NOT_FOUND' : 'FORBIDDEN');
          if (res.status === 404) figures.refused404 += 1;
          else figures.refused403 += 1;
          // Nothing about A's object in the refusal.
          const text = JSON.stringify(res.json);
          expect(text, label).not.toContain(a.email);
          if (target.merchantNo !== a.merchantNo) expect(text, label).not.toContain(a.merchantNo);
          const after = await fingerprint();
          expect(after, `${label} changed the table`).toBe(before);
          before = after;
        }
      }
    },
    120_000,
  );
});

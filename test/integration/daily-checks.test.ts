import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  localKinesisClient,
  type Put,
  putTransactions,
  shanghaiTime,
  transaction,
} from '../../local/transaction-producer';
import type { TransactionRecord } from '../../shared/daily-checks/transaction';
import { eventually } from '../support/api-client';
import { approvedMerchant } from '../support/onboarding';
import { scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Daily checks (spec section 8) against the local stream: kinesalite, the poller doing what the
 * event source mapping does, the real consumer and DynamoDB Local. Small limits (configuration)
 * make every rule reachable with a few records; each rule's pattern is put on a day of its own,
 * so each day must show its one alert and nothing else.
 */

const LIMITS = {
  DEBIT: { perTransactionFen: 100_000, dailyFen: 500_000, monthlyFen: 1_000_000 },
  CREDIT: { perTransactionFen: 100_000, dailyFen: 500_000, monthlyFen: 1_000_000 },
  QR: { perTransactionFen: 50_000, dailyFen: 200_000, monthlyFen: 500_000 },
};

let t: TestStack;
let kinesis: KinesisClient;
let a: Awaited<ReturnType<typeof approvedMerchant>>;
let b: Awaited<ReturnType<typeof approvedMerchant>>;
let c: Awaited<ReturnType<typeof approvedMerchant>>;
const SN_A = 'DCA0000001';
const SN_C = 'DCC0000001';

/** Waits until the poller has read every shard to its end (twice in a row) and the queue is empty. */
async function settled(): Promise<void> {
  let quiet = 0;
  const deadline = Date.now() + 60_000;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error('the stream did not settle');
    await new Promise((resolve) => setTimeout(resolve, 150));
    quiet = t.stack.streamIdle() && t.stack.queueIdle() ? quiet + 1 : 0;
  }
}

/** Records the poller has handed to the consumer so far (redeliveries count again). */
async function handedOver(): Promise<number> {
  const stream = await t.api.call('GET', '/_local/stream');
  return (stream.json as { stats: { records: number } }).stats.records;
}

async function put(records: readonly Put[]): Promise<void> {
  const before = await handedOver();
  await putTransactions(kinesis, records);
  // The poller reports idle from its last poll: on a busy machine that poll may predate the put, so
  // first wait until every new record was handed over at least once.
  const deadline = Date.now() + 60_000;
  while ((await handedOver()) - before < records.length) {
    if (Date.now() > deadline) throw new Error('the poller did not take the new records');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await settled();
}

async function alertsOf(merchantNo: string) {
  const page = await t.api.call('GET', '/v1/reviews?limit=100', { token: t.reviewer });
  expect(page.status).toBe(200);
  return (
    page.json.items as { kind: string; merchantNo?: string; rule?: string; day?: string; taskId: string }[]
  ).filter((item) => item.kind === 'RISK_ALERT' && item.merchantNo === merchantNo);
}

/** The supervisor view's figures of one kind: pending, the oldest, and today's decisions (all kinds). */
async function figures(kind: 'RISK_ALERT' | 'LIMIT_INCREASE') {
  const answer = await t.api.call('GET', '/v1/reviews/stats', { token: t.reviewer });
  expect(answer.status).toBe(200);
  const entry = answer.json.queue.find((item: { kind: string }) => item.kind === kind);
  const day = answer.json.days.at(-1) as { decisions: Record<string, number> };
  return {
    pending: entry.pending as number,
    oldestCreatedAt: entry.oldestCreatedAt as string | null,
    decisions: day.decisions,
  };
}

function usage(merchantNo: string, token: string) {
  return t.api.call('GET', `/v1/merchants/${merchantNo}/limits`, { token });
}

beforeAll(async () => {
  t = await startTestStack(
    'daily-checks',
    {
      DAILY_CHECKS_SETTINGS: JSON.stringify({
        defaultLimits: { INDIVIDUAL: LIMITS },
        contextCacheSeconds: 0,
      }),
      OPERATOR_EMAIL: 'risk-ops@example.com',
      // The merchants of this file share the fixture's phone.
      SMS_PER_PHONE_PER_HOUR: '1000',
    },
    { faults: '' },
  );
  kinesis = localKinesisClient(t.stack.urls.kinesis);
  const stock = await t.api.call('POST', '/v1/terminals', {
    token: t.operator,
    body: {
      terminals: [
        { serialNumber: SN_A, model: 'A8' },
        { serialNumber: SN_C, model: 'A8' },
      ],
    },
  });
  expect(stock.status).toBe(201);
  [a, b, c] = await Promise.all([
    approvedMerchant(t.api, t.reviewer, { serialNumber: SN_A }),
    approvedMerchant(t.api, t.reviewer),
    approvedMerchant(t.api, t.reviewer, { serialNumber: SN_C }),
  ]);
}, 240_000);

afterAll(async () => {
  kinesis?.destroy();
  await t?.stop();
});

/** Today in Asia/Shanghai, so GET …/limits shows the usage of these records. */
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('usage', () => {
  it('counts approved sales minus approved voids and refunds, exactly once however often a batch comes again', async () => {
    const at = (minute: number) => shanghaiTime(today, `00:${String(minute).padStart(2, '0')}:00`);
    const records: TransactionRecord[] = [];
    for (let i = 0; i < 40; i++)
      records.push(
        transaction({
          merchantNo: b.merchantNo,
          at: new Date(Date.parse(at(1)) + i * 60_000).toISOString(),
          amountFen: 1_000 + i,
          cardType: i % 3 === 0 ? 'QR' : 'DEBIT',
          result: i % 10 === 9 ? 'DECLINED' : 'APPROVED',
          serialNumber: `DCB00000${i % 2}`,
        }),
      );
    records.push(
      transaction({ merchantNo: b.merchantNo, at: at(50), type: 'VOID', amountFen: 1_001 }),
      transaction({ merchantNo: b.merchantNo, at: at(51), type: 'REFUND', amountFen: 500 }),
      transaction({
        merchantNo: b.merchantNo,
        at: at(52),
        type: 'REFUND',
        amountFen: 700,
        result: 'DECLINED',
      }),
    );
    const expected = { DEBIT: { fen: 0, count: 0 }, QR: { fen: 0, count: 0 } } as Record<
      string,
      { fen: number; count: number }
    >;
    for (const record of records) {
      if (record.result !== 'APPROVED') continue;
      const card = expected[record.cardType] as { fen: number; count: number };
      card.fen += record.type === 'SALE' ? record.amountFen : -record.amountFen;
      if (record.type === 'SALE') card.count += 1;
    }
    // The first writes fail twice: the consumer reports the failed record and the poller retries from it.
    const armed = await t.api.call('POST', '/_local/faults', {
      body: { faults: 'dynamodb.TransactWriteItems:2:ValidationException' },
    });
    expect(armed.status).toBe(200);
    await put(records);
    await t.api.call('POST', '/_local/faults', { body: { faults: '' } });
    const stream = await t.api.call('GET', '/_local/stream');
    expect(stream.json.stats.retries).toBeGreaterThanOrEqual(1);

    const first = await usage(b.merchantNo, b.token);
    expect(first.status).toBe(200);
    expect(first.json.usage.day).toBe(today);
    expect(first.json.usage.DEBIT).toEqual({
      dayFen: expected.DEBIT?.fen,
      monthFen: expected.DEBIT?.fen,
      count: expected.DEBIT?.count,
    });
    expect(first.json.usage.QR).toEqual({
      dayFen: expected.QR?.fen,
      monthFen: expected.QR?.fen,
      count: expected.QR?.count,
    });
    expect(first.json.usage.CREDIT).toEqual({ dayFen: 0, monthFen: 0, count: 0 });

    // The same batch again (a producer retry, a redelivered batch): nothing changes.
    await put(records);
    await put(records.slice(10, 30));
    expect((await usage(b.merchantNo, b.token)).json.usage).toEqual(first.json.usage);
    // Normal traffic opens no alert.
    expect(await alertsOf(b.merchantNo)).toEqual([]);
  });

  it('shows limits to the merchant and staff only, and lets an operator change them with a reason (audited)', async () => {
    expect((await usage(b.merchantNo, a.token)).status).toBe(404);
    expect((await usage(b.merchantNo, t.reviewer)).status).toBe(200);
    expect((await t.api.call('GET', `/v1/merchants/${b.merchantNo}/limits`)).status).toBe(401);
    const body = {
      limits: { CREDIT: { perTransactionFen: 200_000, dailyFen: 600_000, monthlyFen: 2_000_000 } },
      reason: 'annual review',
    };
    expect(
      (await t.api.call('PUT', `/v1/merchants/${b.merchantNo}/limits`, { token: t.reviewer, body })).status,
    ).toBe(403);
    const bad = await t.api.call('PUT', `/v1/merchants/${b.merchantNo}/limits`, {
      token: t.operator,
      body: {
        limits: { CREDIT: { perTransactionFen: 700_000, dailyFen: 600_000, monthlyFen: 2_000_000 } },
        reason: 'x',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields[0].field).toBe('limits.CREDIT.dailyFen');
    const missingReason = await t.api.call('PUT', `/v1/merchants/${b.merchantNo}/limits`, {
      token: t.operator,
      body: { limits: body.limits },
    });
    expect(missingReason.status).toBe(400);
    const changed = await t.api.call('PUT', `/v1/merchants/${b.merchantNo}/limits`, {
      token: t.operator,
      body,
    });
    expect(changed.status).toBe(200);
    expect(changed.json.limits.CREDIT).toEqual(body.limits.CREDIT);
    expect(changed.json.limits.DEBIT).toEqual(LIMITS.DEBIT);
    expect(changed.json.own).toEqual(['CREDIT']);
    expect(changed.json.version).toBe(1);
    const stale = await t.api.call('PUT', `/v1/merchants/${b.merchantNo}/limits`, {
      token: t.operator,
      body: { ...body, expectedVersion: 0 },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('CONFLICT');
    const audit = (await scanTable(t.stack.urls.dynamodb)).filter(
      (item) => item.pk === `LIMIT#${b.merchantNo}` && item.sk.startsWith('AUDIT#'),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'staff:op-1',
      reason: 'annual review',
      fields: ['limits.CREDIT'],
    });
  });
});

describe('malformed records', () => {
  it('are set aside with their reason and never block the shard', async () => {
    const after = transaction({
      merchantNo: a.merchantNo,
      at: shanghaiTime(today, '08:00:00'),
      amountFen: 777,
      serialNumber: SN_A,
    });
    const before = (await usage(a.merchantNo, a.token)).json.usage.DEBIT.dayFen as number;
    await put([
      { raw: 'not json at all', partitionKey: a.merchantNo },
      { raw: JSON.stringify({ ...after, transactionId: 'BAD1', amountFen: -5 }), partitionKey: a.merchantNo },
      {
        raw: JSON.stringify({ ...after, transactionId: 'BAD2', merchantNo: '999999999999999' }),
        partitionKey: '999999999999999',
      },
      after,
    ]);
    expect((await usage(a.merchantNo, a.token)).json.usage.DEBIT.dayFen).toBe(before + 777);
    const rejected = (await scanTable(t.stack.urls.dynamodb)).filter((item) => item.pk.startsWith('REJECT#'));
    const reasons = rejected.map((item) => item.reason as string).sort();
    expect(reasons).toEqual(['INVALID: amountFen: too_small', 'NOT_JSON', 'UNKNOWN_MERCHANT']);
    expect((await t.api.call('GET', '/_local/stream')).json.onFailure).toEqual([]);
  });
});

/** Days of the rule patterns (past days of one month, one rule each). */
const DAY = {
  velocity: '2026-11-02',
  split: '2026-11-03',
  overLimit: '2026-11-04',
  location: '2026-11-05',
  declineSpike: '2026-11-06',
  offHours: '2026-11-07',
};
const minutes = (day: string, start: string, step: number, index: number) =>
  new Date(Date.parse(shanghaiTime(day, start)) + index * step * 60_000).toISOString();

describe('rules', () => {
  beforeAll(async () => {
    const m = a.merchantNo;
    const records: TransactionRecord[] = [];
    // Normal traffic on every pattern day: a few ordinary sales.
    for (const day of Object.values(DAY))
      for (let i = 0; i < 3; i++)
        records.push(
          transaction({
            merchantNo: m,
            at: minutes(day, '15:00:00', 45, i),
            amountFen: 5_000,
            serialNumber: SN_A,
          }),
        );
    for (let i = 0; i < 21; i++)
      records.push(
        transaction({
          merchantNo: m,
          at: minutes(DAY.velocity, '10:00:00', 0.4, i),
          amountFen: 800,
          serialNumber: SN_A,
        }),
      );
    for (let i = 0; i < 3; i++)
      records.push(
        transaction({
          merchantNo: m,
          at: minutes(DAY.split, '11:00:00', 10, i),
          amountFen: 95_000,
          serialNumber: SN_A,
        }),
      );
    records.push(
      transaction({
        merchantNo: m,
        at: shanghaiTime(DAY.overLimit, '12:00:00'),
        amountFen: 150_000,
        serialNumber: SN_A,
      }),
    );
    records.push(
      transaction({
        merchantNo: m,
        at: shanghaiTime(DAY.location, '12:00:00'),
        divisionCode: '310101',
        serialNumber: SN_A,
      }),
    );
    for (let i = 0; i < 20; i++)
      records.push(
        transaction({
          merchantNo: m,
          at: minutes(DAY.declineSpike, '13:00:00', 2.5, i),
          result: i < 9 ? 'APPROVED' : 'DECLINED',
          serialNumber: SN_A,
        }),
      );
    await put(records);
  });

  it('each fires on its own pattern once, and on nothing else', async () => {
    const alerts = await alertsOf(a.merchantNo);
    const byDay = Object.fromEntries(Object.entries(DAY).map(([, day]) => [day, [] as string[]]));
    for (const alert of alerts) byDay[alert.day as string]?.push(alert.rule as string);
    expect(byDay).toEqual({
      [DAY.velocity]: ['VELOCITY'],
      [DAY.split]: ['SPLIT'],
      [DAY.overLimit]: ['OVER_LIMIT'],
      [DAY.location]: ['LOCATION'],
      [DAY.declineSpike]: ['DECLINE_SPIKE'],
      [DAY.offHours]: [],
    });
    const velocity = alerts.find((alert) => alert.rule === 'VELOCITY');
    const full = await t.api.call('GET', `/v1/reviews/${velocity?.taskId}`, { token: t.reviewer });
    expect(full.status).toBe(200);
    expect(full.json.evidence.transactionIds).toHaveLength(21);
    expect(full.json.evidence.figures).toMatchObject({ sales: 21, windowMinutes: 10, maxSales: 20 });
    const over = alerts.find((alert) => alert.rule === 'OVER_LIMIT') as {
      cardType?: string;
      evidence?: { figures: unknown };
    };
    expect(over.cardType).toBe('DEBIT');
    expect(over.evidence?.figures).toMatchObject({
      limit: 'PER_TRANSACTION',
      limitFen: 100_000,
      amountFen: 150_000,
    });
  });

  it('opens one alert per merchant, rule and day however often the pattern repeats', async () => {
    await put(
      Array.from({ length: 25 }, (_, i) =>
        transaction({
          merchantNo: a.merchantNo,
          at: minutes(DAY.velocity, '18:00:00', 0.2, i),
          amountFen: 500,
          serialNumber: SN_A,
        }),
      ),
    );
    expect((await alertsOf(a.merchantNo)).filter((alert) => alert.rule === 'VELOCITY')).toHaveLength(1);
  });
});

describe('daily run', () => {
  const dormantSn = 'DORMANT0001';
  beforeAll(async () => {
    const m = c.merchantNo;
    // Off-hours: 4 × 500 yuan between 01:00 and 03:00, 100 yuan in the afternoon.
    const records: Put[] = [0, 1, 2, 3].map((i) =>
      transaction({
        merchantNo: m,
        at: minutes(DAY.offHours, '01:00:00', 40, i),
        amountFen: 50_000,
        serialNumber: SN_C,
      }),
    );
    records.push(
      transaction({
        merchantNo: m,
        at: shanghaiTime(DAY.offHours, '14:00:00'),
        amountFen: 10_000,
        serialNumber: SN_C,
      }),
    );
    // A terminal whose last approved sale was 30 days before the run's day.
    records.push(
      transaction({ merchantNo: m, at: shanghaiTime('2026-10-08', '10:00:00'), serialNumber: dormantSn }),
    );
    await put(records);
    // Above 80 % of the monthly limit (C's own limits), on the run's month.
    const raised = await t.api.call('PUT', `/v1/merchants/${m}/limits`, {
      token: t.operator,
      body: {
        limits: { QR: { perTransactionFen: 900_000, dailyFen: 900_000, monthlyFen: 1_000_000 } },
        reason: 'test',
      },
    });
    expect(raised.status).toBe(200);
    await put([
      transaction({
        merchantNo: m,
        at: shanghaiTime('2026-11-01', '16:00:00'),
        amountFen: 850_000,
        cardType: 'QR',
        serialNumber: SN_C,
      }),
    ]);
  });

  it('writes summaries, opens OFF_HOURS, tells the merchant once and reports dormant terminals once, however often it runs', async () => {
    const first = await t.api.call('POST', '/_local/daily-run', { body: { day: DAY.offHours, wait: true } });
    expect(first.status).toBe(200);
    await settled();
    const again = await t.api.call('POST', '/_local/daily-run', { body: { day: DAY.offHours, wait: true } });
    expect(again.json.run).toMatchObject({ status: 'COMPLETED', alreadyRun: true });

    const summaries = await t.api.call(
      'GET',
      `/v1/merchants/${c.merchantNo}/daily-summaries?from=${DAY.offHours}&to=${DAY.offHours}`,
      {
        token: c.token,
      },
    );
    expect(summaries.status).toBe(200);
    expect(summaries.json.items).toEqual([
      {
        day: DAY.offHours,
        cards: {
          DEBIT: { count: 5, amountFen: 210_000, declines: 0, alerts: 1 },
          CREDIT: { count: 0, amountFen: 0, declines: 0, alerts: 0 },
          QR: { count: 0, amountFen: 0, declines: 0, alerts: 0 },
        },
      },
    ]);
    const offHours = (await alertsOf(c.merchantNo)).filter((alert) => alert.rule === 'OFF_HOURS');
    expect(offHours).toHaveLength(1);
    const emails = (await t.api.call('GET', '/_local/emails')).json.messages as {
      to: string[];
      subject: string;
      text: string;
    }[];
    const notices = emails.filter((email) => email.to.includes(c.email) && email.subject.includes('80%'));
    expect(notices).toHaveLength(1);
    const reports = emails.filter((email) => email.to.includes('risk-ops@example.com'));
    expect(reports).toHaveLength(1);
    expect(reports[0]?.subject).toContain(DAY.offHours);
    expect(reports[0]?.text).toContain(dormantSn);
    // A third start of a completed day does nothing.
    await t.api.call('POST', '/_local/daily-run', { body: { day: DAY.offHours, wait: true } });
    const after = (await t.api.call('GET', '/_local/emails')).json.messages as { to: string[] }[];
    expect(after.filter((email) => email.to.includes('risk-ops@example.com'))).toHaveLength(1);
    const bad = await t.api.call('POST', '/_local/daily-run', { body: { day: '2026-02-30' } });
    expect(bad.status).toBe(400);
    const badRange = await t.api.call(
      'GET',
      `/v1/merchants/${c.merchantNo}/daily-summaries?from=2026-12-06&to=2026-12-01`,
      {
        token: c.token,
      },
    );
    expect(badRange.status).toBe(400);
    expect(badRange.json.error.fields[0]).toMatchObject({ field: 'from', code: 'AFTER_TO' });
  });
});

describe('decisions', () => {
  const decide = (taskId: string, body: unknown) =>
    t.api.call('POST', `/v1/reviews/${taskId}/decision`, { token: t.reviewer, body });
  const alert = async (merchantNo: string, rule: string) =>
    (await alertsOf(merchantNo)).find((item) => item.rule === rule) as { taskId: string };

  it('SUSPEND_TERMINAL: the terminal shows it wherever it is read and cannot be activated', async () => {
    const location = await alert(a.merchantNo, 'LOCATION');
    expect((await decide(location.taskId, { decision: 'APPROVE' })).json.error.fields[0]).toMatchObject({
      field: 'decision',
      code: 'NOT_ALLOWED',
    });
    expect((await decide(location.taskId, { decision: 'SUSPEND_TERMINAL' })).json.error.fields[0].field).toBe(
      'reasons',
    );
    // What only an onboarding decision takes is refused, not ignored.
    const foreign = await decide(location.taskId, {
      decision: 'SUSPEND_TERMINAL',
      reasons: [{ field: 'terminal', reason: '机具移机' }],
      feePlanCode: 'RETAIL-STD',
      checks: { phoneCallback: { done: true } },
    });
    expect(foreign.status).toBe(400);
    expect(
      foreign.json.error.fields.map((field: { field: string; code: string }) => [field.field, field.code]),
    ).toEqual([
      ['feePlanCode', 'NOT_ALLOWED'],
      ['checks', 'NOT_ALLOWED'],
    ]);
    const done = await decide(location.taskId, {
      decision: 'SUSPEND_TERMINAL',
      reasons: [{ field: 'terminal', reason: '机具移机' }],
    });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: 'DECIDED', decision: 'SUSPEND_TERMINAL' });
    expect(
      (await decide(location.taskId, { decision: 'DISMISS', reasons: [{ field: 'x', reason: 'y' }] })).status,
    ).toBe(409);
    const terminal = await t.api.call('GET', `/v1/terminals/${SN_A}`, { token: t.operator });
    expect(terminal.json).toMatchObject({ suspended: true, suspension: { taskId: location.taskId } });
    expect(terminal.json.history.map((entry: { action: string }) => entry.action)).toContain('SUSPENDED');
    const merchant = await t.api.call('GET', `/v1/merchants/${a.merchantNo}`, { token: a.token });
    expect(merchant.json.terminals).toEqual([
      expect.objectContaining({ serialNumber: SN_A, suspended: true }),
    ]);
    const activate = await t.api.call('POST', `/v1/terminals/${SN_A}/activate`, {
      token: a.token,
      body: { activationCode: '000000' },
    });
    expect(activate.status).toBe(409);
    expect(activate.json.error.code).toBe('TERMINAL_SUSPENDED');
  });

  it('LOWER_LIMITS: only lower, and the new limits apply', async () => {
    const velocity = await alert(a.merchantNo, 'VELOCITY');
    const higher = await decide(velocity.taskId, {
      decision: 'LOWER_LIMITS',
      reasons: [{ field: 'limits', reason: '高频交易' }],
      limits: { DEBIT: { perTransactionFen: 200_000, dailyFen: 500_000, monthlyFen: 1_000_000 } },
    });
    expect(higher.status).toBe(400);
    expect(higher.json.error.fields[0]).toMatchObject({
      field: 'limits.DEBIT.perTransactionFen',
      code: 'NOT_LOWER',
    });
    const lowered = { perTransactionFen: 10_000, dailyFen: 50_000, monthlyFen: 300_000 };
    const done = await decide(velocity.taskId, {
      decision: 'LOWER_LIMITS',
      reasons: [{ field: 'limits', reason: '高频交易' }],
      limits: { DEBIT: lowered },
    });
    expect(done.status).toBe(200);
    const limits = await usage(a.merchantNo, a.token);
    expect(limits.json.limits.DEBIT).toEqual(lowered);
    // The consumer applies them: a sale above the new per-transaction limit is OVER_LIMIT on its day.
    await put([
      transaction({
        merchantNo: a.merchantNo,
        at: shanghaiTime('2026-11-20', '10:00:00'),
        amountFen: 20_000,
        serialNumber: 'DCA0000009',
      }),
    ]);
    expect(
      (await alertsOf(a.merchantNo)).some((item) => item.rule === 'OVER_LIMIT' && item.day === '2026-11-20'),
    ).toBe(true);
  });

  it("DISMISS closes an alert with its reason, by the holder of the alert's claim only, and the supervisor view counts it", async () => {
    const spike = await alert(a.merchantNo, 'DECLINE_SPIKE');
    const before = await figures('RISK_ALERT');
    // Exact: as many pending alerts as the queue lists, the oldest one's age with them.
    const pending = (
      await t.api.call('GET', '/v1/reviews?limit=100', { token: t.reviewer })
    ).json.items.filter((item: { kind: string }) => item.kind === 'RISK_ALERT');
    expect(before.pending).toBe(pending.length);
    expect(before.oldestCreatedAt).toBe(pending[0].createdAt);

    const other = await t.api.staffToken('rev-2', ['reviewer']);
    expect((await t.api.call('POST', `/v1/reviews/${spike.taskId}/claim`, { token: other })).status).toBe(
      200,
    );
    const claimed = await decide(spike.taskId, {
      decision: 'DISMISS',
      reasons: [{ field: 'alert', reason: '银行系统故障' }],
    });
    expect(claimed.status).toBe(409);
    expect(claimed.json.error).toMatchObject({ code: 'REVIEW_CLAIMED', claimedBy: 'rev-2' });
    expect(await figures('RISK_ALERT')).toEqual(before);
    // The holder may call the merchant back: its contact on record, audited on the alert.
    const revealed = await t.api.call('POST', `/v1/reviews/${spike.taskId}/reveal`, {
      token: other,
      body: { field: 'contact.phone' },
    });
    expect(revealed.status).toBe(200);
    expect(revealed.json).toMatchObject({ of: 'merchant', id: a.merchantNo, field: 'contact.phone' });
    expect(revealed.json.value).toMatch(/^1\d{10}$/);

    const done = await t.api.call('POST', `/v1/reviews/${spike.taskId}/decision`, {
      token: other,
      body: { decision: 'DISMISS', reasons: [{ field: 'alert', reason: '银行系统故障' }] },
    });
    expect(done.status).toBe(200);
    const after = await figures('RISK_ALERT');
    expect(after.pending).toBe(before.pending - 1);
    expect(after.decisions.DISMISS).toBe((before.decisions.DISMISS ?? 0) + 1);
    const task = await t.api.call('GET', `/v1/reviews/${spike.taskId}`, { token: t.reviewer });
    expect(task.json).toMatchObject({
      status: 'DECIDED',
      decision: 'DISMISS',
      reasons: [{ reason: '银行系统故障' }],
      reveals: [{ field: 'contact.phone', by: 'rev-2' }],
      subject: null,
    });
  });

  it('SUSPEND_MERCHANT: the merchant is SUSPENDED everywhere, told by email and SMS, and can switch nothing on', async () => {
    const offHours = await alert(c.merchantNo, 'OFF_HOURS');
    const noTerminal = await decide(offHours.taskId, {
      decision: 'SUSPEND_TERMINAL',
      reasons: [{ field: 'x', reason: 'y' }],
    });
    expect(noTerminal.status).toBe(400);
    const done = await decide(offHours.taskId, {
      decision: 'SUSPEND_MERCHANT',
      reasons: [{ field: 'merchant', reason: '疑似套现' }],
    });
    expect(done.status).toBe(200);
    const merchant = await t.api.call('GET', `/v1/merchants/${c.merchantNo}`, { token: t.reviewer });
    expect(merchant.json.status).toBe('SUSPENDED');
    const email = await eventually(async () => {
      const { json } = await t.api.call('GET', `/_local/emails?to=${encodeURIComponent(c.email)}`);
      return (json.messages as { subject: string; text: string }[]).find((message) =>
        message.subject.includes('暂停'),
      );
    });
    expect(email.text).toContain('疑似套现');
    const sms = (await t.api.call('GET', '/_local/sms')).json.messages as { body: string }[];
    expect(
      sms.filter((message) => message.body.includes(`商户${c.merchantNo}因风险核查已暂停`)),
    ).toHaveLength(1);
    const activate = await t.api.call('POST', `/v1/terminals/${SN_C}/activate`, {
      token: c.token,
      body: { activationCode: '000000' },
    });
    expect(activate.status).toBe(409);
    expect(activate.json.error.code).toBe('MERCHANT_SUSPENDED');
    const test = await t.api.call('POST', `/v1/terminals/${SN_C}/test-transaction`, { token: c.token });
    expect(test.json.error.code).toBe('MERCHANT_SUSPENDED');
    const request = await t.api.call('POST', `/v1/merchants/${c.merchantNo}/limit-requests`, {
      token: c.token,
      body: { cardType: 'DEBIT', dailyFen: 600_000, monthlyFen: 2_000_000, reason: '扩大经营' },
    });
    expect(request.status).toBe(409);
    expect(request.json.error.code).toBe('MERCHANT_SUSPENDED');
  });
});

describe('limit increase (提额)', () => {
  it('is reviewed as a LIMIT_INCREASE task; approval applies the limits and tells the merchant', async () => {
    const body = { cardType: 'DEBIT', dailyFen: 800_000, monthlyFen: 3_000_000, reason: '节日备货' };
    const before = await figures('LIMIT_INCREASE');
    const lower = await t.api.call('POST', `/v1/merchants/${b.merchantNo}/limit-requests`, {
      token: b.token,
      body: { ...body, dailyFen: 100_000 },
    });
    expect(lower.status).toBe(400);
    expect(lower.json.error.fields[0]).toMatchObject({ field: 'dailyFen', code: 'NOT_AN_INCREASE' });
    const created = await t.api.call('POST', `/v1/merchants/${b.merchantNo}/limit-requests`, {
      token: b.token,
      body,
    });
    expect(created.status).toBe(202);
    expect(created.json.status).toBe('PENDING_REVIEW');
    const second = await t.api.call('POST', `/v1/merchants/${b.merchantNo}/limit-requests`, {
      token: b.token,
      body,
    });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe('CONFLICT');
    const other = await t.api.call('POST', `/v1/merchants/${b.merchantNo}/limit-requests`, {
      token: a.token,
      body,
    });
    expect(other.status).toBe(404);

    const queue = await t.api.call('GET', '/v1/reviews?limit=100', { token: t.reviewer });
    const task = (queue.json.items as { taskId: string; kind: string; request?: unknown }[]).find(
      (item) => item.taskId === created.json.taskId,
    );
    expect(task).toMatchObject({ kind: 'LIMIT_INCREASE', request: body });
    expect((await figures('LIMIT_INCREASE')).pending).toBe(before.pending + 1);
    const reject = await t.api.call('POST', `/v1/reviews/${created.json.taskId}/decision`, {
      token: t.reviewer,
      body: { decision: 'DISMISS', reasons: [{ field: 'x', reason: 'y' }] },
    });
    expect(reject.status).toBe(400);
    const approved = await t.api.call('POST', `/v1/reviews/${created.json.taskId}/decision`, {
      token: t.reviewer,
      body: { decision: 'APPROVE' },
    });
    expect(approved.status).toBe(200);
    const after = await figures('LIMIT_INCREASE');
    expect(after.pending).toBe(before.pending);
    expect(after.decisions.APPROVE).toBe((before.decisions.APPROVE ?? 0) + 1);
    const limits = await usage(b.merchantNo, b.token);
    expect(limits.json.limits.DEBIT).toEqual({
      perTransactionFen: LIMITS.DEBIT.perTransactionFen,
      dailyFen: 800_000,
      monthlyFen: 3_000_000,
    });
    // The operator's CREDIT limits stay.
    expect(limits.json.limits.CREDIT.dailyFen).toBe(600_000);
    const email = await eventually(async () => {
      const { json } = await t.api.call('GET', `/_local/emails?to=${encodeURIComponent(b.email)}`);
      return (json.messages as { subject: string; text: string }[]).find((message) =>
        message.subject.includes('提额'),
      );
    });
    expect(email.text).toContain('8000.00');
    // The request is closed: a new one may be made.
    const again = await t.api.call('POST', `/v1/merchants/${b.merchantNo}/limit-requests`, {
      token: b.token,
      body: { ...body, dailyFen: 900_000 },
    });
    expect(again.status).toBe(202);
  });
});

import { format } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  TABLE_NAME,
} from '../../local/constants';
import { DynamoDailyCheckDecisions } from '../../shared/adapters/dynamodb-daily-check-decisions';
import { DynamoDailyCheckStore } from '../../shared/adapters/dynamodb-daily-checks';
import { DynamoReviewTaskRepository } from '../../shared/adapters/dynamodb-reviews';
import { DynamoTable } from '../../shared/adapters/dynamodb-table';
import type { ReviewTaskRecord } from '../../shared/domain/review';
import * as keys from '../../shared/keys';
import { logger } from '../../shared/logger';
import { shanghaiDay } from '../../shared/retention/policy';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { verifyContacts } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * The review side of the staff console against the real local stack: claims with a lease (one
 * holder, renewal, conflicts on claim and decision, a lapsed lease), the audited reveal of the
 * call-back phone (refused without the claim and for any other field, audited without the value,
 * never logged), and the supervisor view's counters, exact after concurrent decisions,
 * escalations and a withdrawal.
 */

// Before any module builds the logger: every level, so that "never logged" is checked on all of them.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

/** Everything written to this process's console (the handlers run in it). */
/**
 * A maker of pending review tasks to write straight to the table: task `index` of `kind`, created
 * `index` seconds after `base` (so they list in index order), its id `idPrefix` (unique to this
 * run) and the index.
 */
function seededTasks(prefix: string, base: number) {
  const idPrefix = `${prefix}-${Date.now()}-`;
  const task = (index: number, kind: ReviewTaskRecord['kind']): ReviewTaskRecord => ({
    taskId: `${idPrefix}${String(index).padStart(2, '0')}`,
    kind,
    subjectId: `${idPrefix}${index}`,
    status: 'PENDING',
    createdAt: new Date(base + index * 1000).toISOString(),
    deadline: new Date(Date.now() + 600_000).toISOString(),
    finalDeadline: new Date(Date.now() + 1_200_000).toISOString(),
    escalated: false,
    automatedChecks: [],
    requiredChecks: [],
    summary: `${kind} ${index}`,
  });
  return { task, idPrefix };
}

const captured: string[] = [];
const restore: (() => void)[] = [];

function captureConsole(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      captured.push(`${format(...args)}\n`);
      original.apply(console, args);
    };
    restore.push(() => {
      console[method] = original;
    });
  }
}

let testStack: TestStack;
let api: ApiClient;
/** Two reviewers: `first` is the stack's own `rev-1`. */
let first: string;
let second: string;
let table: DynamoTable;
let reviews: DynamoReviewTaskRepository;
let dailyChecks: DynamoDailyCheckStore;
let dailyCheckDecisions: DynamoDailyCheckDecisions;
let phoneSequence = 0;

beforeAll(async () => {
  captureConsole();
  logger.setLogLevel('DEBUG');
  testStack = await startTestStack('review-claims', {
    SMS_PER_PHONE_PER_HOUR: '1000',
    EMAIL_PER_ADDRESS_PER_HOUR: '1000',
    // Neither escalation nor expiry by the workflow during the file: the counters test escalates
    // a task itself, as the workflow's step does.
    REVIEW_ESCALATION_SECONDS: '600',
    REVIEW_FINAL_SECONDS: '1200',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  });
  api = testStack.api;
  first = testStack.reviewer;
  second = await api.staffToken('rev-2', ['reviewer']);
  const client = new DynamoDBClient({
    endpoint: testStack.stack.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
  table = new DynamoTable(client, TABLE_NAME);
  reviews = new DynamoReviewTaskRepository(table);
  dailyChecks = new DynamoDailyCheckStore(new DynamoTable(client, TABLE_NAME));
  dailyCheckDecisions = new DynamoDailyCheckDecisions(new DynamoTable(client, TABLE_NAME));
}, 180_000);

afterAll(async () => {
  for (const undo of restore.splice(0)) undo();
  await testStack?.stop();
});

/** A submitted application waiting in the queue: its ids and contact phone. */
async function pendingApplication(): Promise<{
  applicationId: string;
  token: string;
  taskId: string;
  phone: string;
}> {
  phoneSequence += 1;
  const phone = `1390000${String(4000 + phoneSequence).padStart(4, '0')}`;
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ phone, email: `claims-${Date.now()}-${phoneSequence}@example.com` }),
    headers: { 'idempotency-key': `claims-${Date.now()}-${phoneSequence}` },
  });
  expect(created.status).toBe(201);
  const { applicationId, accessToken: token } = created.json as {
    applicationId: string;
    accessToken: string;
  };
  await verifyContacts(api, applicationId, token);
  for (const kind of ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO']) {
    const doc = await api.call('POST', `/v1/applications/${applicationId}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
  expect((await api.call('POST', `/v1/applications/${applicationId}/submit`, { token })).status).toBe(202);
  const task = await eventually(async () => {
    const page = await api.call('GET', '/v1/reviews?limit=100', { token: first });
    return (page.json.items as { taskId: string; subjectId: string }[]).find(
      (item) => item.subjectId === applicationId,
    );
  });
  return { applicationId, token, taskId: task.taskId, phone };
}

const approve = { decision: 'APPROVE', checks: { phoneCallback: { done: true } } };
const reject = { decision: 'REJECT', reasons: [{ field: 'business.name', reason: 'Not on the licence' }] };

// biome-ignore lint/suspicious/noExplicitAny: the stats answer, loosely typed
async function stats(): Promise<any> {
  const answer = await api.call('GET', '/v1/reviews/stats', { token: first });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json;
}

/** The pending and escalated counts of applications, and today's (or `day`'s) figures. */
async function applicationFigures(day = shanghaiDay(new Date())) {
  const json = await stats();
  const kind = json.queue.find((entry: { kind: string }) => entry.kind === 'APPLICATION');
  const today = json.days.find((entry: { day: string }) => entry.day === day);
  return {
    pending: kind.pending as number,
    escalated: kind.escalated as number,
    oldestCreatedAt: kind.oldestCreatedAt as string | null,
    approved: today.decisions.APPROVE as number,
    rejected: today.decisions.REJECT as number,
    escalations: today.escalations as number,
  };
}

describe('claims on review tasks', () => {
  it('gives one reviewer the lease, lets the holder renew it, refuses the other reviewer a claim or a decision, and shows it in the queue', async () => {
    const app = await pendingApplication();
    const claimed = await api.call('POST', `/v1/reviews/${app.taskId}/claim`, { token: first });
    expect(claimed.status).toBe(200);
    expect(claimed.json).toMatchObject({ taskId: app.taskId, claimedBy: 'rev-1', leaseSeconds: 900 });
    const until = Date.parse(claimed.json.claimedUntil);
    expect(until - Date.now()).toBeGreaterThan(890_000);

    const other = await api.call('POST', `/v1/reviews/${app.taskId}/claim`, { token: second });
    expect(other.status).toBe(409);
    expect(other.json.error).toMatchObject({
      code: 'REVIEW_CLAIMED',
      claimedBy: 'rev-1',
      claimedUntil: claimed.json.claimedUntil,
    });

    await new Promise((resolve) => setTimeout(resolve, 20));
    const renewed = await api.call('POST', `/v1/reviews/${app.taskId}/claim`, { token: first, body: {} });
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.json.claimedUntil)).toBeGreaterThan(until);

    const page = await api.call('GET', '/v1/reviews?limit=100', { token: second });
    const row = page.json.items.find((item: { taskId: string }) => item.taskId === app.taskId);
    expect(row.claim).toEqual({ by: 'rev-1', until: renewed.json.claimedUntil });

    const refused = await api.call('POST', `/v1/reviews/${app.taskId}/decision`, {
      token: second,
      body: approve,
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('REVIEW_CLAIMED');
    expect((await api.call('GET', `/v1/reviews/${app.taskId}`, { token: second })).json.status).toBe(
      'PENDING',
    );

    const decided = await api.call('POST', `/v1/reviews/${app.taskId}/decision`, {
      token: first,
      body: approve,
    });
    expect(decided.status).toBe(200);
    const late = await api.call('POST', `/v1/reviews/${app.taskId}/claim`, { token: second });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('INVALID_STATE');
    expect((await api.call('POST', '/v1/reviews/NOPE-1/claim', { token: first })).status).toBe(404);
    const withBody = await api.call('POST', `/v1/reviews/${app.taskId}/claim`, {
      token: first,
      body: { minutes: 60 },
    });
    expect(withBody.status).toBe(400);
    expect(withBody.json.error.fields[0]).toMatchObject({ field: 'minutes', code: 'UNKNOWN_FIELD' });
  }, 120_000);

  it('lets two reviewers racing for one task hold it one at a time', async () => {
    const app = await pendingApplication();
    const answers = await Promise.all(
      [first, second, first, second].map((token) =>
        api.call('POST', `/v1/reviews/${app.taskId}/claim`, { token }),
      ),
    );
    const holders = new Set(answers.filter((a) => a.status === 200).map((a) => a.json.claimedBy));
    expect(holders.size).toBe(1);
    expect(answers.filter((a) => a.status === 409).every((a) => a.json.error.code === 'REVIEW_CLAIMED')).toBe(
      true,
    );
  }, 120_000);

  it('holds nothing once the lease has lapsed: another reviewer may claim the task, the conditional write decides', async () => {
    const app = await pendingApplication();
    const t0 = new Date();
    const task = (await reviews.get(app.taskId)) as ReviewTaskRecord;
    expect(await reviews.claim(app.taskId, 'rev-a', t0, new Date(t0.getTime() + 1000))).toMatchObject({
      claimedBy: 'rev-a',
    });
    // Live: refused to another, renewed for the holder.
    expect(
      await reviews.claim(app.taskId, 'rev-b', new Date(t0.getTime() + 500), new Date(t0.getTime() + 9000)),
    ).toBe(undefined);
    const decision = {
      decision: 'APPROVE' as const,
      reasons: [],
      checks: { phoneCallback: { done: true } },
      decidedBy: 'rev-b',
      decidedAt: new Date(t0.getTime() + 500).toISOString(),
    };
    expect(await reviews.decide(app.taskId, decision, task)).toBe(false);
    // Lapsed (the lease ended at t0 + 1 s): rev-b claims it.
    expect(
      await reviews.claim(
        app.taskId,
        'rev-b',
        new Date(t0.getTime() + 1500),
        new Date(t0.getTime() + 900_000),
      ),
    ).toMatchObject({ claimedBy: 'rev-b' });
    const other = await api.call('POST', `/v1/reviews/${app.taskId}/claim`, { token: first });
    expect(other.status).toBe(409);
    expect(other.json.error).toMatchObject({ code: 'REVIEW_CLAIMED', claimedBy: 'rev-b' });
  }, 120_000);
});

describe('the audited reveal of the call-back phone', () => {
  it('answers the contact phone only to the holder of the claim, audits who, when and which field, and never logs the value', async () => {
    const app = await pendingApplication();
    const path = `/v1/reviews/${app.taskId}/reveal`;
    const body = { field: 'contact.phone' };

    const unclaimed = await api.call('POST', path, { token: first, body });
    expect(unclaimed.status).toBe(409);
    expect(unclaimed.json.error.code).toBe('CLAIM_REQUIRED');
    expect(JSON.stringify(unclaimed.json)).not.toContain(app.phone);

    expect((await api.call('POST', `/v1/reviews/${app.taskId}/claim`, { token: first })).status).toBe(200);
    const notHolder = await api.call('POST', path, { token: second, body });
    expect(notHolder.status).toBe(409);
    expect(notHolder.json.error).toMatchObject({ code: 'CLAIM_REQUIRED', claimedBy: 'rev-1' });

    for (const field of ['legalPerson.idNumber', 'settlement.accountNumber', 'legalPerson.phone']) {
      const other = await api.call('POST', path, { token: first, body: { field } });
      expect(other.status).toBe(400);
      expect(other.json.error.fields).toEqual([
        expect.objectContaining({ field: 'field', code: 'NOT_ALLOWED' }),
      ]);
    }
    const extra = await api.call('POST', path, { token: first, body: { ...body, why: 'x' } });
    expect(extra.status).toBe(400);
    // Refusals write no audit entry.
    expect((await api.call('GET', `/v1/reviews/${app.taskId}`, { token: first })).json.reveals).toEqual([]);

    const before = captured.length;
    const revealed = await api.call('POST', path, { token: first, body });
    expect(revealed.status).toBe(200);
    expect(revealed.json).toMatchObject({
      taskId: app.taskId,
      field: 'contact.phone',
      value: app.phone,
      of: 'application',
      id: app.applicationId,
    });
    const logged = captured.slice(before).join('');
    expect(logged).toContain('field revealed');
    expect(logged).not.toContain(app.phone);

    const detail = await api.call('GET', `/v1/reviews/${app.taskId}`, { token: second });
    expect(detail.json.reveals).toEqual([
      { field: 'contact.phone', by: 'rev-1', at: revealed.json.revealedAt },
    ]);
    // The subject stays masked for everyone; the value is in the reveal's answer only.
    expect(JSON.stringify(detail.json)).not.toContain(app.phone);

    expect(
      (await api.call('POST', `/v1/reviews/${app.taskId}/decision`, { token: first, body: approve })).status,
    ).toBe(200);
    const afterDecision = await api.call('POST', path, { token: first, body });
    expect(afterDecision.status).toBe(409);
    expect(afterDecision.json.error.code).toBe('INVALID_STATE');
  }, 120_000);
});

describe('the supervisor view', () => {
  it('keeps the counters exact through task creation, concurrent decisions, a withdrawal and an escalation', async () => {
    const start = await applicationFigures();
    const apps = await Promise.all([1, 2, 3, 4, 5].map(() => pendingApplication()));
    const created = await applicationFigures();
    expect(created.pending).toBe(start.pending + 5);
    const queue = await api.call('GET', '/v1/reviews?limit=100', { token: first });
    const pendingApplications = queue.json.items.filter(
      (item: { kind: string }) => item.kind === 'APPLICATION',
    );
    expect(created.pending).toBe(pendingApplications.length);
    expect(created.oldestCreatedAt).toBe(pendingApplications[0].createdAt);

    // Two approvals and a rejection at once, by two reviewers: the shared counters stay exact.
    const [a, b, c, d, e] = apps as [
      (typeof apps)[0],
      (typeof apps)[0],
      (typeof apps)[0],
      (typeof apps)[0],
      (typeof apps)[0],
    ];
    const answers = await Promise.all([
      api.call('POST', `/v1/reviews/${a.taskId}/decision`, { token: first, body: approve }),
      api.call('POST', `/v1/reviews/${b.taskId}/decision`, { token: second, body: approve }),
      api.call('POST', `/v1/reviews/${c.taskId}/decision`, { token: first, body: reject }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    // A second decision is refused and counts nothing.
    expect(
      (await api.call('POST', `/v1/reviews/${a.taskId}/decision`, { token: second, body: approve })).status,
    ).toBe(409);
    const decided = await applicationFigures();
    expect(decided).toMatchObject({
      pending: created.pending - 3,
      approved: start.approved + 2,
      rejected: start.rejected + 1,
    });

    // A withdrawal closes its task: out of the queue, not a decision.
    const withdrawn = await api.call('POST', `/v1/applications/${d.applicationId}/withdraw`, {
      token: d.token,
    });
    expect(withdrawn.status).toBe(200);
    await eventually(async () =>
      (await applicationFigures()).pending === decided.pending - 1 ? true : undefined,
    );
    expect(await applicationFigures()).toMatchObject({
      approved: decided.approved,
      rejected: decided.rejected,
    });

    // Escalation (the workflow's step, run here on the task): counted once, however often it runs.
    const before = await applicationFigures();
    const now = new Date();
    expect(await reviews.markEscalated(e.taskId, now)).toBe(true);
    expect(await reviews.markEscalated(e.taskId, now)).toBe(true);
    const escalated = await applicationFigures(shanghaiDay(now));
    expect(escalated).toMatchObject({
      pending: before.pending,
      escalated: before.escalated + 1,
      escalations: before.escalations + 1,
    });
    // Deciding an escalated task takes it off both counts (the decision reads the escalation again).
    expect(
      (await api.call('POST', `/v1/reviews/${e.taskId}/decision`, { token: first, body: approve })).status,
    ).toBe(200);
    expect(await applicationFigures()).toMatchObject({
      pending: before.pending - 1,
      escalated: before.escalated,
      escalations: before.escalations + 1,
      approved: decided.approved + 1,
    });
  }, 240_000);

  it("counts the daily checks' tasks like every other: risk alerts and limit requests enter the counts and their kind's queue when opened, and leave them when decided — never under another reviewer's live claim", async () => {
    const kindFigures = async (kind: 'RISK_ALERT' | 'LIMIT_INCREASE') => {
      const json = await stats();
      const entry = json.queue.find((item: { kind: string }) => item.kind === kind);
      const today = json.days.find((item: { day: string }) => item.day === shanghaiDay(new Date()));
      return {
        pending: entry.pending as number,
        escalated: entry.escalated as number,
        oldestCreatedAt: entry.oldestCreatedAt as string | null,
        decisions: today.decisions as Record<string, number>,
      };
    };
    const alertsBefore = await kindFigures('RISK_ALERT');
    const requestsBefore = await kindFigures('LIMIT_INCREASE');
    expect(alertsBefore).toMatchObject({ pending: 0, oldestCreatedAt: null });

    // The task shapes the consumer, the daily run and the limit-request route write (fake merchant:
    // no decision below looks it up, the adapter's transaction is what is checked).
    const merchantNo = `M${Date.now()}`;
    const at = (offsetMs: number) => new Date(Date.now() - 60_000 + offsetMs).toISOString();
    const task = (
      taskId: string,
      createdAt: string,
      fields: Partial<ReviewTaskRecord>,
    ): ReviewTaskRecord => ({
      taskId,
      kind: 'RISK_ALERT',
      subjectId: merchantNo,
      merchantNo,
      status: 'PENDING',
      createdAt,
      deadline: new Date(Date.now() + 600_000).toISOString(),
      finalDeadline: new Date(Date.now() + 1_200_000).toISOString(),
      escalated: false,
      automatedChecks: [],
      requiredChecks: [],
      summary: taskId,
      ...fields,
    });
    const day = shanghaiDay(new Date());
    const alert = (rule: string, offsetMs: number) =>
      task(`RISK-${merchantNo}-${rule}-${day}`, at(offsetMs), {
        rule,
        day,
        cardType: 'DEBIT',
        evidence: { transactionIds: ['T1'], figures: { count: 9 } },
      });
    const [velocity, split, offHours] = [alert('VELOCITY', 0), alert('SPLIT', 1), alert('OFF_HOURS', 2)];
    // Two alerts in one chunk of the stream's consumer (one counters update for both), one from the
    // daily run, one limit request.
    const chunk = {
      merchantNo,
      markers: [],
      days: [],
      months: [],
      windows: [],
      activeDays: [],
      alerts: [velocity, split],
      markerExpiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
    expect(await dailyChecks.commitChunk(chunk)).toBeUndefined();
    expect(await dailyChecks.openAlert(offHours, day, 'DEBIT')).toBe(true);
    // Opened once: the same alert again counts nothing.
    expect(await dailyChecks.openAlert(offHours, day, 'DEBIT')).toBe(false);
    const request = task(`LIM-${merchantNo}`, at(3), {
      kind: 'LIMIT_INCREASE',
      subjectId: `LIM-${merchantNo}`,
      cardType: 'DEBIT',
      request: { cardType: 'DEBIT', dailyFen: 900_000, monthlyFen: 3_000_000, reason: 'Festival stock' },
    });
    expect(await dailyChecks.openLimitRequest(request)).toBe(true);
    expect(await kindFigures('RISK_ALERT')).toMatchObject({
      pending: alertsBefore.pending + 3,
      escalated: alertsBefore.escalated,
      oldestCreatedAt: velocity.createdAt,
    });
    expect(await kindFigures('LIMIT_INCREASE')).toMatchObject({
      pending: requestsBefore.pending + 1,
      oldestCreatedAt: request.createdAt,
    });

    // rev-2 claims the oldest alert: rev-1's decision is refused, by the route and, for a decision
    // that read the task before the claim, by the condition of the decision's own transaction.
    const seen = (await reviews.get(velocity.taskId)) as ReviewTaskRecord;
    expect((await api.call('POST', `/v1/reviews/${velocity.taskId}/claim`, { token: second })).status).toBe(
      200,
    );
    const refused = await api.call('POST', `/v1/reviews/${velocity.taskId}/decision`, {
      token: first,
      body: { decision: 'DISMISS', reasons: [{ field: 'alert', reason: 'Known pattern' }] },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'REVIEW_CLAIMED', claimedBy: 'rev-2' });
    const dismiss = (of: ReviewTaskRecord, by: string) =>
      dailyCheckDecisions.decide({
        task: of,
        decision: 'DISMISS',
        reasons: [{ field: 'alert', reason: 'Known pattern' }],
        decidedBy: by,
        decidedAt: new Date().toISOString(),
        effect: { kind: 'none' },
      });
    expect(await dismiss(seen, 'rev-1')).toBe('TASK_CHANGED');
    expect(await kindFigures('RISK_ALERT')).toMatchObject({ pending: alertsBefore.pending + 3 });
    // The holder decides: out of the counts and of its kind's queue, one DISMISS today.
    expect(await dismiss(seen, 'rev-2')).toBe('DECIDED');
    expect(await dismiss(seen, 'rev-2')).toBe('TASK_CHANGED');
    expect(await kindFigures('RISK_ALERT')).toMatchObject({
      pending: alertsBefore.pending + 2,
      oldestCreatedAt: split.createdAt,
      decisions: { ...alertsBefore.decisions, DISMISS: (alertsBefore.decisions.DISMISS ?? 0) + 1 },
    });

    // Every decision counts under its own name; the queues are empty again.
    expect(
      await dailyCheckDecisions.decide({
        task: split,
        decision: 'SUSPEND_MERCHANT',
        reasons: [{ field: 'merchant', reason: 'Cash-out' }],
        decidedBy: 'rev-1',
        decidedAt: new Date().toISOString(),
        effect: { kind: 'none' },
      }),
    ).toBe('DECIDED');
    expect(await dismiss(offHours, 'rev-1')).toBe('DECIDED');
    expect(
      await dailyCheckDecisions.decide({
        task: request,
        decision: 'REJECT',
        reasons: [{ field: 'dailyFen', reason: 'Too high' }],
        decidedBy: 'rev-1',
        decidedAt: new Date().toISOString(),
        effect: { kind: 'none' },
        closesRequest: { merchantNo, cardType: 'DEBIT' },
      }),
    ).toBe('DECIDED');
    const alertsAfter = await kindFigures('RISK_ALERT');
    expect(alertsAfter).toMatchObject({ pending: alertsBefore.pending, oldestCreatedAt: null });
    expect(alertsAfter.decisions).toMatchObject({
      DISMISS: (alertsBefore.decisions.DISMISS ?? 0) + 2,
      SUSPEND_MERCHANT: (alertsBefore.decisions.SUSPEND_MERCHANT ?? 0) + 1,
      REJECT: (alertsBefore.decisions.REJECT ?? 0) + 1,
    });
    expect(await kindFigures('LIMIT_INCREASE')).toMatchObject({
      pending: requestsBefore.pending,
      oldestCreatedAt: null,
    });
  }, 120_000);

  it('answers fourteen days oldest first, refuses unknown query parameters, and only to reviewers', async () => {
    const json = await stats();
    expect(json.days).toHaveLength(14);
    expect(json.days.at(-1).day).toBe(shanghaiDay(new Date(json.asOf)));
    expect(json.days.map((day: { day: string }) => day.day)).toEqual(
      [...json.days.map((day: { day: string }) => day.day)].sort(),
    );
    expect(json.queue.map((kind: { kind: string }) => kind.kind)).toEqual([
      'APPLICATION',
      'CHANGE_REQUEST',
      'TERMINAL_TRANSFER',
      'RISK_ALERT',
      'LIMIT_INCREASE',
    ]);
    expect(Object.keys(json.days[0].decisions)).toEqual([
      'APPROVE',
      'REJECT',
      'REQUEST_CHANGES',
      'DISMISS',
      'SUSPEND_TERMINAL',
      'SUSPEND_MERCHANT',
      'LOWER_LIMITS',
    ]);
    expect(json.queue.find((kind: { kind: string }) => kind.kind === 'TERMINAL_TRANSFER')).toMatchObject({
      pending: 0,
      oldestCreatedAt: null,
      oldestAgeSeconds: null,
    });
    const withQuery = await api.call('GET', '/v1/reviews/stats?days=30', { token: first });
    expect(withQuery.status).toBe(400);
    expect((await api.call('GET', '/v1/reviews/stats', { token: testStack.operator })).status).toBe(403);
  }, 60_000);
});

describe('the queue of one kind', () => {
  it('lists only the pending tasks of the kind asked for, oldest first across pages, through its own queue; refuses a cursor of another listing and an unknown kind', async () => {
    // Older than anything else in the queue, so they come first; applications older still and more
    // numerous than a page, as a reviewer looking for risk alerts behind a long queue would find them.
    const { task: seeded } = seededTasks('KINDQ', Date.UTC(2020, 0, 1));
    const tasks = [
      ...Array.from({ length: 6 }, (_, index) => seeded(index, 'APPLICATION')),
      seeded(6, 'RISK_ALERT'),
      seeded(7, 'APPLICATION'),
      seeded(8, 'RISK_ALERT'),
      seeded(9, 'LIMIT_INCREASE'),
      seeded(10, 'RISK_ALERT'),
      seeded(11, 'RISK_ALERT'),
    ];
    for (const task of tasks) expect(await reviews.create(task, `token-${task.taskId}`)).toBe(true);
    const alerts = tasks.filter((task) => task.kind === 'RISK_ALERT');
    try {
      // Decided or closed since: out of its kind's queue too.
      const closed = alerts.pop() as ReviewTaskRecord;
      expect(await reviews.close(closed.taskId, 'CANCELLED')).toBe(true);

      const listed: { taskId: string; kind: string; createdAt: string; summary: string }[] = [];
      const cursors: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?kind=RISK_ALERT&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await api.call('GET', `/v1/reviews${query}`, { token: first });
        expect(page.status).toBe(200);
        expect(page.json.items.length).toBeLessThanOrEqual(2);
        listed.push(...page.json.items);
        cursor = page.json.nextCursor;
        if (cursor) cursors.push(cursor);
      } while (cursor);
      expect(cursors.length).toBeGreaterThan(0);
      expect(new Set(listed.map((item) => item.kind))).toEqual(new Set(['RISK_ALERT']));
      const createdAt = listed.map((item) => item.createdAt);
      expect(createdAt).toEqual([...createdAt].sort());
      // Ours are the oldest alerts, in order, with the item shape of the whole queue's listing.
      expect(listed.slice(0, alerts.length).map((item) => item.taskId)).toEqual(alerts.map((t) => t.taskId));
      expect(listed.map((item) => item.taskId)).not.toContain(closed.taskId);
      // The same item shape as the whole queue's listing, whose oldest task is the first application.
      const whole = await api.call('GET', '/v1/reviews?limit=1', { token: first });
      expect(whole.json.items[0].taskId).toBe(tasks[0]?.taskId);
      expect(Object.keys(listed[0] ?? {}).sort()).toEqual(Object.keys(whole.json.items[0]).sort());
      expect(listed[0]).toMatchObject({ summary: 'RISK_ALERT 6', claim: null });
      const applications = await api.call('GET', '/v1/reviews?kind=APPLICATION&limit=100', { token: first });
      expect(applications.json.items.slice(0, 7).map((item: { taskId: string }) => item.taskId)).toEqual(
        tasks.filter((task) => task.kind === 'APPLICATION').map((task) => task.taskId),
      );

      // A cursor is good only for the listing that gave it.
      const alertCursor = encodeURIComponent(cursors[0] as string);
      const wholeCursor = encodeURIComponent(whole.json.nextCursor as string);
      for (const query of [
        `kind=APPLICATION&cursor=${alertCursor}`,
        `cursor=${alertCursor}`,
        `kind=RISK_ALERT&cursor=${wholeCursor}`,
      ]) {
        const refused = await api.call('GET', `/v1/reviews?${query}`, { token: first });
        expect(refused.status, query).toBe(400);
        expect(refused.json.error).toMatchObject({
          code: 'VALIDATION_FAILED',
          fields: [{ field: 'cursor', code: 'INVALID_FORMAT' }],
        });
      }
      expect(
        (await api.call('GET', `/v1/reviews?kind=RISK_ALERT&cursor=${alertCursor}`, { token: first })).status,
      ).toBe(200);

      const unknown = await api.call('GET', '/v1/reviews?kind=RISK', { token: first });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error.code).toBe('VALIDATION_FAILED');
      expect(unknown.json.error.fields[0]).toMatchObject({ field: 'query.kind', code: 'INVALID_VALUE' });
      expect(unknown.json.error.fields[0].message).toMatch(/RISK_ALERT.*LIMIT_INCREASE/);
    } finally {
      for (const task of tasks) await reviews.close(task.taskId, 'CANCELLED');
    }
  }, 60_000);
});

describe('the escalated queue', () => {
  /** Every page of `query` (limit 2 unless given), and the cursors that led to them. */
  async function allPages(query: string) {
    const items: { taskId: string; kind: string; createdAt: string; escalated: boolean }[] = [];
    const cursors: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.call(
        'GET',
        `/v1/reviews?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: first },
      );
      expect(page.status, JSON.stringify(page.json)).toBe(200);
      items.push(...page.json.items);
      cursor = page.json.nextCursor;
      if (cursor) cursors.push(cursor);
    } while (cursor);
    return { items, cursors };
  }

  it('lists only the escalated pending tasks, oldest first across pages, through its own index; a decided, closed or un-escalated task is not in it, an undone decision puts it back; refuses another value and a cursor of another listing', async () => {
    // Older than the whole queue (the kind queue's test seeds 2020): a reviewer asking for the
    // escalated tasks finds them before the non-escalated ones that come first in the queue.
    const { task: seeded, idPrefix } = seededTasks('ESCQ', Date.UTC(2019, 0, 1));
    const kinds: ReviewTaskRecord['kind'][] = [
      'APPLICATION',
      'APPLICATION',
      'RISK_ALERT',
      'APPLICATION',
      'RISK_ALERT',
      'APPLICATION',
      'RISK_ALERT',
      'APPLICATION',
      'APPLICATION',
    ];
    const tasks = kinds.map((kind, index) => seeded(index, kind));
    for (const task of tasks) expect(await reviews.create(task, `token-${task.taskId}`)).toBe(true);
    // Escalated as the workflow's step does, out of creation order; tasks 0, 3 and 7 stay not escalated.
    const escalatedIndexes = [8, 1, 2, 4, 5, 6];
    const now = new Date();
    for (const index of escalatedIndexes)
      expect(await reviews.markEscalated((tasks[index] as ReviewTaskRecord).taskId, now)).toBe(true);
    const ours = (listed: { taskId: string }[]) =>
      listed.filter((item) => item.taskId.startsWith(idPrefix)).map((item) => item.taskId);
    const idsOf = (...indexes: number[]) => indexes.map((index) => (tasks[index] as ReviewTaskRecord).taskId);
    const app = await pendingApplication();
    try {
      const { items, cursors } = await allPages('escalated=true&limit=2');
      expect(cursors.length).toBeGreaterThan(0);
      expect(items.every((item) => item.escalated)).toBe(true);
      const createdAt = items.map((item) => item.createdAt);
      expect(createdAt).toEqual([...createdAt].sort());
      // Ours are the oldest escalated tasks, in creation order, the non-escalated ones left out.
      expect(items.slice(0, 6).map((item) => item.taskId)).toEqual(idsOf(1, 2, 4, 5, 6, 8));
      expect(ours(items)).toEqual(idsOf(1, 2, 4, 5, 6, 8));

      // With a kind: the escalated tasks of that kind only (a page may be shorter than its limit).
      const alerts = await allPages('escalated=true&kind=RISK_ALERT&limit=2');
      expect(new Set(alerts.items.map((item) => item.kind))).toEqual(new Set(['RISK_ALERT']));
      expect(ours(alerts.items)).toEqual(idsOf(2, 4, 6));
      expect(alerts.items.every((item) => item.escalated)).toBe(true);

      // A real application, escalated: listed; decided through the route: gone from the listing.
      expect(ours((await allPages('escalated=true&limit=100')).items)).toEqual(idsOf(1, 2, 4, 5, 6, 8));
      const escalatedIds = async (query = 'escalated=true&limit=100') =>
        (await allPages(query)).items.map((item) => item.taskId);
      expect(await escalatedIds()).not.toContain(app.taskId);
      expect(await reviews.markEscalated(app.taskId, new Date())).toBe(true);
      expect(await escalatedIds()).toContain(app.taskId);
      expect(await escalatedIds('escalated=true&kind=APPLICATION&limit=100')).toContain(app.taskId);
      const decided = await api.call('POST', `/v1/reviews/${app.taskId}/decision`, {
        token: first,
        body: approve,
      });
      expect(decided.status, JSON.stringify(decided.json)).toBe(200);
      expect(await escalatedIds()).not.toContain(app.taskId);
      // Out of the index itself, not only left out of the listing when read.
      const indexKeys = async (taskId: string) =>
        Object.keys((await table.get(keys.reviewTask(taskId))) ?? {}).filter((name) =>
          name.startsWith('gsi'),
        );
      expect(await indexKeys(app.taskId)).toEqual([]);

      // Closed (withdrawn, expired, cancelled): gone too.
      const closed = tasks[5] as ReviewTaskRecord;
      expect(await reviews.close(closed.taskId, 'CANCELLED')).toBe(true);
      expect(ours(await allPages('escalated=true&limit=100').then((page) => page.items))).toEqual(
        idsOf(1, 2, 4, 6, 8),
      );
      expect(await indexKeys(closed.taskId)).toEqual([]);

      // A decision undone (the workflow could not be resumed) puts the task back, escalated.
      const undone = (await reviews.get((tasks[1] as ReviewTaskRecord).taskId)) as ReviewTaskRecord;
      const record = {
        decision: 'REJECT' as const,
        reasons: [{ field: 'business.name', reason: 'Not on the licence' }],
        checks: {},
        decidedBy: 'rev-1',
        decidedAt: new Date().toISOString(),
      };
      expect(await reviews.decide(undone.taskId, record, undone)).toBe(true);
      expect(ours((await allPages('escalated=true&limit=100')).items)).toEqual(idsOf(2, 4, 6, 8));
      expect(await indexKeys(undone.taskId)).toEqual([]);
      expect(
        await reviews.undoDecision({ ...undone, ...record, status: 'DECIDED' }, `token-${undone.taskId}`),
      ).toBe(true);
      expect(ours((await allPages('escalated=true&limit=100')).items)).toEqual(idsOf(1, 2, 4, 6, 8));

      // Only `true`; a cursor is good only for the listing that gave it (any escalated listing).
      for (const value of ['false', 'TRUE', '1', '']) {
        const refused = await api.call('GET', `/v1/reviews?escalated=${value}`, { token: first });
        expect(refused.status, value).toBe(400);
        expect(refused.json.error).toMatchObject({
          code: 'VALIDATION_FAILED',
          fields: [{ field: 'query.escalated', code: 'INVALID_VALUE' }],
        });
      }
      const escalatedCursor = encodeURIComponent(cursors[0] as string);
      const whole = await api.call('GET', '/v1/reviews?limit=1', { token: first });
      const wholeCursor = encodeURIComponent(whole.json.nextCursor as string);
      const kindCursor = encodeURIComponent(
        (await api.call('GET', '/v1/reviews?kind=APPLICATION&limit=1', { token: first })).json.nextCursor,
      );
      for (const query of [
        `cursor=${escalatedCursor}`,
        `kind=APPLICATION&cursor=${escalatedCursor}`,
        `escalated=true&cursor=${wholeCursor}`,
        `escalated=true&kind=APPLICATION&cursor=${kindCursor}`,
      ]) {
        const refused = await api.call('GET', `/v1/reviews?${query}`, { token: first });
        expect(refused.status, query).toBe(400);
        expect(refused.json.error).toMatchObject({
          code: 'VALIDATION_FAILED',
          fields: [{ field: 'cursor', code: 'INVALID_FORMAT' }],
        });
      }
      for (const query of [
        `escalated=true&cursor=${escalatedCursor}`,
        `escalated=true&kind=RISK_ALERT&cursor=${escalatedCursor}`,
      ])
        expect((await api.call('GET', `/v1/reviews?${query}`, { token: first })).status, query).toBe(200);
    } finally {
      for (const task of tasks) await reviews.close(task.taskId, 'CANCELLED');
    }
  }, 120_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { invokedFunction } from '../local/access-control';
import {
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  localStateMachineArn,
} from '../local/constants';
import { findFreePort } from '../local/ports';
import { type IntegrationParts, type LocalStack, startLocalStack } from '../local/stack';
import { individualApplication } from '../test/support/fixtures';
import { consumedCapacity, countConsumedCapacity } from './capacity';
import {
  CHANGES_LOOP_EXTRA,
  CHANGES_LOOP_FLOOR,
  type FloorStep,
  floorTotals,
  HAPPY_PATH_FLOOR,
} from './cost-floor';
import {
  allRelayed,
  type PublishObserved,
  publishCounters,
  publishFigures,
  publishObserved,
} from './event-publish';
import { smsParts, taskInvocationsOf, transitionsOf } from './history';
import { costOf, perThousand, type UsageCounts } from './prices';
import type { FigureInput } from './report';

/** Target of issue 7: cost per onboarding ≤ 1.5 × the floor. */
export const COST_RATIO_MAX = 1.5;

/** Counts the requests reaching s3rver, by billing class, through a pass-through proxy. */
class S3Counter {
  put = 0;
  get = 0;
  private server: Server | undefined;

  async start(port: number, target: number): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.method === 'GET' || req.method === 'HEAD') this.get += 1;
      else this.put += 1;
      // Headers pass unchanged: presigned URLs are signed for this proxy's host.
      const upstream = request(
        { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the bench reads loosely typed JSON answers
type Json = any;

/** A JSON client of the local API that counts the `/v1` requests (each one Lambda invocation). */
class CountingApi {
  apiRequests = 0;
  constructor(private readonly baseUrl: string) {}

  async call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; json: Json }> {
    if (path.startsWith('/v1/')) this.apiRequests += 1;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  async expect(
    status: number,
    method: string,
    path: string,
    options: Parameters<CountingApi['call']>[2] = {},
  ) {
    const answer = await this.call(method, path, options);
    if (answer.status !== status) {
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
    }
    return answer.json;
  }
}

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];

/** The newest verification code sent for an application (SMS: by the end of its id; email: by its id). */
async function verificationCode(
  api: CountingApi,
  applicationId: string,
  channel: 'SMS' | 'EMAIL',
): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { json } = await api.call('GET', channel === 'SMS' ? '/_local/sms' : '/_local/emails');
    for (const message of [...json.messages].reverse() as {
      body?: string;
      subject?: string;
      text?: string;
    }[]) {
      const code =
        channel === 'SMS'
          ? message.body?.includes(applicationId.slice(-6))
            ? /^【[^】]+】(?:验证码|Code )(\d{6})/.exec(message.body)?.[1]
            : undefined
          : message.subject?.includes(applicationId)
            ? /(?:验证码是|Your code is) (\d{6})/.exec(message.text ?? '')?.[1]
            : undefined;
      if (code) return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${channel} verification code for ${applicationId}`);
}

interface Observed {
  /** What the onboarding's own requests and Tasks used (publishing and webhook delivery taken out). */
  readonly usage: UsageCounts;
  readonly reads: number;
  readonly writes: number;
  /** What publishing its domain events did (bench/event-publish.ts). */
  readonly publish: PublishObserved;
  /** What happened, for results.json: states entered, Task events, messages (no personal data). */
  readonly trace?: Readonly<Record<string, unknown>>;
}

/**
 * The counters of the stack before a scenario, to take differences after it. Every change made so
 * far is relayed first, so each scenario's events are its own.
 */
async function snapshot(api: CountingApi, s3: S3Counter, integration: IntegrationParts) {
  await allRelayed(integration.stream);
  const [emails, sms] = await Promise.all([
    api.call('GET', '/_local/emails'),
    api.call('GET', '/_local/sms'),
  ]);
  return {
    api: api.apiRequests,
    dynamo: { ...consumedCapacity },
    s3Put: s3.put,
    s3Get: s3.get,
    emails: (emails.json.messages as unknown[]).length,
    sms: (sms.json.messages as { body: string }[]).length,
    publish: publishCounters(integration),
  };
}

/**
 * Part 4: one happy-path onboarding and one with a REQUEST_CHANGES loop through a local stack of
 * its own (in this process), counted from the outside: API requests by the client, transitions
 * and Task invocations from the execution's history, DynamoDB units from the SDK client
 * (bench/capacity.ts), S3 requests through a counting proxy, email and SMS from the emulators' outboxes;
 * and what publishing its domain events adds, from the stack's table stream, relay and bus
 * (bench/event-publish.ts).
 */
export async function measureCost(log: (message: string) => void): Promise<{
  figures: FigureInput[];
  notes: string[];
}> {
  const stateDir = mkdtempSync(join(tmpdir(), 'pos-bench-cost-'));
  const s3 = new S3Counter();
  const s3Port = await findFreePort();
  let proxyPort = await findFreePort();
  // Both ports are free now, but the second probe may return the first port again.
  while (proxyPort === s3Port) proxyPort = await findFreePort();
  await s3.start(proxyPort, s3Port);
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({
      stateDir,
      ports: { api: 0, dynamodb: 0, sfn: 0, sms: 0, ses: 0, s3: s3Port },
      quiet: true,
      env: { AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${proxyPort}` },
    });
    // Installed after the stack's manifest access check, so it sees every request a function makes,
    // even one the check refuses; by function, so publishing and webhook delivery are told apart.
    countConsumedCapacity({ invokedFunction });
    const integration = stack.integration;
    const sfn = new SFNClient({
      endpoint: stack.urls.sfn,
      region: LOCAL_REGION,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    });
    const api = new CountingApi(stack.urls.api);
    const reviewer = (
      await api.expect(200, 'POST', '/_local/tokens', { body: { sub: 'rev-1', groups: ['reviewer'] } })
    ).token as string;
    const operator = (
      await api.expect(200, 'POST', '/_local/tokens', { body: { sub: 'op-1', groups: ['operator'] } })
    ).token as string;
    const history = async (applicationId: string): Promise<HistoryEvent[]> => {
      const executionArn = `${localStateMachineArn('onboarding').replace(':stateMachine:', ':execution:')}:${applicationId}`;
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return events;
    };
    // Observation only (the local SFN endpoint, no DynamoDB): the journey waits like a person would.
    const waitFor = async (applicationId: string, done: (events: HistoryEvent[]) => boolean) => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (done(await history(applicationId))) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`execution ${applicationId} did not reach the expected state`);
    };
    const submittedCount = (events: HistoryEvent[]) =>
      events.filter((event) => event.type === 'TaskSubmitted').length;
    const succeeded = (events: HistoryEvent[]) => events.some((event) => event.type === 'ExecutionSucceeded');

    /** One onboarding; returns what it used. */
    const onboard = async (scenario: 'happy' | 'loop', serialNumber: string): Promise<Observed> => {
      // Stock is the operator's business, not the onboarding's: done before the counters are read.
      await api.expect(201, 'POST', '/v1/terminals', {
        token: operator,
        body: { terminals: [{ serialNumber, model: 'A8' }] },
      });
      const before = await snapshot(api, s3, integration);
      // A phone of its own: the per-phone hourly SMS limit must not see other runs' messages.
      const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      const fixture = individualApplication({ serialNumber, email: `${scenario}-${Date.now()}@example.com` });
      const body = {
        ...fixture,
        legalPerson: { ...fixture.legalPerson, phone },
        contact: { ...fixture.contact, phone },
      };
      const created = await api.expect(201, 'POST', '/v1/applications', {
        body,
        headers: { 'idempotency-key': `bench-cost-${scenario}-${Date.now()}` },
      });
      const { applicationId, accessToken: token } = created as { applicationId: string; accessToken: string };
      // The contacts verify their codes first (spec 6): part of what an onboarding costs.
      for (const channel of ['SMS', 'EMAIL'] as const) {
        await api.expect(202, 'POST', `/v1/applications/${applicationId}/verifications`, {
          token,
          body: { channel },
        });
        const code = await verificationCode(api, applicationId, channel);
        await api.expect(200, 'POST', `/v1/applications/${applicationId}/verifications/confirm`, {
          token,
          body: { channel, code },
        });
      }
      for (const kind of KINDS) {
        const doc = await api.expect(201, 'POST', `/v1/applications/${applicationId}/documents`, {
          token,
          body: { kind, contentType: 'image/jpeg', sizeBytes: 2048 },
        });
        const put = await fetch(doc.uploadUrl, {
          method: 'PUT',
          headers: doc.headers,
          body: Buffer.alloc(2048, 7),
        });
        if (!put.ok) throw new Error(`upload of ${kind} answered ${put.status}`);
      }
      await api.expect(202, 'POST', `/v1/applications/${applicationId}/submit`, { token });
      const review = async (waits: number, decision: unknown) => {
        await waitFor(applicationId, (events) => submittedCount(events) >= waits);
        const queue = await api.expect(200, 'GET', '/v1/reviews?status=PENDING&limit=20', {
          token: reviewer,
        });
        const task = (queue.items as { taskId: string; subjectId: string }[]).find(
          (item) => item.subjectId === applicationId,
        );
        if (!task) throw new Error('the task is not on the first page of the queue');
        await api.expect(200, 'GET', `/v1/reviews/${task.taskId}`, { token: reviewer });
        await api.expect(200, 'POST', `/v1/reviews/${task.taskId}/decision`, {
          token: reviewer,
          body: decision,
        });
      };
      const approve = { decision: 'APPROVE', checks: { phoneCallback: { done: true, notes: '已电话回访' } } };
      if (scenario === 'loop') {
        await review(1, {
          decision: 'REQUEST_CHANGES',
          reasons: [{ field: 'business.address.detail', reason: '地址不完整' }],
        });
        // AwaitResubmission has stored its token once its function returned (the second TaskSubmitted).
        await waitFor(applicationId, (events) => submittedCount(events) >= 2);
        await api.expect(200, 'GET', `/v1/applications/${applicationId}`, { token });
        const corrected = {
          ...body,
          business: {
            ...body.business,
            address: { divisionCode: '110105', detail: '朝阳区建国路88号1层101' },
          },
        };
        await api.expect(200, 'PUT', `/v1/applications/${applicationId}`, { token, body: corrected });
        await api.expect(202, 'POST', `/v1/applications/${applicationId}/submit`, { token });
        await review(3, approve);
      } else {
        await review(1, approve);
      }
      await waitFor(applicationId, succeeded);
      const outcome = await api.expect(200, 'GET', `/v1/applications/${applicationId}`, { token });
      if (outcome.status !== 'APPROVED') throw new Error(`${scenario}: ended ${outcome.status}`);
      const after = await snapshot(api, s3, integration);
      const publish = publishObserved(integration, before.publish);
      const published = new Set(
        publish.events
          .filter((event) => event.data.applicationId === applicationId)
          .map((event) => event.type),
      );
      if (!published.has('application.submitted') || !published.has('application.approved'))
        throw new Error(`${scenario}: the bus did not receive the application's events`);
      // The relay's and the delivery function's requests are publishing and webhook delivery, not the onboarding's.
      const aside = {
        reads: publish.relay.reads + publish.delivery.reads,
        readUnits: publish.relay.readUnits + publish.delivery.readUnits,
        writes: publish.relay.writes + publish.delivery.writes,
        writeUnits: publish.relay.writeUnits + publish.delivery.writeUnits,
      };
      const events = await history(applicationId);
      const sms = ((await api.call('GET', '/_local/sms')).json.messages as { body: string }[]).slice(
        before.sms,
      );
      const emails = ((await api.call('GET', '/_local/emails')).json.messages as { subject: string }[]).slice(
        before.emails,
      );
      return {
        usage: {
          stateTransitions: transitionsOf(events),
          apiRequests: after.api - before.api,
          taskInvocations: taskInvocationsOf(events),
          dynamoReadUnits: after.dynamo.readUnits - before.dynamo.readUnits - aside.readUnits,
          dynamoWriteUnits: after.dynamo.writeUnits - before.dynamo.writeUnits - aside.writeUnits,
          s3PutRequests: after.s3Put - before.s3Put,
          s3GetRequests: after.s3Get - before.s3Get,
          emails: after.emails - before.emails,
          smsParts: sms.reduce((sum, message) => sum + smsParts(message.body), 0),
        },
        reads: after.dynamo.reads - before.dynamo.reads - aside.reads,
        writes: after.dynamo.writes - before.dynamo.writes - aside.writes,
        publish,
        trace: {
          statesEntered: events
            .filter((event) => event.type?.endsWith('StateEntered'))
            .map((event) => event.stateEnteredEventDetails?.name),
          taskEvents: events
            .filter((event) => /Scheduled|Failed|TimedOut/.test(event.type ?? ''))
            .map((event) => event.type),
          emailSubjects: emails.map((message) => message.subject),
          smsParts: sms.map((message) => smsParts(message.body)),
          eventTypes: publish.events.map((event) => event.type),
          webhookFanOut: publish.delivery,
        },
      };
    };

    const figures: FigureInput[] = [];
    const notes: string[] = [];
    const scenarios = [
      { id: 'happy', label: 'happy path', floor: HAPPY_PATH_FLOOR, sn: `BENCH${Date.now()}A` },
      { id: 'loop', label: 'REQUEST_CHANGES loop', floor: CHANGES_LOOP_FLOOR, sn: `BENCH${Date.now()}B` },
    ] as const;
    for (const scenario of scenarios) {
      const observed = await onboard(scenario.id, scenario.sn);
      log(`cost: ${scenario.label} done`);
      figures.push(...costFigures(scenario.label, observed, scenario.floor));
      figures.push(...publishFigures(scenario.label, observed.publish, costOf(observed.usage)));
    }
    notes.push(...floorNotes(), publishNote());
    sfn.destroy();
    return { figures, notes };
  } finally {
    await stack?.stop();
    await s3.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** The judged cost figures of one scenario and the per-dimension counts behind them. */
export function costFigures(
  label: string,
  observed: Observed,
  floorSteps: readonly FloorStep[],
): FigureInput[] {
  const floor = floorTotals(floorSteps);
  // The floor writes and reads the product's own items, so it is priced at the units the product's
  // requests averaged in this run.
  const readUnitsPerRead = observed.reads > 0 ? observed.usage.dynamoReadUnits / observed.reads : 1;
  const writeUnitsPerWrite = observed.writes > 0 ? observed.usage.dynamoWriteUnits / observed.writes : 1;
  const floorUsage: UsageCounts = {
    stateTransitions: floor.transitions,
    apiRequests: floor.apiRequests,
    taskInvocations: floor.taskInvocations,
    dynamoReadUnits: floor.reads * readUnitsPerRead,
    dynamoWriteUnits: floor.writes * writeUnitsPerWrite,
    s3PutRequests: floor.s3Put,
    s3GetRequests: floor.s3Get,
    emails: floor.emails,
    smsParts: floor.sms,
  };
  const cost = costOf(observed.usage);
  const floorCost = costOf(floorUsage);
  const target = { kind: 'ratio-max', max: COST_RATIO_MAX } as const;
  const section = 'cost' as const;
  const count = (name: string, value: number, floorValue: number, unit: string): FigureInput => ({
    section,
    name: `${label} · ${name}`,
    value,
    unit,
    floor: floorValue,
    floorName: 'spec floor',
    target: { kind: 'none' },
  });
  const usage = observed.usage;
  const lines = (breakdown: ReturnType<typeof costOf>) =>
    Object.fromEntries(Object.entries(breakdown).map(([key, usd]) => [key, perThousand(usd)]));
  const overhead = `${explainCost(usage, floorUsage, observed, floor)}; ${extraDollars(cost, floorCost)}`;
  return [
    {
      section,
      name: `${label} · USD per 1,000 onboardings`,
      value: perThousand(cost.total),
      unit: 'USD',
      floor: perThousand(floorCost.total),
      floorName: 'spec floor',
      target,
      why: overhead,
      details: {
        usage,
        floorUsage,
        perThousand: lines(cost),
        floorPerThousand: lines(floorCost),
        trace: observed.trace,
      },
    },
    {
      section,
      name: `${label} · USD per 1,000 without email and SMS`,
      value: perThousand(cost.withoutMessages),
      unit: 'USD',
      floor: perThousand(floorCost.withoutMessages),
      floorName: 'spec floor',
      target,
      why: overhead,
    },
    count('state transitions', usage.stateTransitions, floorUsage.stateTransitions, ''),
    count(
      'Lambda invocations (API + Task)',
      usage.apiRequests + usage.taskInvocations,
      floor.apiRequests + floor.taskInvocations,
      '',
    ),
    count('DynamoDB read requests', observed.reads, floor.reads, ''),
    count('DynamoDB read units', usage.dynamoReadUnits, floorUsage.dynamoReadUnits, 'RRU'),
    count('DynamoDB item writes', observed.writes, floor.writes, ''),
    count('DynamoDB write units', usage.dynamoWriteUnits, floorUsage.dynamoWriteUnits, 'WRU'),
    count(
      'S3 requests (PUT + GET/HEAD)',
      usage.s3PutRequests + usage.s3GetRequests,
      floor.s3Put + floor.s3Get,
      '',
    ),
    count('emails + SMS parts', usage.emails + usage.smsParts, floor.emails + floor.sms, ''),
  ];
}

/** Where a scenario spends more than its floor, largest first. */
function explainCost(
  usage: UsageCounts,
  floorUsage: UsageCounts,
  observed: Observed,
  floor: ReturnType<typeof floorTotals>,
): string {
  const parts: string[] = [];
  const extra = (what: string, actual: number, minimum: number) => {
    if (actual > minimum) parts.push(`${what} ${formatCount(actual)} vs ${formatCount(minimum)}`);
  };
  extra('transitions', usage.stateTransitions, floorUsage.stateTransitions);
  extra('Task invocations', usage.taskInvocations, floorUsage.taskInvocations);
  extra('item writes', observed.writes, floor.writes);
  extra('reads', observed.reads, floor.reads);
  extra(
    'S3 requests',
    usage.s3PutRequests + usage.s3GetRequests,
    floorUsage.s3PutRequests + floorUsage.s3GetRequests,
  );
  return parts.length > 0 ? `above the floor: ${parts.join(', ')}` : 'at the floor';
}

/** The cost lines above their floor, largest first, in USD per 1,000 onboardings. */
function extraDollars(cost: ReturnType<typeof costOf>, floorCost: ReturnType<typeof costOf>): string {
  const lines = (['stepFunctions', 'dynamodb', 'lambda', 'apiGateway', 's3', 'email', 'sms'] as const)
    .map((line) => [line, perThousand(cost[line] - floorCost[line])] as const)
    .filter(([, usd]) => usd > 0.0005)
    .sort((a, b) => b[1] - a[1]);
  return lines.length > 0
    ? `USD per 1,000 over the floor: ${lines.map(([line, usd]) => `${line} +${usd.toFixed(3)}`).join(', ')}`
    : 'no line over the floor';
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The floor's reasoning, for the report. */
export function floorNotes(): string[] {
  const render = (title: string, steps: readonly FloorStep[]) => {
    const totals = floorTotals(steps);
    return [
      `Cost floor, ${title}: ${totals.apiRequests} API requests, ${totals.transitions} state transitions, ${totals.taskInvocations} Task invocations, ${totals.reads} DynamoDB reads, ${totals.writes} item writes, ${totals.s3Put} S3 PUT + ${totals.s3Get} HEAD, ${totals.emails} email + ${totals.sms} SMS. Steps: ${steps
        .map((step) => `${step.step} — ${step.why}`)
        .join('; ')}.`,
    ];
  };
  return [
    ...render('happy path', HAPPY_PATH_FLOOR),
    ...render('what one REQUEST_CHANGES loop adds to it', CHANGES_LOOP_EXTRA),
    "The floor's DynamoDB units are its reads and item writes at the units per request the product measured in the same run (same items, same sizes); Lambda compute is priced at an assumed 100 ms × 512 MB per invocation for both (bench/prices.ts).",
  ];
}

/** How publishing is counted, for the report. */
export function publishNote(): string {
  return "Event publish: counted on the local path the product runs (DynamoDB Local's change stream polled like the event source mapping, the relay function invoked with each batch that passes the stream filter, PutEvents on the local bus). State changes are the domain events the bus received for the scenario; the write units are those of the relay's own DynamoDB requests. Priced: relay invocations (requests and GB-s at the larger of the measured mean and the assumed 100 ms, 512 MB) and EventBridge custom events (USD 1.00 per million, one per started 64 KB of an entry); stream reads by a Lambda trigger are free. Webhook delivery is left out (it depends on how many endpoints an acquirer registers): its queue and function are not priced, and the delivery function's table requests are taken out of the onboarding's counts. Locally the stream is polled every 200 ms; in AWS the mapping batches up to 100 records within 1 s, so it invokes the relay as often or less.";
}

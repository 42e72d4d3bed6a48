import type { Deadlines } from '../config/env';
import type { ReviewTaskRecord } from '../domain/review';
import { logger } from '../logger';
import type { Clock } from '../ports';
import type { ChunkWrite, MerchantProfile, TransactionIngestStore } from '../ports/daily-checks';
import { effectiveLimits } from './limits';
import {
  alertTaskId,
  applyRecord,
  emptyCounters,
  type MerchantContext,
  type MerchantState,
  type RuleHit,
  type TerminalWindow,
  type UsageCounters,
} from './rules';
import type { DailyChecksSettings } from './settings';
import { addDays, dayOf, monthOf, parseTransaction, type TransactionRecord } from './transaction';

/*
 * The consumer of the transaction stream (Kinesis → Lambda event source mapping in AWS, the local
 * poller in `npm run dev`). Per batch: malformed records are set aside; the rest are grouped by
 * merchant and each merchant's records are written in chunks, each chunk ONE transaction: a
 * marker per transaction (condition: never seen), the merchant's day and month counters and its
 * terminals' windows (condition: unchanged since read), the activity index and any alert it opens.
 * A redelivered transaction fails its marker's condition, is dropped and the chunk retried
 * without it, so nothing is counted twice. Counters of one merchant are written once per chunk,
 * not once per record: a merchant with 30 % of the traffic writes its counters ~1/64 as often.
 *
 * The state read for a merchant (counters, windows, context) is kept between batches: Kinesis
 * sends a merchant's records (partition key merchantNo) to one shard, read by one invocation at a
 * time, so the copy is almost always current; when it is not, the version condition refuses the
 * write and the chunk is read again.
 */

/** One record as the event source hands it over. */
export interface StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Buffer;
}

/** What the consumer needs. */
export interface IngestDeps {
  readonly store: TransactionIngestStore;
  readonly clock: Clock;
  readonly settings: DailyChecksSettings;
  readonly deadlines: Pick<Deadlines, 'reviewEscalationSeconds' | 'reviewFinalSeconds'>;
}

/** The outcome of one batch, in the event source mapping's partial failure format. */
export interface BatchResult {
  readonly batchItemFailures: { itemIdentifier: string }[];
  readonly counted: number;
  readonly duplicates: number;
  readonly setAside: number;
  readonly alerts: number;
}

/** Records per transaction: markers + up to ~30 counter, window, index and alert items stay ≤ 100. */
export const CHUNK_RECORDS = 64;
/** Merchants written at the same time within one batch. */
const MERCHANT_CONCURRENCY = 8;
const ATTEMPTS = 6;
/** Markers outlive any redelivery: Kinesis keeps records at most 365 days, on-demand default 24 h. */
const MARKER_DAYS = 40;

interface CachedMerchant {
  readonly context: MerchantContext;
  readonly loadedAt: number;
  readonly state: MerchantState;
  /** Days already in the activity index, alerts known to exist. */
  readonly indexedDays: Set<string>;
  readonly knownAlerts: Set<string>;
}

/** The state kept between batches (per Lambda execution environment). */
const cache = new Map<string, CachedMerchant>();
const CACHE_LIMIT = 20_000;

/** Forgets every cached merchant (tests, and a cache grown past its limit). */
export function clearIngestCache(): void {
  cache.clear();
}

/** What an alert's review task looks like. */
export function alertTask(
  merchantNo: string,
  hit: RuleHit,
  now: Date,
  deadlines: IngestDeps['deadlines'],
): ReviewTaskRecord {
  const taskId = alertTaskId(merchantNo, hit.rule, hit.day);
  return {
    taskId,
    kind: 'RISK_ALERT',
    subjectId: merchantNo,
    merchantNo,
    rule: hit.rule,
    day: hit.day,
    cardType: hit.cardType,
    ...(hit.serialNumber ? { serialNumber: hit.serialNumber } : {}),
    evidence: { transactionIds: hit.transactionIds.slice(-50), figures: hit.figures },
    status: 'PENDING',
    createdAt: now.toISOString(),
    deadline: new Date(now.getTime() + deadlines.reviewEscalationSeconds * 1000).toISOString(),
    finalDeadline: new Date(now.getTime() + deadlines.reviewFinalSeconds * 1000).toISOString(),
    escalated: false,
    automatedChecks: [],
    requiredChecks: [],
    summary: `${hit.rule} ${merchantNo} ${hit.day}${hit.serialNumber ? ` ${hit.serialNumber}` : ''}`,
  };
}

async function contextOf(
  deps: IngestDeps,
  merchantNo: string,
): Promise<{ profile: MerchantProfile; context: MerchantContext } | undefined> {
  const [profile, stored] = await Promise.all([
    deps.store.merchantProfile(merchantNo),
    deps.store.storedLimits(merchantNo),
  ]);
  if (!profile) return undefined;
  return {
    profile,
    context: {
      merchantNo,
      city: profile.divisionCode.slice(0, 4),
      limits: effectiveLimits(deps.settings, profile.type, stored),
    },
  };
}

/** The cached merchant, (re)loaded when absent or older than the settings allow. */
async function merchantOf(deps: IngestDeps, merchantNo: string): Promise<CachedMerchant | undefined> {
  const now = deps.clock.now().getTime();
  const cached = cache.get(merchantNo);
  if (cached && now - cached.loadedAt <= deps.settings.contextCacheSeconds * 1000) return cached;
  const loaded = await contextOf(deps, merchantNo);
  if (!loaded) return undefined;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const entry: CachedMerchant = {
    context: loaded.context,
    loadedAt: now,
    // Counters and windows stay when only the context is refreshed: their versions guard them.
    state: cached?.state ?? { days: new Map(), months: new Map(), windows: new Map() },
    indexedDays: cached?.indexedDays ?? new Set(),
    knownAlerts: cached?.knownAlerts ?? new Set(),
  };
  cache.set(merchantNo, entry);
  return entry;
}

/** Loads what the chunk's records touch and is not held yet. */
async function load(deps: IngestDeps, merchant: CachedMerchant, records: readonly TransactionRecord[]) {
  const { state } = merchant;
  const merchantNo = merchant.context.merchantNo;
  const reads: Promise<void>[] = [];
  const days = new Set(records.map((record) => dayOf(record.at)));
  const months = new Set(records.map((record) => monthOf(record.at)));
  const terminals = new Set(records.map((record) => record.serialNumber));
  for (const day of days)
    if (!state.days.has(day))
      reads.push(
        deps.store.day(merchantNo, day).then((found) => void state.days.set(day, found ?? emptyCounters())),
      );
  for (const month of months)
    if (!state.months.has(month))
      reads.push(
        deps.store
          .month(merchantNo, month)
          .then((found) => void state.months.set(month, found ?? emptyCounters())),
      );
  for (const sn of terminals)
    if (!state.windows.has(sn))
      reads.push(
        deps.store.window(sn).then((found) => void state.windows.set(sn, found ?? { ver: 0, sales: [] })),
      );
  await Promise.all(reads);
}

/** Deep copies of what a chunk changes, so a refused write leaves the cached state as stored. */
function snapshot(state: MerchantState, records: readonly TransactionRecord[]): MerchantState {
  const copy: MerchantState = { days: new Map(), months: new Map(), windows: new Map() };
  for (const record of records) {
    const day = dayOf(record.at);
    const month = monthOf(record.at);
    const counters = state.days.get(day);
    const monthly = state.months.get(month);
    const window = state.windows.get(record.serialNumber);
    if (counters && !copy.days.has(day)) copy.days.set(day, structuredClone(counters));
    if (monthly && !copy.months.has(month)) copy.months.set(month, structuredClone(monthly));
    if (window && !copy.windows.has(record.serialNumber))
      copy.windows.set(record.serialNumber, structuredClone(window));
  }
  return copy;
}

/** Writes one chunk of one merchant's records; returns how many were new, duplicates and alerts. */
async function writeChunk(
  deps: IngestDeps,
  merchant: CachedMerchant,
  chunk: readonly TransactionRecord[],
): Promise<{ counted: number; duplicates: number; alerts: number }> {
  let records = [...chunk];
  let duplicates = 0;
  for (let attempt = 1; ; attempt++) {
    if (records.length === 0) return { counted: 0, duplicates, alerts: 0 };
    await load(deps, merchant, records);
    const next = snapshot(merchant.state, records);
    const hits = new Map<string, RuleHit>();
    const windowsBefore = new Map(
      [...next.windows].map(([sn, window]) => [sn, { ver: window.ver, lastSaleDay: window.lastSaleDay }]),
    );
    const terminalIds = new Map<string, string>();
    for (const record of records) {
      terminalIds.set(record.serialNumber, record.terminalId);
      for (const hit of applyRecord(next, merchant.context, record, deps.settings)) {
        const id = alertTaskId(merchant.context.merchantNo, hit.rule, hit.day);
        if (merchant.knownAlerts.has(id) || hits.has(id)) continue;
        hits.set(id, hit);
        const day = next.days.get(hit.day);
        if (day) day.cards[hit.cardType].alerts += 1;
      }
    }
    const now = deps.clock.now();
    const write: ChunkWrite = {
      merchantNo: merchant.context.merchantNo,
      markers: records,
      days: [...next.days].map(([day, counters]) => ({ day, expectedVer: counters.ver, counters })),
      months: [...next.months].map(([month, counters]) => ({ month, expectedVer: counters.ver, counters })),
      windows: [...next.windows].map(([serialNumber, window]) => {
        const before = windowsBefore.get(serialNumber);
        const moved = window.lastSaleDay !== undefined && window.lastSaleDay !== before?.lastSaleDay;
        return {
          serialNumber,
          terminalId: terminalIds.get(serialNumber) ?? '',
          expectedVer: window.ver,
          window,
          ...(moved && window.lastSaleDay
            ? { dormantOn: addDays(window.lastSaleDay, deps.settings.rules.dormantDays) }
            : {}),
        };
      }),
      activeDays: [...next.days.keys()].filter((day) => !merchant.indexedDays.has(day)),
      alerts: [...hits.values()].map((hit) =>
        alertTask(merchant.context.merchantNo, hit, now, deps.deadlines),
      ),
      markerExpiresAt: Math.floor(now.getTime() / 1000) + MARKER_DAYS * 86_400,
    };
    const refusal = await deps.store.commitChunk(write);
    if (!refusal) {
      // Written: the new state is the stored one (versions + 1).
      for (const [day, counters] of next.days)
        merchant.state.days.set(day, { ...counters, ver: counters.ver + 1 });
      for (const [month, counters] of next.months)
        merchant.state.months.set(month, { ...counters, ver: counters.ver + 1 });
      for (const [sn, window] of next.windows)
        merchant.state.windows.set(sn, { ...window, ver: window.ver + 1 });
      for (const day of write.activeDays) merchant.indexedDays.add(day);
      for (const task of write.alerts) merchant.knownAlerts.add(task.taskId);
      return { counted: records.length, duplicates, alerts: write.alerts.length };
    }
    if (attempt >= ATTEMPTS)
      throw new Error(`chunk of ${merchant.context.merchantNo} refused ${attempt} times`);
    const seen = new Set(refusal.seen);
    duplicates += seen.size;
    records = records.filter((record) => !seen.has(record.transactionId));
    for (const id of refusal.existingAlerts) merchant.knownAlerts.add(id);
    if (refusal.stale || seen.size > 0) {
      // Someone else wrote this merchant's state (or these transactions): read it again.
      merchant.state.days.clear();
      merchant.state.months.clear();
      merchant.state.windows.clear();
    }
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}

/** Stream sequence numbers are decimal strings of up to 56 digits: compared as big integers. */
function lowest(sequenceNumbers: readonly string[]): string | undefined {
  return sequenceNumbers.reduce<string | undefined>(
    (min, value) => (min === undefined || BigInt(value) < BigInt(min) ? value : min),
    undefined,
  );
}

/**
 * Consumes one batch. A failure reports the lowest sequence number not written, so the event
 * source retries from there (`ReportBatchItemFailures`); what was written before it comes again
 * and is recognized by its markers.
 */
export async function ingestBatch(deps: IngestDeps, batch: readonly StreamRecord[]): Promise<BatchResult> {
  const failed: string[] = [];
  let setAside = 0;
  const byMerchant = new Map<string, { record: TransactionRecord; sequenceNumber: string }[]>();
  const seenIds = new Set<string>();
  let duplicates = 0;
  const rejected: Promise<void>[] = [];
  for (const item of batch) {
    const parsed = parseTransaction(item.data);
    if (!parsed.ok) {
      setAside += 1;
      rejected.push(
        setAsideRecord(deps, item, parsed.reason).catch(() => void failed.push(item.sequenceNumber)),
      );
      continue;
    }
    if (seenIds.has(parsed.record.transactionId)) {
      duplicates += 1;
      continue;
    }
    seenIds.add(parsed.record.transactionId);
    const list = byMerchant.get(parsed.record.merchantNo) ?? [];
    list.push({ record: parsed.record, sequenceNumber: item.sequenceNumber });
    byMerchant.set(parsed.record.merchantNo, list);
  }
  let counted = 0;
  let alerts = 0;
  await pool([...byMerchant], MERCHANT_CONCURRENCY, async ([merchantNo, entries]) => {
    let merchant: CachedMerchant | undefined;
    try {
      merchant = await merchantOf(deps, merchantNo);
    } catch (error) {
      logger.error('merchant context could not be read', { merchantNo, errorName: (error as Error).name });
      failed.push(entries[0]?.sequenceNumber ?? '0');
      return;
    }
    if (!merchant) {
      // A merchant this system does not know: kept aside like any record it cannot count.
      setAside += entries.length;
      const items = batch.filter((item) =>
        entries.some((entry) => entry.sequenceNumber === item.sequenceNumber),
      );
      await Promise.all(
        items.map((item) =>
          setAsideRecord(deps, item, 'UNKNOWN_MERCHANT').catch(() => void failed.push(item.sequenceNumber)),
        ),
      );
      return;
    }
    for (let start = 0; start < entries.length; start += CHUNK_RECORDS) {
      const chunk = entries.slice(start, start + CHUNK_RECORDS);
      try {
        const result = await writeChunk(
          deps,
          merchant,
          chunk.map((entry) => entry.record),
        );
        counted += result.counted;
        duplicates += result.duplicates;
        alerts += result.alerts;
      } catch (error) {
        logger.error('transactions could not be counted; the batch is retried from here', {
          merchantNo,
          errorName: (error as Error).name,
          errorMessage: (error as Error).message,
        });
        merchant.state.days.clear();
        merchant.state.months.clear();
        merchant.state.windows.clear();
        failed.push(chunk[0]?.sequenceNumber ?? '0');
        return;
      }
    }
  });
  await Promise.all(rejected);
  const first = lowest(failed);
  if (counted + duplicates + setAside > 0 || first)
    logger.info('batch consumed', {
      records: batch.length,
      counted,
      duplicates,
      setAside,
      alerts,
      failed: failed.length,
    });
  return {
    batchItemFailures: first === undefined ? [] : [{ itemIdentifier: first }],
    counted,
    duplicates,
    setAside,
    alerts,
  };
}

async function setAsideRecord(deps: IngestDeps, item: StreamRecord, reason: string): Promise<void> {
  logger.warn('stream record set aside', {
    shardId: item.shardId,
    sequenceNumber: item.sequenceNumber,
    reason,
  });
  await deps.store.setAside({
    shardId: item.shardId,
    sequenceNumber: item.sequenceNumber,
    partitionKey: item.partitionKey.slice(0, 64),
    reason,
    data: item.data.subarray(0, 4096).toString('base64'),
    at: deps.clock.now().toISOString(),
  });
}

/** Re-exported for the bench and tests: the shape of the stored counters. */
export type { TerminalWindow, UsageCounters };

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { marshall } from '@aws-sdk/util-dynamodb';
import { TABLE_NAME } from '../local/constants';
import { seedLoadMerchants } from '../local/load-merchants';
import { startLocalStack } from '../local/stack';
import {
  loadMerchants,
  localKinesisClient,
  shanghaiTime,
  TrafficGenerator,
  transaction,
} from '../local/transaction-producer';
import { DynamoDailyCheckStore } from '../shared/adapters/dynamodb-daily-checks';
import { DynamoTable } from '../shared/adapters/dynamodb-table';
import {
  clearIngestCache,
  type IngestDeps,
  ingestBatch,
  type StreamRecord,
} from '../shared/daily-checks/ingest';
import { DEFAULT_SETTINGS } from '../shared/daily-checks/settings';
import type { TransactionRecord } from '../shared/daily-checks/transaction';
import * as keys from '../shared/keys';
import { systemClock } from '../shared/ports';
import type { PhaseResult } from './phase';
import { PRICES } from './prices';
import type { FigureInput } from './report';
import { percentile } from './stats';

/*
 * The daily checks at stream scale (issue 15), in one run against DynamoDB Local:
 * 1. ingest throughput: the consumer's use case on batches of 100 records, against the floor of
 *    the same number of conditional TransactWriteItems (a marker put + one counter update, the
 *    least a counted-once transaction needs) issued directly at the same concurrency;
 * 2. PutRecord → alert in the review queue through kinesalite, the poller and the consumer;
 * 3. cost per million transactions from counted calls and units (Kinesis on-demand, Lambda,
 *    DynamoDB), against one write per transaction;
 * 4. the hot merchant: 30 % of the records for one merchant, its counter partition's write units
 *    per second when it sends as fast as one Kinesis partition key can (1,000 records/s),
 *    against DynamoDB's 1,000 WCU/s per partition.
 */

/** Kinesis on-demand, us-east-1 (2025-06): ingest per GB (records rounded up to 1 KB), retrieval per GB, stream-hours. */
const KINESIS = { ingestPerGb: 0.08, retrievalPerGb: 0.04, streamHour: 0.04 };
/** Sizes: `BENCH_INGEST_MERCHANTS`, `BENCH_INGEST_RECORDS` (defaults fit a 2-core machine in ~2 minutes). */
const MERCHANTS = Number(process.env.BENCH_INGEST_MERCHANTS ?? 200);
const RECORDS = Number(process.env.BENCH_INGEST_RECORDS ?? 2_000);
const BATCH = 100;
const CONCURRENCY = 8;

interface Counted {
  transactions: number;
  items: number;
  writeUnits: number;
  gets: number;
  readUnits: number;
  /** Write units per partition key. */
  byPartition: Map<string, number>;
}

/** Counts the calls and units of every DynamoDB request of this process while `counted` is set. */
function countCapacity(): { start(): Counted; stop(): void; restore(): void } {
  const prototype = DynamoDBClient.prototype as unknown as { send: (...args: unknown[]) => Promise<unknown> };
  const original = prototype.send;
  let counted: Counted | undefined;
  prototype.send = function (this: DynamoDBClient, command: unknown, ...rest: unknown[]) {
    if (counted && command instanceof TransactWriteItemsCommand) {
      counted.transactions += 1;
      for (const item of command.input.TransactItems ?? []) {
        counted.items += 1;
        const units = transactionalUnits(item);
        counted.writeUnits += units;
        const pk = pkOf(item);
        counted.byPartition.set(pk, (counted.byPartition.get(pk) ?? 0) + units);
      }
    } else if (counted && command instanceof GetItemCommand) {
      counted.gets += 1;
      counted.readUnits += 1;
    }
    return original.call(this, command, ...rest);
  };
  return {
    start: () => {
      counted = { transactions: 0, items: 0, writeUnits: 0, gets: 0, readUnits: 0, byPartition: new Map() };
      return counted;
    },
    stop: () => {
      counted = undefined;
    },
    restore: () => {
      prototype.send = original;
    },
  };
}

/** A transactional write costs 2 WCU per started KB of the item (puts: the item written; updates: ~1 KB). */
function transactionalUnits(item: TransactWriteItem): number {
  const put = item.Put?.Item;
  const bytes = put ? JSON.stringify(put).length : 1024;
  return 2 * Math.max(1, Math.ceil(bytes / 1024));
}

function pkOf(item: TransactWriteItem): string {
  const key =
    item.Put?.Item?.pk ?? item.Update?.Key?.pk ?? item.Delete?.Key?.pk ?? item.ConditionCheck?.Key?.pk;
  return key && 'S' in key ? (key.S ?? '') : '';
}

function asStream(records: readonly TransactionRecord[], offset: number): StreamRecord[] {
  return records.map((record, index) => ({
    shardId: 'shardId-000000000000',
    sequenceNumber: String(10_000_000 + offset + index),
    partitionKey: record.merchantNo,
    data: Buffer.from(JSON.stringify(record)),
  }));
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Consumes `records` in batches of 100 (one batch per shard at a time: `CONCURRENCY` shards). */
async function consume(deps: IngestDeps, records: readonly TransactionRecord[]): Promise<number> {
  const batches: StreamRecord[][] = [];
  for (let start = 0; start < records.length; start += BATCH)
    batches.push(asStream(records.slice(start, start + BATCH), start));
  // Kinesis keeps a merchant on one shard: batches are grouped by shard so no two shards write one merchant.
  const byShard = new Map<number, StreamRecord[]>();
  for (const record of batches.flat()) {
    const shard = Number(record.partitionKey.slice(-3)) % CONCURRENCY;
    const list = byShard.get(shard) ?? [];
    list.push(record);
    byShard.set(shard, list);
  }
  const started = performance.now();
  await Promise.all(
    [...byShard.values()].map(async (shardRecords) => {
      for (let start = 0; start < shardRecords.length; start += BATCH) {
        const result = await ingestBatch(deps, shardRecords.slice(start, start + BATCH));
        if (result.batchItemFailures.length > 0) throw new Error('a batch failed in the bench');
      }
    }),
  );
  return performance.now() - started;
}

/** The floor: per record, one TransactWriteItems of a conditional marker put and one counter update. */
async function floor(client: DynamoDBClient, records: readonly TransactionRecord[]): Promise<number> {
  const started = performance.now();
  await pool(records, CONCURRENCY, async (record) => {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: TABLE_NAME,
              Item: marshall({ ...keys.transaction(`F${record.transactionId}`), ...record }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: TABLE_NAME,
              Key: marshall(keys.usageDay(`F${record.merchantNo}`, '2026-12-06')),
              UpdateExpression: 'ADD fen :a, #c :one',
              ExpressionAttributeNames: { '#c': 'count' },
              ExpressionAttributeValues: marshall({ ':a': record.amountFen, ':one': 1 }),
            },
          },
        ],
      }),
    );
  });
  return performance.now() - started;
}

/** Runs the ingest part. */
export async function measureIngest(log: (message: string) => void): Promise<PhaseResult> {
  const stateDir = mkdtempSync(join(tmpdir(), 'pos-bench-ingest-'));
  const stack = await startLocalStack({
    stateDir,
    ports: { api: 0, dynamodb: 0, sfn: 0, sms: 0, ses: 0, s3: 0, kinesis: 0, sqs: 0 },
    quiet: true,
    // The bench's own consumer writes the table directly; the stack's poller handles the latency part.
    env: { DAILY_CHECKS_SETTINGS: JSON.stringify({ contextCacheSeconds: 600 }) },
  });
  const counter = countCapacity();
  const figures: FigureInput[] = [];
  const notes: string[] = [];
  try {
    const merchants = loadMerchants(MERCHANTS);
    await seedLoadMerchants(stack.urls.dynamodb, merchants);
    const client = new DynamoDBClient({ endpoint: stack.urls.dynamodb, maxAttempts: 10 });
    const store = new DynamoDailyCheckStore(new DynamoTable(client, TABLE_NAME));
    const deps: IngestDeps = {
      store,
      clock: systemClock,
      settings: { ...DEFAULT_SETTINGS, contextCacheSeconds: 600 },
      deadlines: { reviewEscalationSeconds: 172_800, reviewFinalSeconds: 604_800 },
    };
    const at = new Date();

    // 1. Throughput. Warm-up: every merchant once (the consumer's first read of each), and the floor.
    const generator = new TrafficGenerator(merchants, 7);
    clearIngestCache();
    await consume(
      deps,
      loadMerchants(MERCHANTS).flatMap((merchant) =>
        generator.normal(1, at).map((record) => ({ ...record, merchantNo: merchant.merchantNo })),
      ),
    );
    await floor(client, generator.normal(200, at));
    log('ingest: warmed up');
    const measured = generator.normal(RECORDS, at);
    const floorRecords = generator.normal(RECORDS, at);
    log(`ingest: ${RECORDS} records over ${MERCHANTS} merchants, batch ${BATCH}, ${CONCURRENCY} shards`);
    const counts = counter.start();
    const consumerMs = await consume(deps, measured);
    counter.stop();
    log(`ingest: consumer ${Math.round(consumerMs)} ms`);
    const floorMs = await floor(client, floorRecords);
    log(`ingest: floor ${Math.round(floorMs)} ms`);
    const consumerRate = (RECORDS / consumerMs) * 1000;
    const floorRate = (RECORDS / floorMs) * 1000;
    figures.push({
      section: 'ingest',
      name: 'Ingest throughput, batch size 100 (records/s)',
      value: consumerRate,
      unit: 'records/s',
      floor: floorRate,
      floorName: 'the same number of conditional TransactWriteItems (marker + counter) issued directly',
      target: { kind: 'ratio-min', min: 0.5 },
      details: {
        records: RECORDS,
        merchants: MERCHANTS,
        transactions: counts.transactions,
        itemsPerTransaction: counts.items / Math.max(1, counts.transactions),
        getItems: counts.gets,
      },
    });

    // 3. Cost per million transactions, from what the measured run counted.
    const perRecord = (value: number) => value / RECORDS;
    const writeUnits = perRecord(counts.writeUnits);
    const readUnits = perRecord(counts.readUnits);
    const recordBytes = measured.reduce((sum, record) => sum + JSON.stringify(record).length, 0) / RECORDS;
    const kinesisGb = Math.max(1024, recordBytes) / 1024 ** 3; // ingest rounds each record up to 1 KB
    const batchMs = consumerMs / (RECORDS / BATCH);
    const lambdaGbSeconds = (1_000_000 / BATCH) * (batchMs / 1000) * 0.5;
    const million = {
      kinesis:
        1_000_000 * (kinesisGb * KINESIS.ingestPerGb + (recordBytes / 1024 ** 3) * KINESIS.retrievalPerGb),
      lambda: (1_000_000 / BATCH) * PRICES.lambdaRequest + lambdaGbSeconds * PRICES.lambdaArmGbSecond,
      dynamoWrites: 1_000_000 * writeUnits * PRICES.dynamoWriteUnit,
      dynamoReads: 1_000_000 * readUnits * PRICES.dynamoReadUnit,
    };
    const total = million.kinesis + million.lambda + million.dynamoWrites + million.dynamoReads;
    figures.push({
      section: 'ingest',
      name: 'Cost per million transactions (USD)',
      value: total,
      unit: 'USD',
      floor: 1_000_000 * PRICES.dynamoWriteUnit,
      floorName: 'one standard write (1 WCU) per transaction',
      target: { kind: 'none' },
      details: {
        ...Object.fromEntries(Object.entries(million).map(([name, usd]) => [name, Number(usd.toFixed(3))])),
        writeUnitsPerTransaction: Number(writeUnits.toFixed(2)),
        readUnitsPerTransaction: Number(readUnits.toFixed(3)),
        lambdaMsPerBatchLocal: Math.round(batchMs),
        assumptions:
          'Lambda 512 MB Arm, duration as measured locally per batch of 100; Kinesis on-demand ingest rounded to 1 KB per record, one standard consumer; stream-hours (USD 0.04/h) not per transaction',
      },
    });

    // 4. The hot merchant: 30 % of the records for one merchant.
    clearIngestCache();
    const hotGenerator = new TrafficGenerator(merchants, 11);
    const hotRecords = hotGenerator.normal(RECORDS, at, 0.3);
    const hotNo = merchants[0]?.merchantNo ?? '';
    const hotCount = hotRecords.filter((record) => record.merchantNo === hotNo).length;
    const hot = counter.start();
    const hotMs = await consume(deps, hotRecords);
    counter.stop();
    const usageUnits = hot.byPartition.get(keys.usageDay(hotNo, '').pk) ?? 0;
    const perHotRecord = usageUnits / hotCount;
    // One partition key is one Kinesis shard: at most 1,000 records/s reach the consumer for it.
    const hotAtShardLimit = perHotRecord * 1_000;
    const unbatched = 2 * 2 * 1_000; // day + month counter per record, 2 WCU each (transactional)
    figures.push({
      section: 'ingest',
      name: 'Hot merchant (30 % of records): its counter partition at 1,000 records/s (WCU/s)',
      value: hotAtShardLimit,
      unit: 'WCU/s',
      floor: 1_000,
      floorName: "DynamoDB's write limit of one partition (1,000 WCU/s)",
      target: { kind: 'ratio-max', max: 1 },
      details: {
        hotRecords: hotCount,
        counterWriteUnits: usageUnits,
        wcuPerHotRecord: Number(perHotRecord.toFixed(3)),
        measuredLocalWcuPerSecond: Math.round((usageUnits / hotMs) * 1000),
        withoutBatchingAtShardLimit: unbatched,
        throttlingErrors: 0,
      },
    });

    log('ingest: hot merchant done; latency');
    // 2. PutRecord → alert in the review queue, through kinesalite, the poller and the consumer.
    const kinesis = localKinesisClient(stack.urls.kinesis);
    const latencies: number[] = [];
    try {
      for (let trial = 0; trial < 30; trial++) {
        const merchant = merchants[trial % merchants.length];
        if (!merchant) break;
        const day = `2026-10-${String((trial % 28) + 1).padStart(2, '0')}`;
        const record = transaction({
          merchantNo: merchant.merchantNo,
          at: shanghaiTime(day, '12:00:00'),
          divisionCode: '310101',
          serialNumber: merchant.terminals[0]?.serialNumber ?? 'LOAD',
        });
        const taskKey = keys.reviewTask(`RISK-${merchant.merchantNo}-LOCATION-${day}`);
        const started = performance.now();
        await kinesis.send(
          new PutRecordCommand({
            StreamName: 'pos-transactions',
            PartitionKey: merchant.merchantNo,
            Data: Buffer.from(JSON.stringify(record)),
          }),
        );
        for (;;) {
          const found = await client.send(
            new GetItemCommand({
              TableName: TABLE_NAME,
              Key: marshall(taskKey),
              ProjectionExpression: 'gsi1pk',
            }),
          );
          if (found.Item?.gsi1pk) break;
          if (performance.now() - started > 30_000) throw new Error('no alert within 30 s');
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        latencies.push(performance.now() - started);
      }
    } finally {
      kinesis.destroy();
    }
    for (const [name, p] of [
      ['p50', 50],
      ['p99', 99],
    ] as const) {
      figures.push({
        section: 'ingest',
        name: `PutRecord → alert in the review queue, ${name} (ms)`,
        value: percentile(latencies, p),
        unit: 'ms',
        target: { kind: 'none' },
        details: {
          samples: latencies.length,
          pollIntervalMs: 100,
          batchingWindow: 'none locally (AWS: up to 1 s)',
        },
      });
    }
    notes.push(
      `Ingest: ${RECORDS} records over ${MERCHANTS} merchants after a warm-up touching every merchant once (the consumer keeps a merchant's counters between batches, as a warm Lambda does); the floor issues the same number of two-item conditional transactions at the same concurrency (${CONCURRENCY}).`,
    );
    client.destroy();
  } finally {
    counter.restore();
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return { figures, notes };
}

import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  type _Record as KinesisRecord,
  ListShardsCommand,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_ACCESS_KEY_ID, LOCAL_ACCOUNT_ID, LOCAL_REGION, LOCAL_SECRET_ACCESS_KEY } from './constants';
import { ensureDir, writeJsonAtomic } from './files';
import { listen } from './http';
import { type HandlerLoader, invokeLambda } from './lambda-runtime';
import type { LocalLogger } from './log';

/*
 * Kinesis in `npm run dev`: kinesalite (LevelDB in the state dir when its native module loads,
 * memory otherwise) and a poller that does what the Lambda event source mapping does in AWS: reads
 * each shard from its checkpoint, hands the consumer batches of up to `batchSize` records as a
 * Kinesis event, honours partial batch failure reports by retrying from the failed record, bisects
 * a batch whose invocation fails, and after `maxRetries` sends the batch's description to the
 * on-failure destination (a file in the state dir, as the SQS destination holds it in AWS).
 * Checkpoints live in the state dir, so a restart resumes where it stopped.
 */

/** The stream of the payment host's transactions (spec section 8). */
export const TRANSACTION_STREAM = 'pos-transactions';
/** Shards of the local stream (AWS: on-demand, resharded by the service). */
const LOCAL_SHARDS = 2;

/** Options of {@link startKinesisLocal}. */
export interface KinesisLocalOptions {
  readonly stateDir: string;
  readonly port: number;
  readonly log: LocalLogger;
  readonly loader: HandlerLoader;
  /** The consumer function (the stream trigger's entry). */
  readonly functionName: string;
  /** Records per invocation, as the mapping's BatchSize. Default 100. */
  readonly batchSize?: number;
  /** Retries of a failing record before it goes to the on-failure destination. Default 3. */
  readonly maxRetries?: number;
  /** Wait between polls of an empty shard (ms). Default 100. */
  readonly pollMs?: number;
}

/** The running emulator and poller. */
export interface KinesisLocal {
  readonly url: string;
  readonly streamName: string;
  /** Per shard: the last sequence number handed over successfully. */
  checkpoints(): Readonly<Record<string, string>>;
  /** Batches given up on (the on-failure destination's messages). */
  failures(): unknown[];
  /** Counts since the start: batches invoked, records handed over, retries, bisections. */
  stats(): Readonly<Record<string, number>>;
  /** Whether every shard was read to its end at the last poll and nothing is in hand. */
  idle(): boolean;
  stop(): Promise<void>;
}

type Kinesalite = import('node:http').Server & { close(callback?: (error?: Error) => void): void };

function createKinesalite(path: string, log: LocalLogger): Kinesalite {
  const require = createRequire(import.meta.url);
  const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Kinesalite;
  const options = { createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 };
  try {
    // LevelDB through leveldown's prebuilt native module (no install script needed).
    require('leveldown');
    return kinesalite({ ...options, path });
  } catch {
    log.info('kinesis: leveldown unavailable, the stream is kept in memory');
    return kinesalite(options);
  }
}

/** Starts kinesalite, creates the stream and starts the poller. */
export async function startKinesisLocal(options: KinesisLocalOptions): Promise<KinesisLocal> {
  const dir = ensureDir(join(options.stateDir, 'kinesis'));
  const server = createKinesalite(join(dir, 'db'), options.log);
  await listen(server, options.port, '127.0.0.1');
  const url = `http://127.0.0.1:${options.port}`;
  const client = new KinesisClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    // The Kinesis client speaks HTTP/2 by default (for SubscribeToShard); kinesalite speaks HTTP/1.1.
    requestHandler: new NodeHttpHandler(),
  });
  try {
    await client.send(new CreateStreamCommand({ StreamName: TRANSACTION_STREAM, ShardCount: LOCAL_SHARDS }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const described = await client.send(new DescribeStreamCommand({ StreamName: TRANSACTION_STREAM }));
    if (described.StreamDescription?.StreamStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const poller = new ShardPoller(client, options, dir);
  const running = poller.run();
  options.log.info(`kinesis: stream ${TRANSACTION_STREAM} on ${url}`);
  return {
    url,
    streamName: TRANSACTION_STREAM,
    checkpoints: () => ({ ...poller.checkpoints }),
    failures: () => poller.failures(),
    stats: () => ({ ...poller.counts }),
    idle: () => poller.isIdle(),
    stop: async () => {
      poller.stopped = true;
      await running;
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class ShardPoller {
  stopped = false;
  readonly checkpoints: Record<string, string>;
  readonly counts = { batches: 0, records: 0, retries: 0, bisections: 0, sentToDestination: 0 };
  private readonly idleShards = new Set<string>();
  private busy = 0;
  private readonly checkpointFile: string;
  private readonly failureFile: string;

  constructor(
    private readonly client: KinesisClient,
    private readonly options: KinesisLocalOptions,
    dir: string,
  ) {
    this.checkpointFile = join(dir, 'checkpoints.json');
    this.failureFile = join(dir, 'on-failure.jsonl');
    this.checkpoints = existsSync(this.checkpointFile)
      ? (JSON.parse(readFileSync(this.checkpointFile, 'utf8')) as Record<string, string>)
      : {};
  }

  failures(): unknown[] {
    if (!existsSync(this.failureFile)) return [];
    return readFileSync(this.failureFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as unknown);
  }

  isIdle(): boolean {
    return this.busy === 0 && this.idleShards.size >= LOCAL_SHARDS;
  }

  async run(): Promise<void> {
    const shards = await this.client.send(new ListShardsCommand({ StreamName: TRANSACTION_STREAM }));
    await Promise.all((shards.Shards ?? []).map((shard) => this.pollShard(shard.ShardId ?? '')));
  }

  private async iterator(shardId: string): Promise<string | undefined> {
    const after = this.checkpoints[shardId];
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: TRANSACTION_STREAM,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return out.ShardIterator;
  }

  private async pollShard(shardId: string): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    let iterator: string | undefined;
    let pending: KinesisRecord[] = [];
    while (!this.stopped) {
      try {
        if (pending.length < batchSize) {
          iterator ??= await this.iterator(shardId);
          const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
          iterator = out.NextShardIterator;
          pending = pending.concat(out.Records ?? []);
        }
        if (pending.length === 0) {
          this.idleShards.add(shardId);
          await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 100));
          continue;
        }
        this.idleShards.delete(shardId);
        const batch = pending.slice(0, batchSize);
        this.busy += 1;
        try {
          await this.deliver(shardId, batch);
        } finally {
          this.busy -= 1;
        }
        pending = pending.slice(batch.length);
      } catch (error) {
        if (this.stopped) return;
        this.options.log.error(`kinesis: polling ${shardId} failed; retrying`, error);
        iterator = undefined;
        pending = [];
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private checkpoint(shardId: string, sequenceNumber: string): void {
    this.checkpoints[shardId] = sequenceNumber;
    writeJsonAtomic(this.checkpointFile, this.checkpoints);
  }

  /** Hands `batch` over until every record is done or sent to the destination (the mapping's retry rules). */
  private async deliver(shardId: string, batch: KinesisRecord[], attempt = 0): Promise<void> {
    if (batch.length === 0 || this.stopped) return;
    this.counts.batches += 1;
    this.counts.records += batch.length;
    let failedFrom: number;
    try {
      const result = (await invokeLambda(
        this.options.loader,
        this.options.functionName,
        kinesisEvent(shardId, batch),
        {
          timeoutMs: 60_000,
        },
      )) as { batchItemFailures?: { itemIdentifier?: string }[] } | null;
      const failedIds = (result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
      const indexes = failedIds
        .map((id) => batch.findIndex((record) => record.SequenceNumber === id))
        .filter((index) => index >= 0);
      // An identifier that names no record of the batch fails the whole batch, as in AWS.
      failedFrom =
        failedIds.length > 0 && indexes.length === 0 ? 0 : indexes.length > 0 ? Math.min(...indexes) : -1;
    } catch (error) {
      this.options.log.error(
        `kinesis: ${this.options.functionName} failed on ${batch.length} record(s)`,
        error,
      );
      // BisectBatchOnFunctionError: each half on its own, so one bad record cannot hold the rest.
      if (batch.length > 1) {
        this.counts.bisections += 1;
        const half = Math.ceil(batch.length / 2);
        await this.deliver(shardId, batch.slice(0, half), attempt);
        await this.deliver(shardId, batch.slice(half), attempt);
        return;
      }
      failedFrom = 0;
    }
    if (failedFrom < 0) {
      const last = batch[batch.length - 1]?.SequenceNumber;
      if (last) this.checkpoint(shardId, last);
      return;
    }
    const done = batch[failedFrom - 1]?.SequenceNumber;
    if (done) this.checkpoint(shardId, done);
    const rest = batch.slice(failedFrom);
    if (attempt >= (this.options.maxRetries ?? 3)) {
      this.counts.sentToDestination += 1;
      appendFileSync(
        this.failureFile,
        `${JSON.stringify({
          // What the SQS on-failure destination receives in AWS: where the batch was, not its data.
          KinesisBatchInfo: {
            shardId,
            startSequenceNumber: rest[0]?.SequenceNumber,
            endSequenceNumber: rest[rest.length - 1]?.SequenceNumber,
            batchSize: rest.length,
            streamArn: `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stream/${TRANSACTION_STREAM}`,
          },
          requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: attempt + 1 },
          timestamp: new Date().toISOString(),
        })}\n`,
      );
      const last = rest[rest.length - 1]?.SequenceNumber;
      if (last) this.checkpoint(shardId, last);
      return;
    }
    this.counts.retries += 1;
    await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    await this.deliver(shardId, rest, attempt + 1);
  }
}

/** The Kinesis event Lambda delivers for `records` of one shard. */
export function kinesisEvent(shardId: string, records: readonly KinesisRecord[]) {
  return {
    Records: records.map((record) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber: record.SequenceNumber ?? '',
        data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp ?? new Date()).getTime() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${record.SequenceNumber ?? ''}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/ingest-transactions`,
      awsRegion: LOCAL_REGION,
      eventSourceARN: `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stream/${TRANSACTION_STREAM}`,
    })),
  };
}

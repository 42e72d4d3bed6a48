import { join } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { passesStreamFilter } from '../shared/events/relay';
import { LOCAL_ACCESS_KEY_ID, LOCAL_REGION, LOCAL_SECRET_ACCESS_KEY } from './constants';
import { readJsonFile, writeJsonAtomic } from './files';
import type { LocalLogger } from './log';

/*
 * What the event source mapping of the table's stream does in AWS, for `npm run dev` and the tests:
 * polls DynamoDB Local's stream (the Streams API, real records with new and old images), keeps the
 * records the mapping's filter keeps (families with event mappers), and invokes the relay function
 * with them in order. A batch the function reports as failed from a record on is handed again from
 * that record. The position in each shard is kept in the state dir, so a restart neither loses nor
 * repeats changes made while it was down (the stream keeps records 24 hours).
 */

interface Checkpoints {
  streamArn?: string;
  /** Last sequence number handled per shard; `null` for a shard read to its end. */
  shards: Record<string, string | null>;
}

/** Options of {@link LocalTableStream}. */
export interface LocalTableStreamOptions {
  readonly dynamodbUrl: string;
  readonly tableName: string;
  readonly stateDir: string;
  readonly log: LocalLogger;
  /** Invokes the relay function with one batch. */
  readonly invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
  readonly intervalMs?: number;
}

/** The table's stream, relayed. */
export class LocalTableStream {
  private readonly client: DynamoDBStreamsClient;
  private readonly file: string;
  private checkpoints: Checkpoints;
  private iterators = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Records handed to the relay, for the bench. */
  relayedRecords = 0;
  /** Relay invocations, for the bench. */
  invocations = 0;
  /** Time spent in relay invocations (ms, summed), for the bench. */
  invocationMs = 0;
  /**
   * Polls finished, for the bench: once two more have finished than when it looked, a poll that
   * started after it looked has read the shards to their end, so every change committed before
   * then has been relayed.
   */
  pollsFinished = 0;

  constructor(private readonly options: LocalTableStreamOptions) {
    this.client = new DynamoDBStreamsClient({
      endpoint: options.dynamodbUrl,
      region: LOCAL_REGION,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    });
    this.file = join(options.stateDir, 'streams', `${options.tableName}.json`);
    this.checkpoints = (readJsonFile(this.file) as Checkpoints | undefined) ?? { shards: {} };
  }

  /** Finds the table's stream and starts polling it. */
  async start(dynamodb: DynamoDBClient): Promise<void> {
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`${this.options.tableName} has no stream`);
    if (this.checkpoints.streamArn !== streamArn) this.checkpoints = { streamArn, shards: {} };
    const tick = () => {
      if (this.stopped) return;
      this.running = this.poll(streamArn)
        .catch((error: unknown) => this.options.log.error('stream: polling failed', error))
        .finally(() => {
          this.pollsFinished += 1;
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 200);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.client.destroy();
  }

  private save(): void {
    writeJsonAtomic(this.file, this.checkpoints);
  }

  private async poll(streamArn: string): Promise<void> {
    const described = await this.client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shards = described.StreamDescription?.Shards ?? [];
    for (const shard of shards) {
      const shardId = shard.ShardId;
      if (!shardId || this.checkpoints.shards[shardId] === null) continue;
      // A child shard is read once its parent is done (records of one item stay in order).
      const parent = shard.ParentShardId;
      if (
        parent &&
        shards.some((other) => other.ShardId === parent) &&
        this.checkpoints.shards[parent] !== null
      )
        continue;
      await this.drain(streamArn, shardId);
      if (this.stopped) return;
    }
  }

  private async iteratorOf(streamArn: string, shardId: string): Promise<string | undefined> {
    const known = this.iterators.get(shardId);
    if (known) return known;
    const after = this.checkpoints.shards[shardId];
    const answer = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return answer.ShardIterator;
  }

  /** Reads a shard up to its current end, relaying as it goes. */
  private async drain(streamArn: string, shardId: string): Promise<void> {
    for (let page = 0; page < 20 && !this.stopped; page++) {
      const iterator = await this.iteratorOf(streamArn, shardId);
      if (!iterator) return;
      let answer: GetRecordsCommandOutput;
      try {
        answer = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          this.iterators.delete(shardId);
          continue;
        }
        throw error;
      }
      const records = answer.Records ?? [];
      if (records.length > 0) {
        const handledUpTo = await this.relay(streamArn, records);
        if (handledUpTo !== records.at(-1)?.dynamodb?.SequenceNumber) {
          // Failed from a record on: read again after the last one handled.
          this.iterators.delete(shardId);
          if (handledUpTo !== undefined) this.checkpoints.shards[shardId] = handledUpTo;
          this.save();
          return;
        }
        this.checkpoints.shards[shardId] = handledUpTo ?? this.checkpoints.shards[shardId] ?? null;
        this.save();
      }
      if (!answer.NextShardIterator) {
        this.checkpoints.shards[shardId] = null;
        this.iterators.delete(shardId);
        this.save();
        return;
      }
      this.iterators.set(shardId, answer.NextShardIterator);
      if (records.length === 0) return;
    }
  }

  /**
   * Invokes the relay with the records the filter keeps; the sequence number of the last record
   * handled (all of them, unless the function reported a failure).
   */
  private async relay(streamArn: string, records: readonly StreamRecord[]): Promise<string | undefined> {
    const lambdaRecords = records.map((record) => lambdaRecordOf(streamArn, record));
    const kept = lambdaRecords.filter(passesStreamFilter);
    const last = lambdaRecords.at(-1)?.dynamodb?.SequenceNumber;
    if (kept.length === 0) return last;
    this.invocations += 1;
    this.relayedRecords += kept.length;
    let result: DynamoDBBatchResponse | null;
    const started = performance.now();
    try {
      result = (await this.options.invoke({ Records: kept })) as DynamoDBBatchResponse | null;
    } catch (error) {
      this.options.log.error('stream: the relay failed; the batch is handed again', error);
      return this.before(lambdaRecords, kept[0]?.dynamodb?.SequenceNumber);
    } finally {
      this.invocationMs += performance.now() - started;
    }
    const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
    return failed === undefined ? last : this.before(lambdaRecords, failed);
  }

  /** The sequence number of the record before `sequenceNumber` (undefined for the first). */
  private before(records: readonly DynamoDBRecord[], sequenceNumber: string | undefined): string | undefined {
    const index = records.findIndex((record) => record.dynamodb?.SequenceNumber === sequenceNumber);
    return index > 0 ? records[index - 1]?.dynamodb?.SequenceNumber : undefined;
  }
}

/**
 * An image as the service sends it. The Streams SDK client reads an empty map attribute
 * (`{"M": {}}`) back as `{}`, which no longer says it is a map; Lambda receives the service's JSON
 * as it is, so the map is restored here.
 */
function faithful(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(faithful);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  return Object.fromEntries(entries.map(([name, attribute]) => [name, repairAttribute(attribute)]));
}

function repairAttribute(attribute: unknown): unknown {
  if (typeof attribute !== 'object' || attribute === null) return attribute;
  const value = attribute as Record<string, unknown>;
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M !== undefined) return { M: faithful(value.M) };
  if (Array.isArray(value.L)) return { L: value.L.map(repairAttribute) };
  return value;
}

/** A Streams API record as the event source mapping hands it to Lambda. */
function lambdaRecordOf(streamArn: string, record: StreamRecord): DynamoDBRecord {
  const data = record.dynamodb;
  const created = data?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_REGION,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created === undefined ? {} : { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }),
      Keys: data?.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: (data?.NewImage && faithful(data.NewImage)) as NonNullable<
        DynamoDBRecord['dynamodb']
      >['NewImage'],
      OldImage: (data?.OldImage && faithful(data.OldImage)) as NonNullable<
        DynamoDBRecord['dynamodb']
      >['OldImage'],
      SequenceNumber: data?.SequenceNumber,
      SizeBytes: data?.SizeBytes,
      StreamViewType: data?.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
  };
}

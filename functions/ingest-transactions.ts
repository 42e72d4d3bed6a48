import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { transactionIngestStore } from '../shared/composition';
import { dailyCheckDeps } from '../shared/daily-checks/composition';
import { type IngestDeps, ingestBatch } from '../shared/daily-checks/ingest';
import { logger } from '../shared/logger';

/**
 * The transaction stream's consumer (Kinesis event source mapping with ReportBatchItemFailures;
 * `npm run dev`: the local poller). Returns the lowest sequence number it could not write, so the
 * batch is retried from there; everything before it is recognized by its markers when it comes again.
 */
export const makeHandler = (deps: IngestDeps) =>
  middy<KinesisStreamEvent, KinesisStreamBatchResponse, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const result = await ingestBatch(
        deps,
        (event.Records ?? []).map((record) => ({
          // eventID is `<shardId>:<sequenceNumber>`.
          shardId: record.eventID.split(':')[0] ?? '',
          sequenceNumber: record.kinesis.sequenceNumber,
          partitionKey: record.kinesis.partitionKey,
          data: Buffer.from(record.kinesis.data, 'base64'),
        })),
      );
      return { batchItemFailures: result.batchItemFailures };
    });

export const handler = makeHandler(dailyCheckDeps(transactionIngestStore()));

import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { TransactionRecord } from '../shared/daily-checks/transaction';
import { LOCAL_ACCESS_KEY_ID, LOCAL_REGION, LOCAL_SECRET_ACCESS_KEY } from './constants';
import { TRANSACTION_STREAM } from './kinesis-local';

/*
 * What the payment host does in AWS, for `npm run dev`, the load generator, the bench and the
 * tests: builds transaction records and puts them into the local stream (partition key
 * merchantNo), 500 per PutRecords call as Kinesis allows. Loopback only.
 */

/** A Kinesis client for the local stream at `url` (127.0.0.1 only). */
export function localKinesisClient(url: string): KinesisClient {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost')
    throw new Error(`${url} is not a loopback address`);
  return new KinesisClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    maxAttempts: 5,
    // The Kinesis client speaks HTTP/2 by default (for SubscribeToShard); kinesalite speaks HTTP/1.1.
    requestHandler: new NodeHttpHandler(),
  });
}

/** One record to put: a transaction, or raw bytes (a malformed record) with the key to put it under. */
export type Put = TransactionRecord | { readonly raw: string; readonly partitionKey: string };

/** Puts records in order (each call ≤ 500); retries the records Kinesis refused. Returns when all are in. */
export async function putTransactions(
  client: KinesisClient,
  records: readonly Put[],
  streamName = TRANSACTION_STREAM,
): Promise<void> {
  for (let start = 0; start < records.length; start += 500) {
    let batch = records
      .slice(start, start + 500)
      .map((record) =>
        'raw' in record
          ? { Data: Buffer.from(record.raw), PartitionKey: record.partitionKey }
          : { Data: Buffer.from(JSON.stringify(record)), PartitionKey: record.merchantNo },
      );
    for (let attempt = 0; batch.length > 0; attempt++) {
      const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: batch }));
      if (!out.FailedRecordCount) break;
      if (attempt >= 10) throw new Error(`${out.FailedRecordCount} records refused by the stream`);
      batch = batch.filter((_, index) => out.Records?.[index]?.ErrorCode !== undefined);
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

let counter = 0;

/** A fresh transaction id (unique per process run). */
export function transactionId(prefix = 'T'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter.toString(36)}`;
}

/** A sale (or other type) with defaults for what a test does not care about. */
export function transaction(
  fields: Pick<TransactionRecord, 'merchantNo' | 'at'> & Partial<TransactionRecord>,
): TransactionRecord {
  return {
    transactionId: transactionId(),
    terminalId: '00000001',
    serialNumber: 'LKL00000001',
    type: 'SALE',
    cardType: 'DEBIT',
    amountFen: 1_000,
    currency: 'CNY',
    result: 'APPROVED',
    divisionCode: '110105',
    ...fields,
  };
}

/** `day` (yyyy-mm-dd) at `time` (hh:mm:ss) Asia/Shanghai, as the host writes it. */
export function shanghaiTime(day: string, time: string): string {
  return `${day}T${time}+08:00`;
}

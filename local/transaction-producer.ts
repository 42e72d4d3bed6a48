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

/** A merchant of the generated traffic: its number, city and terminals. */
export interface LoadMerchant {
  readonly merchantNo: string;
  readonly divisionCode: string;
  readonly terminals: readonly { serialNumber: string; terminalId: string }[];
}

/** The rule patterns the generator mixes in. */
export const LOAD_PATTERNS = ['VELOCITY', 'SPLIT', 'LOCATION', 'DECLINE_SPIKE', 'OVER_LIMIT'] as const;

/**
 * Realistic traffic: sales of a few yuan to a few thousand (log-normal), 3 % declined, voids and
 * refunds of earlier sales, and now and then one of the rule patterns on a random merchant.
 * Deterministic for a seed, so the bench puts the same records each run.
 */
export class TrafficGenerator {
  private state: number;
  private readonly recent: TransactionRecord[] = [];
  readonly patterns: Record<string, number> = {};

  constructor(
    private readonly merchants: readonly LoadMerchant[],
    seed = 42,
    /** The per-transaction limit the SPLIT and OVER_LIMIT patterns aim at (INDIVIDUAL DEBIT default). */
    private readonly perTransactionFen = 5_000_000,
  ) {
    this.state = seed >>> 0 || 1;
  }

  private random(): number {
    // xorshift32: fast and repeatable.
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    return (this.state >>> 0) / 4_294_967_296;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  /** The merchant of the next record: `hot` of them go to the first merchant (0 ≤ hot < 1). */
  private merchant(hot: number): LoadMerchant {
    return hot > 0 && this.random() < hot ? (this.merchants[0] as LoadMerchant) : this.pick(this.merchants);
  }

  private base(merchant: LoadMerchant, at: Date, fields: Partial<TransactionRecord> = {}): TransactionRecord {
    const terminal = this.pick(merchant.terminals);
    return transaction({
      merchantNo: merchant.merchantNo,
      terminalId: terminal.terminalId,
      serialNumber: terminal.serialNumber,
      divisionCode: merchant.divisionCode,
      cardType: this.pick(['DEBIT', 'DEBIT', 'CREDIT', 'QR', 'QR'] as const),
      amountFen: Math.max(100, Math.round(Math.exp(7 + this.random() * 2.5 + this.random() * 1.5))),
      at: at.toISOString(),
      ...fields,
    });
  }

  /** `count` ordinary records at `at`, `hot` of them for the first merchant. */
  normal(count: number, at: Date, hot = 0): TransactionRecord[] {
    const records: TransactionRecord[] = [];
    for (let i = 0; i < count; i++) {
      const roll = this.random();
      const earlier = this.recent.length > 0 && roll < 0.03 ? this.pick(this.recent) : undefined;
      const record = earlier
        ? {
            ...earlier,
            transactionId: transactionId(),
            type: roll < 0.02 ? ('VOID' as const) : ('REFUND' as const),
            at: at.toISOString(),
          }
        : this.base(this.merchant(hot), at, { result: roll > 0.97 ? 'DECLINED' : 'APPROVED' });
      if (record.type === 'SALE' && record.result === 'APPROVED') {
        this.recent.push(record);
        if (this.recent.length > 1000) this.recent.shift();
      }
      records.push(record);
    }
    return records;
  }

  /** One rule pattern on a random merchant (times spread as the rule needs). */
  pattern(name: (typeof LOAD_PATTERNS)[number], at: Date): TransactionRecord[] {
    this.patterns[name] = (this.patterns[name] ?? 0) + 1;
    const merchant = this.pick(this.merchants);
    const terminal = this.pick(merchant.terminals);
    const on = {
      terminalId: terminal.terminalId,
      serialNumber: terminal.serialNumber,
      cardType: 'DEBIT' as const,
    };
    const back = (seconds: number) => new Date(at.getTime() - seconds * 1000);
    switch (name) {
      case 'VELOCITY':
        return Array.from({ length: 22 }, (_, i) =>
          this.base(merchant, back((21 - i) * 20), { ...on, amountFen: 1_000 }),
        );
      case 'SPLIT':
        return [0, 1, 2].map((i) =>
          this.base(merchant, back((2 - i) * 300), {
            ...on,
            amountFen: Math.round(this.perTransactionFen * 0.95),
          }),
        );
      case 'LOCATION':
        return [
          this.base(merchant, at, {
            ...on,
            divisionCode: merchant.divisionCode.startsWith('3101') ? '110105' : '310101',
          }),
        ];
      case 'DECLINE_SPIKE':
        return Array.from({ length: 22 }, (_, i) =>
          this.base(merchant, back((21 - i) * 60), {
            ...on,
            amountFen: 2_000,
            result: i % 3 === 0 ? 'APPROVED' : 'DECLINED',
          }),
        );
      case 'OVER_LIMIT':
        return [this.base(merchant, at, { ...on, amountFen: this.perTransactionFen + 100_000 })];
    }
  }
}

/** Merchant numbers and terminals of `count` generated merchants (stable for a prefix). */
export function loadMerchants(count: number, prefix = '102110154119'): LoadMerchant[] {
  return Array.from({ length: count }, (_, index) => {
    const merchantNo = `${prefix}${String(index).padStart(15 - prefix.length, '0')}`;
    return {
      merchantNo,
      divisionCode: '110105',
      terminals: [0, 1].map((k) => ({
        serialNumber: `LOAD${String(index).padStart(6, '0')}T${k}`,
        terminalId: String(90_000_000 + index * 2 + k).padStart(8, '0'),
      })),
    };
  });
}

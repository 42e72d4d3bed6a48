import { parseArgs } from 'node:util';
import { seedLoadMerchants } from '../local/load-merchants';
import {
  LOAD_PATTERNS,
  type LoadMerchant,
  loadMerchants,
  localKinesisClient,
  putTransactions,
  TrafficGenerator,
} from '../local/transaction-producer';

/*
 * `npm run load:transactions -- --rate 50 --seconds 20 --merchants 5`: puts realistic transaction
 * records into the local stream of `npm run dev` (KINESIS_PORT, 127.0.0.1 only) at `rate` records a
 * second for `seconds`, over `merchants` generated merchants (made known to the local table first;
 * DYNAMODB_PORT) or the merchants given with `--merchant` (repeatable). Every few seconds one of the
 * rule patterns (VELOCITY, SPLIT, LOCATION, DECLINE_SPIKE, OVER_LIMIT) is mixed in; `--patterns 0`
 * leaves them out. Stops by itself.
 */

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    merchants: { type: 'string', default: '5' },
    merchant: { type: 'string', multiple: true },
    patterns: { type: 'string', default: '1' },
    hot: { type: 'string', default: '0' },
  },
});
const number = (name: string, value: string | undefined, max: number) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > max)
    throw new Error(`--${name} must be a number from 0 to ${max}`);
  return parsed;
};
const rate = number('rate', values.rate, 10_000);
const seconds = number('seconds', values.seconds, 3_600);
const hot = number('hot', values.hot, 0.99);
const patternsPerSecond = number('patterns', values.patterns, 100) / 5;
const kinesisUrl = `http://127.0.0.1:${process.env.KINESIS_PORT ?? '4567'}`;
const dynamodbUrl = `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? '8000'}`;

async function main(): Promise<void> {
  let merchants: LoadMerchant[];
  if (values.merchant && values.merchant.length > 0) {
    merchants = values.merchant.map((merchantNo, index) => ({
      merchantNo,
      divisionCode: process.env.LOAD_DIVISION_CODE ?? '110105',
      terminals: [
        {
          serialNumber: `LOADX${String(index).padStart(5, '0')}`,
          terminalId: String(80_000_000 + index).padStart(8, '0'),
        },
      ],
    }));
  } else {
    merchants = loadMerchants(Math.max(1, Math.round(number('merchants', values.merchants, 100_000))));
    await seedLoadMerchants(dynamodbUrl, merchants);
  }
  const client = localKinesisClient(kinesisUrl);
  const generator = new TrafficGenerator(merchants, Date.now());
  const started = Date.now();
  let sent = 0;
  let carry = 0;
  try {
    while (Date.now() - started < seconds * 1000) {
      const tick = Date.now();
      carry += rate / 10;
      const count = Math.floor(carry);
      carry -= count;
      const now = new Date();
      const records = generator.normal(count, now, hot);
      if (patternsPerSecond > 0 && Math.random() < patternsPerSecond / 10)
        records.push(
          ...generator.pattern(
            LOAD_PATTERNS[Math.floor(Math.random() * LOAD_PATTERNS.length)] ?? 'VELOCITY',
            now,
          ),
        );
      await putTransactions(client, records);
      sent += records.length;
      if (Math.floor((Date.now() - started) / 1000) !== Math.floor((tick - started) / 1000))
        process.stdout.write(`${Math.round((Date.now() - started) / 1000)} s: ${sent} records put\n`);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tick))));
    }
  } finally {
    client.destroy();
  }
  process.stdout.write(
    `${sent} records put into ${kinesisUrl} for ${merchants.length} merchant(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; patterns: ${JSON.stringify(generator.patterns)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`load:transactions: ${(error as Error).message}\n`);
  process.exit(1);
});

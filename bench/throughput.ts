import { marshall } from '@aws-sdk/util-dynamodb';
import { TABLE_NAME } from '../local/constants';
import * as keys from '../shared/keys';
import { individualApplication } from '../test/support/fixtures';
import { draftApplication } from './fakes';
import { type LoadRequest, type LoadResult, runLoad } from './load';
import type { FigureInput } from './report';

/** Issue 7: 32 connections for 20 s; the API must reach half the raw PutItem rate. */
export const CONNECTIONS = 32;
export const DURATION_MS = 20_000;
/** Not counted: handler imports, JIT and DynamoDB Local's own warm-up. */
export const WARM_UP_MS = 3_000;
export const THROUGHPUT_RATIO_MIN = 0.5;
/** The raw access pattern of a create is only a diagnostic: a shorter window does. */
export const PATTERN_DURATION_MS = 10_000;

/** Distinct valid bodies, cycled: generating one per request would load the generator, not the API. */
const BODY_POOL = 512;

/**
 * `POST /v1/applications` requests: a valid body from the fixtures and a unique Idempotency-Key
 * each, so every request creates a draft (no replays).
 */
export function applicationRequests(runId: string): (n: number) => LoadRequest {
  const bodies = Array.from({ length: BODY_POOL }, () => JSON.stringify(individualApplication()));
  return (n) => ({
    method: 'POST',
    path: '/v1/applications',
    headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${runId}-${n}` },
    body: bodies[n % BODY_POOL] as string,
  });
}

/**
 * Raw DynamoDB Local PutItem (the JSON protocol, no SDK) of an application item as the
 * repository stores it, under a unique key: the least any create must do.
 */
export function putItemRequests(runId: string, tableName = TABLE_NAME): (n: number) => LoadRequest {
  const placeholder = '__BENCH_ID__';
  const item = { ...keys.application(placeholder), ...draftApplication(), applicationId: placeholder };
  const template = JSON.stringify({
    TableName: tableName,
    Item: marshall(item, { removeUndefinedValues: true }),
  });
  return (n) => ({
    method: 'POST',
    path: '/',
    headers: dynamoHeaders('PutItem'),
    // Keys of their own per load: a key written by another load would fail the conditions.
    body: template.replaceAll(placeholder, `put-${runId}-${n}`),
  });
}

/**
 * The DynamoDB requests of one create with a new key, raw: one TransactWriteItems of the
 * application (which is its own idempotency record, `requestHash` on it), conditional on its key
 * being new, and the sealed copy of its first token that a replay may hand out (spec 6), with a
 * sealed value of the same size. Not judged: it tells how much of the gap to PutItem is the access
 * pattern (DynamoDB Local runs a transaction far slower than a PutItem) and how much the rest.
 */
export function createPatternRequests(runId: string, tableName = TABLE_NAME): (n: number) => LoadRequest[] {
  const placeholder = '__BENCH_ID__';
  const application = marshall(
    {
      ...keys.application(placeholder),
      ...draftApplication(),
      applicationId: placeholder,
      requestHash: 'f'.repeat(64),
    },
    { removeUndefinedValues: true },
  );
  const replayUntil = new Date(Date.now() + 24 * 3600 * 1000);
  const replay = marshall({
    ...keys.tokenReplay(placeholder),
    // A sealed token of the stored size: the envelope (encrypted data key ≈ 180 bytes, IV, tag)
    // and the 70-character token, in base64url.
    token: 'v1.'.padEnd(380, 'x'),
    replayUntil: replayUntil.toISOString(),
    expiresAt: Math.floor(replayUntil.getTime() / 1000),
  });
  const transaction = JSON.stringify({
    TransactItems: [
      { Put: { TableName: tableName, Item: application, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName, Item: replay } },
    ],
  });
  return (n) => {
    const id = `pattern-${runId}-${n}`;
    return [
      {
        method: 'POST',
        path: '/',
        headers: dynamoHeaders('TransactWriteItems'),
        body: transaction.replaceAll(placeholder, id),
      },
    ];
  };
}

function dynamoHeaders(operation: string): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    // DynamoDB Local checks the header's form, not the signature.
    authorization:
      'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  };
}

/** Part 3, given a running local stack: the raw PutItem floor before and after the API, same concurrency. */
export async function measureThroughput(
  urls: { api: string; dynamodb: string },
  log: (message: string) => void,
): Promise<FigureInput[]> {
  const runId = Date.now().toString(36);
  const common = { connections: CONNECTIONS, warmUpMs: WARM_UP_MS, durationMs: DURATION_MS };
  const putItems = (label: string) =>
    runLoad({
      ...common,
      baseUrl: urls.dynamodb,
      next: putItemRequests(`${runId}-${label}`),
      expectStatus: 200,
    });
  // The floor is measured before AND after the API: DynamoDB Local's JVM keeps warming up (JIT,
  // SQLite pages) well past the warm-up window, so a floor measured only first would be low and
  // flatter the ratio. The faster of the two runs is the floor (the conservative choice).
  const floorBefore = await putItems('before');
  log(`throughput: PutItem ${floorBefore.perSecond.toFixed(0)}/s (before)`);
  const api = await runLoad({
    ...common,
    baseUrl: urls.api,
    next: applicationRequests(runId),
    expectStatus: 201,
  });
  log(`throughput: POST /v1/applications ${api.perSecond.toFixed(0)}/s`);
  const pattern = await runLoad({
    ...common,
    durationMs: PATTERN_DURATION_MS,
    baseUrl: urls.dynamodb,
    next: createPatternRequests(runId),
    expectStatus: 200,
  });
  log(`throughput: raw transaction of a create ${pattern.perSecond.toFixed(0)}/s`);
  const floorAfter = await putItems('after');
  log(`throughput: PutItem ${floorAfter.perSecond.toFixed(0)}/s (after)`);
  const floor = floorAfter.perSecond > floorBefore.perSecond ? floorAfter : floorBefore;
  return throughputFigures(api, floor, pattern);
}

/** The figures of part 3. */
export function throughputFigures(api: LoadResult, floor: LoadResult, pattern?: LoadResult): FigureInput[] {
  const floorName = 'raw PutItem';
  const errors = api.errors > 0 ? `; ${api.errors} unexpected answers: ${JSON.stringify(api.statuses)}` : '';
  const ratio = floor.perSecond > 0 ? api.perSecond / floor.perSecond : 0;
  return [
    {
      section: 'throughput',
      name: `POST /v1/applications, ${CONNECTIONS} connections, ${DURATION_MS / 1000} s`,
      value: api.perSecond,
      unit: 'req/s',
      floor: floor.perSecond,
      floorName,
      target: { kind: 'ratio-min', min: THROUGHPUT_RATIO_MIN },
      ...(ratio < THROUGHPUT_RATIO_MIN || errors ? { why: `see § Notes (throughput)${errors}` } : {}),
      details: { api, floor },
    },
    ...(pattern
      ? [
          {
            section: 'throughput' as const,
            name: `raw TransactWriteItems of a create (no API, no Lambda), ${PATTERN_DURATION_MS / 1000} s`,
            value: pattern.perSecond,
            unit: 'req/s',
            floor: floor.perSecond,
            floorName,
            target: { kind: 'none' as const },
            why: "the route's DynamoDB requests alone: the part of the gap the access pattern explains",
            details: { pattern },
          },
        ]
      : []),
    {
      section: 'throughput',
      name: 'POST /v1/applications latency p50',
      value: api.p50Ms,
      unit: 'ms',
      floor: floor.p50Ms,
      floorName,
      target: { kind: 'none' },
    },
    {
      section: 'throughput',
      name: 'POST /v1/applications latency p99',
      value: api.p99Ms,
      unit: 'ms',
      floor: floor.p99Ms,
      floorName,
      target: { kind: 'none' },
    },
  ];
}

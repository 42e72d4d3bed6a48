import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  TABLE_NAME,
} from '../../local/constants';
import { ROUTES } from '../../shared/manifest/functions';
import type { RouteDefinition } from '../../shared/manifest/types';
import { eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import {
  bodyArb,
  extraHeadersArb,
  type FuzzBody,
  idempotencyKeyArb,
  invalidAuthorizationArb,
  type Json,
  pathParamArb,
  queryArb,
} from '../support/fuzz-inputs';
import { approvedMerchant, verifyContacts } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Issue 6: fast-check fuzzing of every route of the manifest, shared/manifest/ (so a new route cannot be missed)
 * against the real local stack over HTTP — bodies, path parameters, query strings and headers,
 * with valid credentials in part of the runs so the input reaches the validation behind auth.
 * Every response: no 5xx; every 4xx is `{"error": {"code", "message"}}` with a documented code
 * (and `fields` on VALIDATION_FAILED); no stack traces, internal names or raw personal data in
 * any body. Rejected input stores nothing: the table is fingerprinted around each route's
 * all-hostile batch, and around POST /v1/applications new items must match the 201s exactly.
 *
 * FUZZ_RUNS_PER_ROUTE (default 110) and FUZZ_SEED (replay a run) tune it; the figures are printed.
 */

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 110);
const SEED =
  process.env.FUZZ_SEED === undefined
    ? Date.now() ^ (Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED);
// Printed before anything runs, so that a failure on any path (even inside the generators) replays.
console.log(`fuzz-routes: seed ${SEED} (replay with FUZZ_SEED=${SEED})`);

/** Spec §4 codes and their statuses, plus the product's documented extras (shared/errors.ts, gateway responses). */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  ACTIVATION_CODE_INVALID: 400,
  VERIFICATION_CODE_INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_STATE: 409,
  DUPLICATE_MERCHANT: 409,
  TERMINAL_ALREADY_BOUND: 409,
  REVIEW_CLAIMED: 409,
  CLAIM_REQUIRED: 409,
  ACTIVATION_LOCKED: 409,
  ACTIVATION_CODE_EXPIRED: 409,
  ACTIVATION_CODE_LIMIT: 409,
  VERIFICATION_LOCKED: 409,
  VERIFICATION_EXPIRED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
};

/** What must never be in a response body: stack frames, error class names, AWS internals, paths. */
const LEAKS: readonly [string, RegExp][] = [
  ['"Error:"', /\bError:/],
  ['stack frame', /\n\s*at\s|\bat\s+[\w$.<>[\]]+\s+\(|\bat\s+(?:file:|\/|node:)/],
  ['source position', /\.(?:ts|js|mjs|cjs):\d+/],
  ['JS error class', /\b(?:TypeError|RangeError|SyntaxError|ReferenceError|ZodError|AppError)\b/],
  [
    'AWS internal',
    /DynamoDB|ConditionalCheckFailed|TransactionCanceled|ValidationException|ThrottlingException|ResourceNotFoundException|ProvisionedThroughput|\$metadata/,
  ],
  ['file path', /\/work\/|\/tmp\/|node_modules|file:\/\//],
  ['stack property', /"stack"\s*:/],
];

interface Fixtures {
  readonly draftId: string;
  readonly draftToken: string;
  readonly a: { merchantNo: string; token: string; applicationId: string };
  readonly b: { merchantNo: string; token: string; applicationId: string };
  readonly snBound: string;
  readonly snFree: string;
  readonly taskId: string;
  readonly transferId: string;
  readonly changeRequestId: string;
  readonly forgedJwts: readonly string[];
  /** The valid body of POST /v1/applications and PUT /v1/applications/{id}. */
  readonly applicationBody: ReturnType<typeof individualApplication>;
  /** Raw personal data sent in fixtures: must never come back in any response. */
  readonly pii: readonly string[];
}

interface RouteFigures {
  requests: number;
  validCredential: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  storage: string;
}

interface Problem {
  readonly route: string;
  readonly problem: string;
  readonly request: string;
}

let testStack: TestStack;
let fx: Fixtures;
let dynamo: DynamoDBClient;
const problems: Problem[] = [];
const figures = new Map<string, RouteFigures>();
const bodyKinds: Record<string, number> = {};
const authKinds: Record<string, number> = {};
const startedAt = Date.now();

const routeName = (route: RouteDefinition) => `${route.method} ${route.path}`;
const bump = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

// ---------------------------------------------------------------------------------------------
// Fixtures: the objects each route names, and the credential that owns them.
// ---------------------------------------------------------------------------------------------

async function post(
  path: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${testStack.api.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function forgeJwts(api: string, reviewer: string): Promise<string[]> {
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    'cognito:groups': ['reviewer', 'operator'],
    'cognito:username': 'mallory',
    token_use: 'id',
    auth_time: now,
  };
  const foreign = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'foreign' })
    .setSubject('mallory')
    .setIssuer(`${api}/_local`)
    .setAudience('local-staff')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = {
    ...claims,
    sub: 'mallory',
    iss: `${api}/_local`,
    aud: 'local-staff',
    iat: now,
    exp: now + 3600,
  };
  const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
  // A real reviewer token with its groups widened: the signature no longer matches.
  const [header, body, signature] = reviewer.split('.');
  const widened = {
    ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')),
    'cognito:groups': ['operator'],
  };
  const tampered = `${header}.${b64(widened)}.${signature}`;
  // A real token that expires in 1 s: expired long before the fuzz starts.
  const expired = (
    await post('/_local/tokens', undefined, { sub: 'rev-x', groups: ['reviewer'], expiresInSeconds: 1 })
  ).json.token as string;
  return [foreign, algNone, tampered, expired, `${header}.${body}.`, `${header}.${body}.AAAA`];
}

async function createFixtures(): Promise<Fixtures> {
  const { api, reviewer, operator } = testStack;
  const stamp = Date.now().toString(36).toUpperCase();
  const snBound = `FZA${stamp}`;
  const snFree = `FZF${stamp}`;
  expect(
    (
      await post('/v1/terminals', operator, {
        terminals: [snBound, snFree].map((serialNumber) => ({ serialNumber, model: 'A8' })),
      })
    ).status,
  ).toBe(201);
  const draftBody = individualApplication();
  const applicationBody = individualApplication();
  const pendingBody = individualApplication();

  // A submitted application whose review task stays pending: the subject of the review routes.
  const pendingTask = async () => {
    const pending = await post('/v1/applications', undefined, pendingBody, {
      'idempotency-key': `fuzz-pending-${stamp}`,
    });
    const pendingToken = pending.json.accessToken as string;
    for (const kind of ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO']) {
      const doc = await post(`/v1/applications/${pending.json.applicationId}/documents`, pendingToken, {
        kind,
        contentType: 'image/png',
        sizeBytes: 3,
      });
      await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
    }
    await verifyContacts(api, pending.json.applicationId, pendingToken);
    expect((await post(`/v1/applications/${pending.json.applicationId}/submit`, pendingToken)).status).toBe(
      202,
    );
    return eventually(async () => {
      const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
      return page.json.items.find((t: { subjectId: string }) => t.subjectId === pending.json.applicationId);
    });
  };
  const [a, b, draft, task] = await Promise.all([
    approvedMerchant(api, reviewer, { serialNumber: snBound }),
    approvedMerchant(api, reviewer),
    post('/v1/applications', undefined, draftBody, { 'idempotency-key': `fuzz-draft-${stamp}` }),
    pendingTask(),
  ]);
  expect(draft.status).toBe(201);
  // The draft token's first use (its replayable copy is forgotten then): before any fuzzing, so
  // that reads and rejected inputs later change nothing.
  expect(
    (await api.call('GET', `/v1/applications/${draft.json.applicationId}`, { token: draft.json.accessToken }))
      .status,
  ).toBe(200);

  const transfer = await post(`/v1/terminals/${snBound}/transfer-requests`, a.token, {
    toMerchantNo: b.merchantNo,
    reason: 'fuzz fixture',
  });
  expect(transfer.status).toBe(202);

  const merchantB = await api.call('GET', `/v1/merchants/${b.merchantNo}`, { token: b.token });
  const change = await post(
    `/v1/merchants/${b.merchantNo}/change-requests`,
    b.token,
    {
      changes: { contact: { name: '李四', phone: '13900139000', email: 'lisi@example.com' } },
      reason: 'fuzz fixture',
      expectedVersion: merchantB.json.version,
    },
    { 'idempotency-key': `fuzz-change-${stamp}` },
  );
  expect(change.status).toBe(202);
  // Its workflow opens a review task in the background: wait for it, so that nothing the fixtures
  // started is still writing when the fuzzing compares the table.
  await eventually(async () => {
    const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
    return page.json.items.find((t: { subjectId: string }) => t.subjectId === change.json.changeRequestId);
  });

  return {
    draftId: draft.json.applicationId,
    draftToken: draft.json.accessToken,
    a,
    b,
    snBound,
    snFree,
    taskId: task.taskId,
    transferId: transfer.json.transferRequestId,
    changeRequestId: change.json.changeRequestId,
    forgedJwts: await forgeJwts(api.baseUrl, reviewer),
    applicationBody,
    pii: [
      applicationBody.legalPerson.idNumber,
      applicationBody.settlement.accountNumber,
      draftBody.legalPerson.idNumber,
      draftBody.settlement.accountNumber,
      pendingBody.legalPerson.idNumber,
      pendingBody.settlement.accountNumber,
      '13800138000',
      '13900139000',
    ],
  };
}

/** The ids a route's path parameters take when valid, and the credential that owns them. */
function routeContext(route: RouteDefinition): {
  params: Record<string, readonly string[]>;
  owner: string | undefined;
  fixture: Json | undefined;
} {
  const { path, method } = route;
  const p = (name: string): readonly string[] => {
    if (name === 'taskId') return [fx.taskId];
    if (name === 'sn') return path.endsWith('/bind') ? [fx.snFree] : [fx.snBound];
    if (name === 'merchantNo')
      return path.includes('/change-requests/') ? [fx.b.merchantNo] : [fx.a.merchantNo];
    if (name === 'id' && path.startsWith('/v1/applications/')) return [fx.draftId];
    if (name === 'id' && path.startsWith('/v1/transfer-requests/')) return [fx.transferId];
    if (name === 'id' && path.includes('/change-requests/')) return [fx.changeRequestId];
    // A route added later still gets fuzzed, with every id the fixtures know.
    return [fx.draftId, fx.transferId, fx.changeRequestId, fx.taskId, fx.snBound, fx.a.merchantNo];
  };
  const params: Record<string, readonly string[]> = {};
  for (const match of path.matchAll(/\{(\w+)\}/g)) params[match[1] as string] = p(match[1] as string);

  let owner: string | undefined;
  if (route.auth === 'staff')
    owner = route.groups?.[0] === 'operator' ? testStack.operator : testStack.reviewer;
  else if (route.auth === 'public') owner = undefined;
  else if (path.startsWith('/v1/applications/')) owner = fx.draftToken;
  else if (path.endsWith('/accept') || path.includes('/change-requests/')) owner = fx.b.token;
  else owner = fx.a.token;

  const fixtures: Record<string, Json> = {
    'POST /v1/applications': fx.applicationBody as unknown as Json,
    'PUT /v1/applications/{id}': fx.applicationBody as unknown as Json,
    'POST /v1/applications/{id}/documents': { kind: 'STORE_PHOTO', contentType: 'image/png', sizeBytes: 3 },
    'POST /v1/applications/{id}/verifications': { channel: 'SMS' },
    'POST /v1/applications/{id}/verifications/confirm': { channel: 'SMS', code: '123456' },
    'POST /v1/applications/{id}/sessions/confirm': { code: '123456' },
    'POST /v1/reviews/{taskId}/decision': {
      decision: 'REQUEST_CHANGES',
      reasons: [{ field: 'business.name', reason: 'fuzz' }],
      checks: { phoneCallback: { done: true, notes: 'fuzz' } },
    },
    'POST /v1/terminals': { terminals: [{ serialNumber: 'FUZZSN00001', model: 'A8' }] },
    'POST /v1/terminals/{sn}/bind': { merchantNo: fx.b.merchantNo },
    'POST /v1/terminals/{sn}/unbind': { reason: 'fuzz' },
    'POST /v1/terminals/{sn}/activate': { activationCode: '123456' },
    'POST /v1/terminals/{sn}/transfer-requests': { toMerchantNo: fx.b.merchantNo, reason: 'fuzz' },
    'POST /v1/merchants/{merchantNo}/change-requests': {
      changes: {
        'business.name': '张三便利店二号',
        contact: { name: '王五', phone: '13700137000', email: 'w@example.com' },
      },
      reason: 'fuzz',
      expectedVersion: 1,
    },
  };
  return { params, owner, fixture: fixtures[`${method} ${path}`] };
}

// ---------------------------------------------------------------------------------------------
// One fuzz input, sending it, and the checks on every response.
// ---------------------------------------------------------------------------------------------

interface FuzzInput {
  readonly params: Record<string, { kind: string; raw: string }>;
  readonly query: string;
  readonly auth: { kind: string; value: string | undefined };
  readonly idempotencyKey: { kind: string; value: string | undefined };
  readonly extraHeaders: [string, string][];
  readonly body: FuzzBody;
}

function inputArb(route: RouteDefinition, hostile: boolean): fc.Arbitrary<FuzzInput> {
  const context = routeContext(route);
  const pool = [fx.draftToken, fx.a.token, fx.b.token, testStack.reviewer, testStack.operator];
  const credential = (kind: string) => (token: string) => ({ kind, value: `Bearer ${token}` });
  const auth = fc.oneof(
    // The owner's credential in 45 % of the runs: the input reaches validation and the use case.
    ...(context.owner ? [{ weight: 9, arbitrary: fc.constant(context.owner).map(credential('owner')) }] : []),
    { weight: 3, arbitrary: fc.constantFrom(...pool).map(credential('other-valid')) },
    {
      weight: 8,
      arbitrary: invalidAuthorizationArb({ applicationId: fx.draftId, forgedJwts: fx.forgedJwts }),
    },
  );
  const params: Record<string, fc.Arbitrary<{ kind: string; raw: string }>> = {};
  const validParams: Record<string, fc.Arbitrary<{ kind: string; raw: string }>> = {};
  for (const [name, valid] of Object.entries(context.params)) {
    params[name] = pathParamArb(valid);
    validParams[name] = fc.constantFrom(...valid).map((raw) => ({ kind: 'valid', raw }));
  }
  const query =
    route.path === '/v1/reviews' ? queryArb : fc.oneof({ weight: 4, arbitrary: fc.constant('') }, queryArb);
  const body = bodyArb(context.fixture, { hostile });
  const everything = fc.record({
    params: fc.record(params),
    query,
    auth,
    idempotencyKey: idempotencyKeyArb,
    extraHeaders: extraHeadersArb,
    body,
  });
  // Focused runs: the owner, the real ids and a fresh valid Idempotency-Key, so only the body is
  // hostile and it meets the schema and the use case rather than the 401 in front of them.
  const focused = fc.record({
    params: fc.record(validParams),
    query: fc.constant(route.path === '/v1/reviews' ? '?status=PENDING' : ''),
    auth: context.owner
      ? fc.constant(context.owner).map(credential('owner'))
      : fc.constant({ kind: 'missing', value: undefined }),
    idempotencyKey: fc.uuid().map((uuid) => ({ kind: 'valid', value: `fuzz-${uuid}` })),
    extraHeaders: fc.constant<[string, string][]>([]),
    body,
  });
  return fc.oneof({ weight: 3, arbitrary: everything }, { weight: 2, arbitrary: focused });
}

function urlOf(route: RouteDefinition, input: FuzzInput): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => input.params[name]?.raw ?? '');
  return `${testStack.api.baseUrl}${path}${input.query}`;
}

function describeInput(route: RouteDefinition, input: FuzzInput): string {
  const body = input.body.payload;
  const shown =
    body === undefined
      ? '(none)'
      : typeof body === 'string'
        ? JSON.stringify(body.length > 300 ? `${body.slice(0, 300)}…(${body.length} chars)` : body)
        : `bytes[${body.length}]`;
  return [
    `${route.method} ${urlOf(route, input).replace(testStack.api.baseUrl, '').slice(0, 300)}`,
    `auth=${input.auth.kind} idem=${input.idempotencyKey.kind} content-type=${JSON.stringify(input.body.contentType)}`,
    `extra headers=${JSON.stringify(input.extraHeaders.map(([name]) => name))}`,
    `body(${input.body.kind})=${shown}`,
  ].join(' | ');
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
}

async function send(route: RouteDefinition, input: FuzzInput): Promise<Answer | Error> {
  const headers: Record<string, string> = {};
  for (const [name, value] of input.extraHeaders) headers[name] = value;
  if (input.auth.value !== undefined) headers.authorization = input.auth.value;
  if (input.idempotencyKey.value !== undefined) headers['idempotency-key'] = input.idempotencyKey.value;
  if (input.body.contentType !== undefined) headers['content-type'] = input.body.contentType;
  const payload = input.body.payload;
  // GET requests cannot carry a body through fetch; their bodies are fuzzed only on other methods.
  const body = route.method === 'GET' || payload === undefined ? undefined : payload;
  try {
    const response = await fetch(urlOf(route, input), {
      method: route.method,
      headers,
      body: body as NonNullable<Parameters<typeof fetch>[1]>['body'],
      signal: AbortSignal.timeout(30_000),
    });
    return {
      status: response.status,
      text: await response.text(),
      contentType: response.headers.get('content-type') ?? '',
    };
  } catch (error) {
    return error as Error;
  }
}

/** Every rule a response must keep; returns what it broke. */
function check(answer: Answer): string[] {
  const broken: string[] = [];
  if (answer.status >= 500) broken.push(`status ${answer.status}`);
  for (const [name, pattern] of LEAKS) if (pattern.test(answer.text)) broken.push(`leak: ${name}`);
  for (const value of fx.pii) if (answer.text.includes(value)) broken.push('leak: raw personal data');
  if (answer.status < 400) return broken;
  if (!answer.contentType.includes('application/json')) broken.push(`4xx content-type ${answer.contentType}`);
  let json: { error?: { code?: unknown; message?: unknown; fields?: unknown } } | undefined;
  try {
    json = JSON.parse(answer.text);
  } catch {
    broken.push('4xx body is not JSON');
    return broken;
  }
  const error = json?.error;
  if (typeof error !== 'object' || error === null) {
    broken.push('4xx without error object');
    return broken;
  }
  if (typeof error.code !== 'string') broken.push('4xx without error.code');
  else if (!(error.code in STATUS_OF_CODE)) broken.push(`undocumented code ${error.code}`);
  else if (STATUS_OF_CODE[error.code] !== answer.status)
    broken.push(`code ${error.code} with status ${answer.status}`);
  if (typeof error.message !== 'string' || error.message === '') broken.push('4xx without error.message');
  if (error.code === 'VALIDATION_FAILED') {
    const fields = error.fields;
    if (
      !Array.isArray(fields) ||
      fields.length === 0 ||
      !fields.every(
        (f: { field?: unknown; code?: unknown; message?: unknown }) =>
          typeof f?.field === 'string' && typeof f.code === 'string' && typeof f.message === 'string',
      )
    )
      broken.push('VALIDATION_FAILED without fields[].field/code/message');
  }
  return broken;
}

// ---------------------------------------------------------------------------------------------
// The table's contents, read directly from DynamoDB Local (not through any request path).
// ---------------------------------------------------------------------------------------------

async function fingerprint(): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  for await (const page of paginateScan(
    { client: dynamo },
    { TableName: TABLE_NAME, ConsistentRead: true },
  )) {
    for (const item of page.Items ?? []) {
      const key = `${item.pk?.S}|${item.sk?.S}`;
      const sorted = Object.keys(item)
        .sort()
        .map((name) => [name, item[name]]);
      items.set(key, JSON.stringify(sorted));
    }
  }
  return items;
}

/** The table once background work (workflows, notifications) has stopped changing it. */
async function settledFingerprint(): Promise<Map<string, string>> {
  let previous = await fingerprint();
  for (let i = 0; i < 80; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const next = await fingerprint();
    if (diff(previous, next).length === 0) return next;
    previous = next;
  }
  throw new Error('The table kept changing for 16 s');
}

function diff(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) changes.push(`added ${key}`);
    else if (before.get(key) !== value) changes.push(`changed ${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`removed ${key}`);
  return changes;
}

// ---------------------------------------------------------------------------------------------

function seedOf(label: string): number {
  let hash = SEED | 0;
  for (const char of label) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193);
  return hash;
}

/**
 * Routes that end the fixtures' objects run after the others, so those still reach them alive; routes
 * that rotate credentials (access tokens) run last of all, since the owner's token dies with them.
 */
const rank = (route: RouteDefinition) =>
  /\/access-token(?:\/|$)/.test(route.path)
    ? 2
    : /\/(?:withdraw|unbind|cancel|decision|accept)$/.test(route.path)
      ? 1
      : 0;
const ORDERED = [...ROUTES].sort((x, y) => rank(x) - rank(y));
/**
 * Rejections that store something on purpose: a wrong activation code or one-time code counts an
 * attempt (5 → locked), and every sign-in request counts against the id's hour, known or not.
 */
const WRITES_ON_REJECTION = new Set([
  'POST /v1/terminals/{sn}/activate',
  'POST /v1/applications/{id}/verifications/confirm',
  'POST /v1/applications/{id}/sessions',
  'POST /v1/applications/{id}/sessions/confirm',
]);

/** Requests in flight at once: the handlers run in this process, DynamoDB Local in its JVM. */
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);

async function fuzzRoute(route: RouteDefinition, hostile: boolean, numRuns: number, stats: RouteFigures) {
  const accepted = { count: 0, createdApplications: new Set<string>() };
  // Its own seed per route and phase: one shared seed would replay the same choices on every route.
  // fc.sample, not fc.assert: every input is checked and reported, none shrunk, and they run in parallel.
  const inputs = fc.sample(inputArb(route, hostile), {
    numRuns,
    seed: seedOf(`${routeName(route)} ${hostile}`),
  });
  const one = async (input: FuzzInput) => {
    const answer = await send(route, input);
    stats.requests++;
    bump(bodyKinds, input.body.kind);
    bump(authKinds, input.auth.kind);
    if (input.auth.kind === 'owner' || input.auth.kind === 'other-valid') stats.validCredential++;
    if (answer instanceof Error) {
      const cause = (answer as { cause?: unknown }).cause;
      problems.push({
        route: routeName(route),
        problem: `transport: ${answer.message}${cause ? ` (${String(cause)})` : ''}`,
        request: describeInput(route, input),
      });
      return;
    }
    bump(stats.byStatus, String(answer.status));
    if (answer.status >= 400) bump(stats.byCode, /"code":"([A-Z_]+)"/.exec(answer.text)?.[1] ?? '(none)');
    if (answer.status < 300) {
      accepted.count++;
      if (route.method === 'POST' && route.path === '/v1/applications' && answer.status === 201)
        accepted.createdApplications.add(JSON.parse(answer.text).applicationId);
    }
    for (const problem of check(answer))
      problems.push({ route: routeName(route), problem, request: describeInput(route, input) });
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < inputs.length) await one(inputs[next++] as FuzzInput);
    }),
  );
  return accepted;
}

beforeAll(async () => {
  testStack = await startTestStack('fuzz-routes', {
    // Every fixture merchant has the same phone, and reissued codes text it: no hourly SMS limit here.
    SMS_PER_PHONE_PER_HOUR: '100000',
    EMAIL_PER_ADDRESS_PER_HOUR: '100000',
  });
  dynamo = new DynamoDBClient({
    endpoint: testStack.stack.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
  fx = await createFixtures();
}, 180_000);

afterAll(async () => {
  dynamo?.destroy();
  await testStack?.stop();
});

describe('fuzzing every route (issue 6)', () => {
  it('covers every route of the manifest (shared/manifest/)', () => {
    expect(ORDERED).toHaveLength(ROUTES.length);
    expect(new Set(ORDERED.map(routeName)).size).toBe(ROUTES.length);
  });

  it('answers hostile bodies, paths and headers without 5xx, with a documented error.code, leaking nothing and storing nothing', async () => {
    let previousAccepted = 1;
    for (const route of ORDERED) {
      const name = routeName(route);
      const stats: RouteFigures = { requests: 0, validCredential: 0, byStatus: {}, byCode: {}, storage: '' };
      figures.set(name, stats);
      const hostileRuns = Math.ceil(RUNS_PER_ROUTE * 0.6);

      // Background work (workflows, messages) only follows accepted requests: wait for it then.
      const before = previousAccepted > 0 ? await settledFingerprint() : await fingerprint();
      const hostile = await fuzzRoute(route, true, hostileRuns, stats);

      if (name === 'POST /v1/applications') {
        // Exact over both phases: one application (its own idempotency record) per new 201, nothing else.
        const mixed = await fuzzRoute(route, false, RUNS_PER_ROUTE - hostileRuns, stats);
        previousAccepted = hostile.count + mixed.count;
        const created = new Set([...hostile.createdApplications, ...mixed.createdApplications]);
        const changes = diff(before, await settledFingerprint());
        const unexpected = changes.filter(
          (change) =>
            !change.startsWith('added IDEM#') &&
            !(
              change.startsWith('added APP#') &&
              created.has(change.slice('added APP#'.length).split('|')[0] ?? '')
            ) &&
            // The first token's replayable copy, beside each created application.
            !(
              change.startsWith('added REPLAY#') &&
              created.has(change.slice('added REPLAY#'.length).split('|')[0] ?? '')
            ),
        );
        const idem = changes.filter((change) => change.startsWith('added IDEM#')).length;
        if (unexpected.length > 0 || idem !== 0)
          problems.push({
            route: name,
            problem: `stored for rejected input: ${[...unexpected.slice(0, 5), `${idem} IDEM# (expected none) for ${created.size} created`].join(', ')}`,
            request: '(batch)',
          });
        stats.storage = `exact: ${created.size} applications created, ${stats.requests - previousAccepted} rejections stored nothing`;
        continue;
      }

      const changes = diff(before, await settledFingerprint());
      // Reads never write; other routes are compared when the whole hostile batch was rejected.
      if ((route.method === 'GET' || hostile.count === 0) && !WRITES_ON_REJECTION.has(name)) {
        if (changes.length > 0)
          problems.push({
            route: name,
            problem: `table changed by ${route.method === 'GET' ? 'reads' : 'rejected input'}: ${changes.slice(0, 5).join(', ')}`,
            request: '(batch)',
          });
        stats.storage = `unchanged after ${stats.requests} ${route.method === 'GET' ? 'reads' : 'rejected inputs'}`;
      } else {
        stats.storage = WRITES_ON_REJECTION.has(name)
          ? 'not compared (rejections count attempts)'
          : `not compared (${hostile.count} accepted)`;
      }
      previousAccepted = (await fuzzRoute(route, false, RUNS_PER_ROUTE - hostileRuns, stats)).count;
    }

    const total = [...figures.values()].reduce((sum, s) => sum + s.requests, 0);
    const byCode: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    for (const s of figures.values()) {
      for (const [code, n] of Object.entries(s.byCode)) byCode[code] = (byCode[code] ?? 0) + n;
      for (const [status, n] of Object.entries(s.byStatus)) byStatus[status] = (byStatus[status] ?? 0) + n;
    }
    const fiveXx = Object.entries(byStatus)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, n]) => sum + n, 0);
    const lines = [
      `fuzz-routes: seed ${SEED}, ${ROUTES.length} routes, ${total} inputs in ${((Date.now() - startedAt) / 1000).toFixed(0)} s (setup included), 5xx: ${fiveXx}, problems: ${problems.length}`,
      `by status: ${JSON.stringify(byStatus)}`,
      `4xx by code: ${JSON.stringify(byCode)}`,
      `body kinds: ${JSON.stringify(bodyKinds)}`,
      `auth kinds: ${JSON.stringify(authKinds)}`,
      ...[...figures].map(
        ([name, s]) =>
          `  ${name}: ${s.requests} inputs, ${s.validCredential} with a valid credential, ${JSON.stringify(s.byStatus)}; storage ${s.storage}`,
      ),
    ];
    console.log(lines.join('\n'));

    const distinct = new Map<string, Problem>();
    for (const p of problems)
      if (!distinct.has(`${p.route} ${p.problem}`)) distinct.set(`${p.route} ${p.problem}`, p);
    expect(
      [...distinct.values()].map((p) => `${p.route}: ${p.problem}\n    ${p.request}`),
      `${problems.length} problems (seed ${SEED})`,
    ).toEqual([]);
    expect(fiveXx).toBe(0);
    for (const s of figures.values()) expect(s.requests).toBe(RUNS_PER_ROUTE);
  }, 600_000);
});

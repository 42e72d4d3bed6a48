import { createHash, createHmac } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ulid } from 'ulid';
import { type AgreementRecord, agreementIdOf, agreementObjectKey } from '../shared/agreements/agreement';
import { sha256Hex } from '../shared/auth/tokens';
import type { Deadlines } from '../shared/config/env';
import type { ApplicationRecord } from '../shared/domain/application';
import type { ChangeRequestRecord } from '../shared/domain/change-request';
import type { MerchantRecord } from '../shared/domain/merchant';
import { DECISIONS, type Decision, type ReviewTaskRecord } from '../shared/domain/review';
import type { TerminalHistoryEntry, TerminalRecord, TransferRequestRecord } from '../shared/domain/terminal';
import type { DomainEvent } from '../shared/events/types';
import { type FeePlan, SHIPPED_DEFAULT_PLANS } from '../shared/fee-plans/plan';
import type { Clock, KeyedHasher } from '../shared/ports';
import type { MerchantVersionRecord } from '../shared/ports/change-requests';
import type { DailySummary } from '../shared/ports/daily-checks';
import type { ReviewCounters } from '../shared/ports/reviews';
import type { WebhookEndpointSummary } from '../shared/ports/webhooks';
import { parseApplication } from '../shared/validation/application-schema';
import type { DeliveryRecord } from '../shared/webhooks/domain';
import { individualApplication } from '../test/support/fixtures';

/*
 * In-memory ports for the warm-overhead bench. Every fake answers as the success path of its
 * route needs and keeps no state, so 10,000 invocations see the same request and the same
 * records each time; the handler and the bare use case call the very same fakes, so their cost
 * is in both arms and drops out of the difference.
 */

/**
 * A port whose listed methods answer as given; any other method throws, naming itself, so that
 * a use case that starts calling something new fails the bench's sanity call instead of being
 * measured on a half-configured fake. Typed by `Partial<T>`: every listed method is checked
 * against the port's signature.
 */
export function fake<T extends object>(name: string, methods: Partial<T>): T {
  return new Proxy(methods, {
    get(target, property) {
      const value = (target as Record<PropertyKey, unknown>)[property];
      if (value !== undefined || typeof property === 'symbol' || property === 'then') return value;
      return () => {
        throw new Error(`bench fake ${name}.${String(property)} is not set up`);
      };
    },
  }) as T;
}

/** The bench's fixed "now": inside every record's validity window. */
export const NOW = new Date('2026-06-01T08:00:00.000Z');
/** A clock that never moves, so validity checks see the same time on every call. */
export const fixedClock: Clock = { now: () => NOW };

/** Deployed defaults (seconds). */
export const DEADLINES: Deadlines = {
  reviewEscalationSeconds: 172_800,
  reviewFinalSeconds: 604_800,
  resubmissionSeconds: 1_209_600,
  draftTtlSeconds: 2_592_000,
  transferAcceptanceSeconds: 604_800,
};

/** HMAC like the local keyed hasher (KMS in AWS: its network round trip is not the handler's). */
export const benchHasher: KeyedHasher = {
  mac: async (purpose, value) =>
    createHmac('sha256', 'bench-secret').update(`${purpose}\u0000${value}`, 'utf8').digest('base64url'),
};

const EARLIER = new Date(NOW.getTime() - 3_600_000).toISOString();
const LATER = new Date(NOW.getTime() + 7 * 86_400_000).toISOString();

/** Ids and credentials shared by the records below. */
export const IDS = {
  applicationId: ulid(NOW.getTime() - 60_000),
  otherApplicationId: ulid(NOW.getTime() - 50_000),
  merchantNo: '102110554110001',
  otherMerchantNo: '102110554110002',
  serialNumber: 'LKL00012345',
  terminalId: '00000042',
  taskId: '',
  transferRequestId: ulid(NOW.getTime() - 40_000),
  changeRequestId: ulid(NOW.getTime() - 30_000),
  activationCode: '123456',
  endpointId: ulid(NOW.getTime() - 20_000),
  eventId: ulid(NOW.getTime() - 10_000),
  feePlanCode: 'RETAIL-STD',
};
IDS.taskId = `${IDS.applicationId}-1`;

/** A merchant access token of the application (`<applicationId>.<43+ url-safe characters>`). */
export function merchantToken(applicationId: string): string {
  return `${applicationId}.${createHmac('sha256', 'token').update(applicationId).digest('base64url')}`;
}

/** The valid individual application body of the fixtures, as the schema stores it. */
export function applicationBody() {
  return parseApplication(individualApplication({ serialNumber: IDS.serialNumber }), NOW);
}

/** A DRAFT with every required document: editable, submittable and withdrawable. */
export function draftApplication(): ApplicationRecord {
  const documents = Object.fromEntries(
    ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'].map((kind) => [
      kind,
      {
        documentId: ulid(NOW.getTime() - 30_000),
        contentType: 'image/jpeg' as const,
        objectKey: `applications/${IDS.applicationId}/${kind}/doc`,
        createdAt: EARLIER,
      },
    ]),
  );
  return {
    applicationId: IDS.applicationId,
    status: 'DRAFT',
    body: applicationBody(),
    tokenHash: sha256Hex(merchantToken(IDS.applicationId)),
    documents,
    reasons: [],
    checks: [],
    timeline: [{ status: 'DRAFT', at: EARLIER, actor: `merchant:${IDS.applicationId}`, action: 'CREATED' }],
    submissionCount: 0,
    uniquenessKeys: [],
    // Both contacts verified: the draft can be submitted (spec 6).
    contactVerifications: { SMS: EARLIER, EMAIL: EARLIER },
    revision: 5,
    createdAt: EARLIER,
    updatedAt: EARLIER,
  };
}

/** A DRAFT whose contacts are not verified yet: each channel can be sent and confirm a code. */
export function unverifiedDraft(): ApplicationRecord {
  return { ...draftApplication(), contactVerifications: {} };
}

/** The draft as submitted: every document pinned to the content the store still holds (see `storage` of the cases). */
export function submittedApplication(): ApplicationRecord {
  const draft = draftApplication();
  const documents = Object.fromEntries(
    Object.entries(draft.documents).map(([kind, ref]) => [
      kind,
      { ...ref, submitted: { etag: 'bench-etag', size: 1024, at: EARLIER } },
    ]),
  );
  return { ...draft, status: 'PENDING_REVIEW', documents, submissionCount: 1 };
}

/** An ACTIVE merchant of the draft's body. */
export function merchantRecord(merchantNo = IDS.merchantNo): MerchantRecord {
  const body = applicationBody();
  return {
    merchantNo,
    status: 'ACTIVE',
    version: 1,
    type: body.type,
    business: { name: body.business.name, mcc: body.business.mcc, address: body.business.address },
    contact: body.contact,
    settlement: body.settlement,
    locale: 'zh-CN',
    applicationId: IDS.applicationId,
    terminalCount: 1,
    createdAt: EARLIER,
    updatedAt: EARLIER,
  };
}

/** A pending APPLICATION review task (phone call-back required). */
export function pendingTask(): ReviewTaskRecord {
  return {
    taskId: IDS.taskId,
    kind: 'APPLICATION',
    subjectId: IDS.applicationId,
    status: 'PENDING',
    createdAt: EARLIER,
    deadline: LATER,
    finalDeadline: LATER,
    escalated: false,
    automatedChecks: [
      { name: 'validation', result: 'PASS', detail: 'The body passes every rule' },
      { name: 'duplicateMerchant', result: 'PASS', detail: 'No active or pending merchant' },
      { name: 'documents', result: 'PASS', detail: 'Every required document is uploaded' },
    ],
    requiredChecks: ['phoneCallback'],
    summary: 'INDIVIDUAL · 5411 · 张三便利店',
  };
}

/** A terminal in a given state, bound to the merchant unless IN_STOCK. */
export function terminalRecord(status: TerminalRecord['status'], codeHash?: string): TerminalRecord {
  if (status === 'IN_STOCK') {
    return { serialNumber: IDS.serialNumber, model: 'A8', status, registeredAt: EARLIER };
  }
  return {
    serialNumber: IDS.serialNumber,
    model: 'A8',
    status,
    registeredAt: EARLIER,
    merchantNo: IDS.merchantNo,
    terminalId: IDS.terminalId,
    boundAt: EARLIER,
    ...(codeHash ? { activationCodeHash: codeHash, activationExpiresAt: LATER, activationAttempts: 0 } : {}),
  };
}

/** A terminal's history: registration and binding. */
export function terminalHistory(): TerminalHistoryEntry[] {
  return [
    { action: 'REGISTERED', at: EARLIER, actor: 'staff:op-1' },
    { action: 'BOUND', at: EARLIER, actor: 'system', merchantNo: IDS.merchantNo, terminalId: IDS.terminalId },
  ];
}

/** A transfer from the merchant to the other merchant, awaiting acceptance. */
export function transferRecord(): TransferRequestRecord {
  return {
    transferRequestId: IDS.transferRequestId,
    serialNumber: IDS.serialNumber,
    fromMerchantNo: IDS.merchantNo,
    toMerchantNo: IDS.otherMerchantNo,
    fromTerminalId: IDS.terminalId,
    reason: '门店转让',
    status: 'AWAITING_ACCEPTANCE',
    reasons: [],
    timeline: [
      {
        status: 'AWAITING_ACCEPTANCE',
        at: EARLIER,
        actor: `merchant:${IDS.merchantNo}`,
        action: 'REQUESTED',
      },
    ],
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:onboarding:${IDS.transferRequestId}`,
    acceptanceToken: 'bench-acceptance-token',
    revision: 2,
    createdAt: EARLIER,
    updatedAt: EARLIER,
  };
}

/** The pending task as claimed by the reviewer `rev-1` until a week after the bench's now. */
export function claimedTask(): ReviewTaskRecord {
  return { ...pendingTask(), claimedBy: 'rev-1', claimedUntil: LATER };
}

/** The supervisor view's counters: a queue per kind and a week of decisions. */
export function reviewCounters(): ReviewCounters {
  return {
    kinds: [
      { kind: 'APPLICATION', pending: 12, escalated: 2, oldestCreatedAt: EARLIER },
      { kind: 'CHANGE_REQUEST', pending: 3, escalated: 0, oldestCreatedAt: EARLIER },
      { kind: 'TERMINAL_TRANSFER', pending: 0, escalated: 0, oldestCreatedAt: null },
    ],
    days: Array.from({ length: 7 }, (_, index) => ({
      day: new Date(NOW.getTime() - (6 - index) * 86_400_000).toISOString().slice(0, 10),
      escalations: 1,
      ...(Object.fromEntries(DECISIONS.map((decision, rank) => [decision, 20 >> rank])) as Record<
        Decision,
        number
      >),
    })),
  };
}

/** An operator's published version 2 of a LOW-risk plan (the merchant's MCC, 5411, is LOW). */
export function feePlan(): FeePlan {
  return {
    code: IDS.feePlanCode,
    version: 2,
    name: '零售标准 / Retail standard',
    rates: { DEBIT: { bps: 48, capFen: 2000 }, CREDIT: { bps: 58 }, QR: { bps: 35 } },
    t0SurchargeBps: 5,
    mccRiskLevels: ['LOW'],
    createdAt: EARLIER,
    createdBy: 'staff:op-1',
  };
}

/** The current plans: the operator's and the stored LOW default. */
export function feePlans(): FeePlan[] {
  return [feePlan(), { ...SHIPPED_DEFAULT_PLANS.LOW, createdAt: EARLIER }];
}

/** The bytes of the merchant's rendered agreement version 2 (a stand-in: only its digest is checked). */
export const AGREEMENT_PDF = new TextEncoder().encode('%PDF-1.7 bench agreement version 2\n%%EOF\n');

/** Version 2 of the merchant's agreement, rendered and waiting for a signature; version 1 is signed. */
export function agreementRecord(): AgreementRecord {
  const { createdAt: _createdAt, createdBy: _createdBy, mccRiskLevels: _levels, ...terms } = feePlan();
  return {
    agreementId: agreementIdOf(IDS.merchantNo, 2),
    merchantNo: IDS.merchantNo,
    version: 2,
    status: 'AWAITING_SIGNATURE',
    cause: 'FEE_PLAN_CHANGED',
    source: `FEE_PLAN:${IDS.feePlanCode}:2`,
    feePlan: terms,
    settlementCycle: 'T1',
    locale: 'zh-CN',
    createdAt: EARLIER,
    document: {
      objectKey: agreementObjectKey(IDS.merchantNo, 2),
      sha256: createHash('sha256').update(AGREEMENT_PDF).digest('hex'),
      bytes: AGREEMENT_PDF.byteLength,
    },
    timeline: [
      { status: 'AWAITING_SIGNATURE', at: EARLIER, actor: 'staff:op-1', action: 'FEE_PLAN_CHANGED' },
    ],
  };
}

/** The merchant's signed version 1 (in force while version 2 waits). */
export function signedAgreement(): AgreementRecord {
  const { document: _document, ...waiting } = agreementRecord();
  return {
    ...waiting,
    agreementId: agreementIdOf(IDS.merchantNo, 1),
    version: 1,
    status: 'SIGNED',
    cause: 'PROVISIONED',
    source: 'PROVISIONED',
    signature: {
      sha256: 'a'.repeat(64),
      signedAt: EARLIER,
      sourceIp: '203.0.113.10',
      userAgent: 'okhttp/4.12.0',
      codeMatched: true,
      archiveKey: `${IDS.merchantNo}/${agreementIdOf(IDS.merchantNo, 1)}.pdf`,
    },
  };
}

/** A month of one merchant's daily summaries, oldest first. */
export function dailySummaries(): DailySummary[] {
  return Array.from({ length: 30 }, (_, index) => ({
    day: new Date(NOW.getTime() - (30 - index) * 86_400_000).toISOString().slice(0, 10),
    cards: {
      DEBIT: { count: 40, amountFen: 1_250_000, declines: 1, alerts: 0 },
      CREDIT: { count: 12, amountFen: 860_000, declines: 0, alerts: 0 },
      QR: { count: 95, amountFen: 410_000, declines: 2, alerts: 0 },
    },
  }));
}

/** The deployment's webhook endpoint (its secrets are never listed). */
export function webhookEndpoint(): WebhookEndpointSummary {
  return {
    endpointId: IDS.endpointId,
    url: 'https://hooks.example.com/pos-events',
    events: ['application.approved', 'terminal.activated'],
    createdAt: EARLIER,
    createdBy: 'staff:op-1',
  };
}

/** A domain event as the webhooks keep it for redelivery. */
export function domainEvent(): DomainEvent {
  return {
    id: IDS.eventId,
    type: 'application.approved',
    createdAt: EARLIER,
    data: { applicationId: IDS.applicationId, merchantNo: IDS.merchantNo, status: 'APPROVED' },
  };
}

/** A page of the endpoint's deliveries: delivered at the first attempt. */
export function webhookDeliveries(): DeliveryRecord[] {
  return Array.from({ length: 20 }, (_, index) => ({
    endpointId: IDS.endpointId,
    eventId: ulid(NOW.getTime() - 10_000 - index * 1000),
    eventType: 'application.approved',
    status: 'DELIVERED',
    attempts: 1,
    attemptLog: [{ at: EARLIER, httpStatus: 200, result: 'DELIVERED', durationMs: 84 }],
    roundStartedAt: EARLIER,
    lastAttemptAt: EARLIER,
    lastHttpStatus: 200,
    createdAt: EARLIER,
    updatedAt: EARLIER,
  }));
}

/** The change request body the bench files: a new contact. */
export function changeRequestBody() {
  return {
    changes: { contact: { name: '李四', phone: '13900139000', email: 'lisi@example.com' } },
    reason: '联系人变更',
    expectedVersion: 1,
  };
}

/** A pending change request of the merchant (new contact). */
export function changeRequestRecord(): ChangeRequestRecord {
  const { changes, reason } = changeRequestBody();
  return {
    changeRequestId: IDS.changeRequestId,
    merchantNo: IDS.merchantNo,
    status: 'PENDING_REVIEW',
    changes,
    reason,
    expectedVersion: 1,
    fields: ['contact.name', 'contact.phone', 'contact.email'],
    checks: [],
    requiredChecks: ['phoneCallback'],
    reasons: [],
    timeline: [
      {
        status: 'PENDING_REVIEW',
        at: EARLIER,
        actor: `merchant:${IDS.merchantNo}`,
        action: 'CREATED',
        fields: ['contact.name', 'contact.phone', 'contact.email'],
      },
    ],
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:onboarding:${IDS.changeRequestId}`,
    revision: 1,
    createdAt: EARLIER,
    updatedAt: EARLIER,
  };
}

/** The merchant's first version. */
export function merchantVersions(): MerchantVersionRecord[] {
  return [{ version: 1, snapshot: merchantRecord(), actor: 'system', action: 'CREATED', at: EARLIER }];
}

/** A REST API (v1) proxy event as API Gateway sends it, with the headers a browser or app sends. */
export function apiEvent(input: {
  method: string;
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  claims?: Record<string, string>;
}): APIGatewayProxyEvent {
  let path = input.resource;
  for (const [name, value] of Object.entries(input.pathParameters ?? {}))
    path = path.replace(`{${name}}`, value);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Encoding': 'gzip, deflate, br',
    'CloudFront-Forwarded-Proto': 'https',
    'CloudFront-Viewer-Country': 'CN',
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'okhttp/4.12.0',
    Via: '2.0 0123456789abcdef.cloudfront.net (CloudFront)',
    'X-Amz-Cf-Id': 'bench-cf-id',
    'X-Amzn-Trace-Id': 'Root=1-66000000-000000000000000000000000',
    'X-Forwarded-For': '203.0.113.10, 130.176.0.1',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
    ...(input.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...input.headers,
  };
  return {
    resource: input.resource,
    path,
    httpMethod: input.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: input.query
      ? Object.fromEntries(Object.entries(input.query).map(([name, value]) => [name, [value]]))
      : null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.body === undefined ? null : JSON.stringify(input.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      authorizer: input.claims ? { claims: input.claims } : null,
      httpMethod: input.method,
      identity: { sourceIp: '203.0.113.10', userAgent: 'okhttp/4.12.0' },
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'bench-request',
      requestTimeEpoch: NOW.getTime(),
      resourceId: 'res123',
      resourcePath: input.resource,
      stage: 'prod',
    },
  } as unknown as APIGatewayProxyEvent;
}

/** A Lambda context of one invocation. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'bench-invocation',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

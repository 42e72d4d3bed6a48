/**
 * The client of the `/v1` API (and the local `/_local/tokens` sign-in) for both web apps, typed
 * from the OpenAPI document: `./api-schema.ts` is generated from it by `npm run openapi`
 * (openapi-typescript) and openapi-fetch checks every path, parameter, body and answer against it.
 * One function per route, so each app bundles only the routes it calls. The pages are served on
 * the API's own origin, so every path is relative and no CORS is involved.
 */
import createClient from 'openapi-fetch';
import type { ApplicationStatus, DocumentKind } from '../../shared/domain/application';
import type { ApplicationBody } from '../../shared/validation/application-schema';
import type { components, paths } from './api-schema';

// The API's own lists (shared/domain is free of Node-only code), not a copy.
export { DOCUMENT_KINDS, requiredDocumentKinds } from '../../shared/domain/application';
export type { ApplicationBody, ApplicationStatus, DocumentKind };

/** A per-field problem of an error answer (spec section 4). */
export interface FieldProblem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** An error answer of the API: its stable `code`, the field problems, and extra details. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The document's named schemas. */
type Schemas = components['schemas'];

/** One entry of a timeline: an application's, a change request's or a transfer's. */
export type TimelineEntry =
  | Schemas['ApplicationTimelineEntry']
  | Schemas['ChangeRequestTimelineEntry']
  | Schemas['TransferTimelineEntry'];
/** A reviewer's (or an automated check's) reason on a field. */
export type Reason = Schemas['Reason'];
/** `GET /v1/applications/{id}`: the masked application, with what the merchant must still do. */
export type ApplicationView = Schemas['Application'];
/** `POST /v1/applications/{id}/documents`. */
export type DocumentUpload = Answer<'/v1/applications/{id}/documents', 'post'>;
export type ReviewKind = ReviewItem['kind'];
export type RequiredCheck = ReviewItem['requiredChecks'][number];
export type Decision = NonNullable<ReviewItem['decision']>;
/** One automated check's result. */
export type AutomatedCheck = Schemas['AutomatedCheck'];
/** A task of the review queue. */
export type ReviewItem = Schemas['ReviewTask'];
/** `GET /v1/reviews/{taskId}`: the task and its masked subject (shape depends on the kind). */
export type ReviewDetail = Answer<'/v1/reviews/{taskId}', 'get'>;
/** A reviewer's live claim on a task: who holds it and until when (the lease). */
export type ReviewClaim = Schemas['ReviewClaim'];
/** One audited reveal of a masked field (never its value). */
export type RevealAudit = Schemas['RevealAudit'];
/** `GET /v1/reviews/stats`: the supervisor view. */
export type ReviewStats = Answer<'/v1/reviews/stats', 'get'>;
/** `GET /v1/reviews/{taskId}/documents`: presigned GETs of the subject's documents. */
export type ReviewDocuments = Answer<'/v1/reviews/{taskId}/documents', 'get'>;
/** `GET /v1/merchants/{merchantNo}` (masked). */
export type MerchantView = Schemas['Merchant'];
/** `GET /v1/merchants/{merchantNo}/agreement`: the newest version, its PDF and the version in force. */
export type AgreementView = Schemas['Agreement'];
/** `GET /v1/merchants/{merchantNo}/versions`. */
export type MerchantVersions = Answer<'/v1/merchants/{merchantNo}/versions', 'get'>;
/** A card type of the limits and the daily checks. */
export type CardType = keyof Schemas['Limits'];
/** The limits in force of every card type, in fen. */
export type Limits = Schemas['Limits'];
/** One card type's limits, in fen. */
export type CardLimits = Schemas['CardLimits'];
/** `GET /v1/merchants/{merchantNo}/limits`: the limits in force and today's and this month's usage. */
export type LimitsAndUsage = Schemas['LimitsAndUsage'];
/** One day's figures per card type (`GET /v1/merchants/{merchantNo}/daily-summaries`). */
export type DailySummary = Schemas['DailySummary'];
/** One change of a merchant's limits, as its audit keeps it. */
export type LimitChange = Schemas['LimitChange'];
/** `GET /v1/terminals/{sn}`. */
export type TerminalView = Answer<'/v1/terminals/{sn}', 'get'>;
/** `POST /v1/terminals`: one result per submitted row. */
export type RegisterResult = Answer<'/v1/terminals', 'post'>;
/** The current version of a fee plan: rates in basis points, caps in fen (integers only). */
export type FeePlanView = Schemas['FeePlan'];
/** `POST /v1/merchants/{merchantNo}/fee-plan`: the plan version and the agreement version it made. */
export type FeePlanChange = Answer<'/v1/merchants/{merchantNo}/fee-plan', 'post'>;
/** A webhook endpoint (never its secret). */
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
/** A domain event type an endpoint may subscribe to. */
export type WebhookEventType = WebhookEndpoint['events'][number];
/** `POST /v1/webhook-endpoints`: the endpoint and its secret, shown this once. */
export type CreatedWebhookEndpoint = Answer<'/v1/webhook-endpoints', 'post'>;
/** One event's delivery to an endpoint, with every attempt. */
export type WebhookDelivery = Schemas['WebhookDelivery'];

/** The JSON body of a route's 2xx answer. */
type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? {
      [S in keyof R]: S extends 200 | 201 | 202
        ? R[S] extends { content: { 'application/json': infer B } }
          ? B
          : never
        : never;
    }[keyof R]
  : never;

/** The API on this origin. */
const client = createClient<paths>({ credentials: 'omit', headers: { accept: 'application/json' } });

/** The `Authorization` header of a token. */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An answer's data; an error answer becomes an {@link ApiError} (network failures stay TypeErrors). */
async function data<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await request;
  if (response.ok) return body as T;
  const problem = (error as { error?: Record<string, unknown> } | undefined)?.error ?? {};
  const { code, message, fields, requestId: _requestId, ...details } = problem;
  throw new ApiError(
    response.status,
    typeof code === 'string' ? code : `HTTP_${response.status}`,
    typeof message === 'string' ? message : response.statusText,
    Array.isArray(fields) ? (fields as FieldProblem[]) : [],
    details,
  );
}

// Staff sign-in (local stack only, not in the document; Cognito Hosted UI in AWS).

/** `POST /_local/tokens`: a staff JWT from the local stack's key. */
export async function localStaffToken(sub: string, groups: readonly string[]): Promise<{ token: string }> {
  const response = await fetch('/_local/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ sub, groups }),
    credentials: 'omit',
  });
  const json = (await response.json().catch(() => ({}))) as {
    token?: string;
    error?: { code?: string; message?: string };
  };
  if (!response.ok || !json.token)
    throw new ApiError(
      response.status,
      json.error?.code ?? `HTTP_${response.status}`,
      json.error?.message ?? '',
    );
  return { token: json.token };
}

// Review queue and cases (reviewer).

/** One page of the pending queue, or of one kind's queue with `kind` (its cursor works only with that kind). */
export const listReviews = (
  token: string,
  query: { limit?: number; cursor?: string; kind?: ReviewKind; escalated?: boolean } = {},
) =>
  data(
    client.GET('/v1/reviews', {
      params: {
        query: {
          status: 'PENDING',
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.escalated ? { escalated: 'true' as const } : {}),
          limit: String(query.limit ?? 100),
          ...(query.cursor ? { cursor: query.cursor } : {}),
        },
      },
      headers: bearer(token),
    }),
  );
export const getReview = (token: string, taskId: string) =>
  data(client.GET('/v1/reviews/{taskId}', { params: { path: { taskId } }, headers: bearer(token) }));
export const getReviewDocuments = (token: string, taskId: string) =>
  data(
    client.GET('/v1/reviews/{taskId}/documents', { params: { path: { taskId } }, headers: bearer(token) }),
  );
export const decideReview = (
  token: string,
  taskId: string,
  body: {
    decision: Decision;
    reasons?: { field: string; reason: string }[];
    checks?: Partial<Record<RequiredCheck, { done: boolean; notes?: string }>>;
    /** Approving an application only: the fee plan (else the default of the MCC's risk level). */
    feePlanCode?: string;
    /** `LOWER_LIMITS` on a risk alert only: the new limits of the card types it lowers. */
    limits?: Partial<Limits>;
  },
) =>
  data(
    client.POST('/v1/reviews/{taskId}/decision', {
      params: { path: { taskId } },
      headers: bearer(token),
      body,
    }),
  );

export const claimReview = (token: string, taskId: string) =>
  data(client.POST('/v1/reviews/{taskId}/claim', { params: { path: { taskId } }, headers: bearer(token) }));
export const revealReviewField = (token: string, taskId: string, field: 'contact.phone') =>
  data(
    client.POST('/v1/reviews/{taskId}/reveal', {
      params: { path: { taskId } },
      headers: bearer(token),
      body: { field },
    }),
  );
export const getReviewStats = (token: string) =>
  data(client.GET('/v1/reviews/stats', { headers: bearer(token) }));

// Merchants (staff, or the merchant's own token).

export const getMerchant = (token: string, merchantNo: string) =>
  data(
    client.GET('/v1/merchants/{merchantNo}', { params: { path: { merchantNo } }, headers: bearer(token) }),
  );
export const listMerchantVersions = (token: string, merchantNo: string) =>
  data(
    client.GET('/v1/merchants/{merchantNo}/versions', {
      params: { path: { merchantNo } },
      headers: bearer(token),
    }),
  );

// Limits and daily summaries (staff, or the merchant's own token; changing limits: operator).

export const getMerchantLimits = (token: string, merchantNo: string) =>
  data(
    client.GET('/v1/merchants/{merchantNo}/limits', {
      params: { path: { merchantNo } },
      headers: bearer(token),
    }),
  );
export const putMerchantLimits = (
  token: string,
  merchantNo: string,
  body: { limits: Partial<Limits>; reason: string; expectedVersion?: number },
) =>
  data(
    client.PUT('/v1/merchants/{merchantNo}/limits', {
      params: { path: { merchantNo } },
      headers: bearer(token),
      body,
    }),
  );
/** A page of a merchant's limit changes, newest first (staff); `cursor` is a previous page's `nextCursor`. */
export const getLimitAudit = (token: string, merchantNo: string, cursor?: string) =>
  data(
    client.GET('/v1/merchants/{merchantNo}/limit-audit', {
      params: { path: { merchantNo }, query: { limit: '20', ...(cursor ? { cursor } : {}) } },
      headers: bearer(token),
    }),
  );
export const getDailySummaries = (
  token: string,
  merchantNo: string,
  query: { from?: string; to?: string } = {},
) =>
  data(
    client.GET('/v1/merchants/{merchantNo}/daily-summaries', {
      params: { path: { merchantNo }, query },
      headers: bearer(token),
    }),
  );

// Fee plans (staff; changing a merchant's plan: operator).

export const listFeePlans = (token: string) => data(client.GET('/v1/fee-plans', { headers: bearer(token) }));
export const changeMerchantFeePlan = (
  token: string,
  merchantNo: string,
  body: { feePlanCode: string; reason: string },
) =>
  data(
    client.POST('/v1/merchants/{merchantNo}/fee-plan', {
      params: { path: { merchantNo } },
      headers: bearer(token),
      body,
    }),
  );

// Webhooks (operator).

export const listWebhookEndpoints = (token: string) =>
  data(client.GET('/v1/webhook-endpoints', { headers: bearer(token) }));
export const createWebhookEndpoint = (token: string, body: { url: string; events: WebhookEventType[] }) =>
  data(client.POST('/v1/webhook-endpoints', { headers: bearer(token), body }));
export const deleteWebhookEndpoint = (token: string, id: string) =>
  data(client.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id } }, headers: bearer(token) }));
export const rotateWebhookSecret = (token: string, id: string) =>
  data(
    client.POST('/v1/webhook-endpoints/{id}/secret', { params: { path: { id } }, headers: bearer(token) }),
  );
export const listWebhookDeliveries = (token: string, id: string, cursor?: string) =>
  data(
    client.GET('/v1/webhook-endpoints/{id}/deliveries', {
      params: { path: { id }, query: { limit: '50', ...(cursor ? { cursor } : {}) } },
      headers: bearer(token),
    }),
  );
export const redeliverEvent = (token: string, eventId: string) =>
  data(
    client.POST('/v1/events/{eventId}/redeliver', { params: { path: { eventId } }, headers: bearer(token) }),
  );

// Terminals (operator; lookup also reviewer).

export const registerTerminals = (token: string, terminals: { serialNumber: string; model: string }[]) =>
  data(client.POST('/v1/terminals', { headers: bearer(token), body: { terminals } }));
export const getTerminal = (token: string, serialNumber: string) =>
  data(client.GET('/v1/terminals/{sn}', { params: { path: { sn: serialNumber } }, headers: bearer(token) }));
export const bindTerminal = (token: string, serialNumber: string, merchantNo: string) =>
  data(
    client.POST('/v1/terminals/{sn}/bind', {
      params: { path: { sn: serialNumber } },
      headers: bearer(token),
      body: { merchantNo },
    }),
  );
export const unbindTerminal = (token: string, serialNumber: string, reason: string) =>
  data(
    client.POST('/v1/terminals/{sn}/unbind', {
      params: { path: { sn: serialNumber } },
      headers: bearer(token),
      body: { reason },
    }),
  );
export const reissueActivationCode = (token: string, serialNumber: string) =>
  data(
    client.POST('/v1/terminals/{sn}/activation-code', {
      params: { path: { sn: serialNumber } },
      headers: bearer(token),
    }),
  );

// Applications (the merchant).

export const createApplication = (body: ApplicationBody, idempotencyKey: string) =>
  data(client.POST('/v1/applications', { params: { header: { 'idempotency-key': idempotencyKey } }, body }));
export const updateApplication = (token: string, applicationId: string, body: ApplicationBody) =>
  data(
    client.PUT('/v1/applications/{id}', {
      params: { path: { id: applicationId } },
      headers: bearer(token),
      body,
    }),
  );
export const getApplication = (token: string, applicationId: string) =>
  data(
    client.GET('/v1/applications/{id}', { params: { path: { id: applicationId } }, headers: bearer(token) }),
  );
export const createDocument = (
  token: string,
  applicationId: string,
  body: {
    kind: DocumentKind;
    contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
    /** The file's exact size: the upload URL signs it. */
    sizeBytes: number;
  },
) =>
  data(
    client.POST('/v1/applications/{id}/documents', {
      params: { path: { id: applicationId } },
      headers: bearer(token),
      body,
    }),
  );
export const submitApplication = (token: string, applicationId: string) =>
  data(
    client.POST('/v1/applications/{id}/submit', {
      params: { path: { id: applicationId } },
      headers: bearer(token),
    }),
  );

// Contact verification and signing in again (the merchant).

/** A contact channel: the phone (`SMS`) or the email. */
export type ContactChannel = 'SMS' | 'EMAIL';

export const requestVerification = (token: string, applicationId: string, channel: ContactChannel) =>
  data(
    client.POST('/v1/applications/{id}/verifications', {
      params: { path: { id: applicationId } },
      headers: bearer(token),
      body: { channel },
    }),
  );
export const confirmVerification = (
  token: string,
  applicationId: string,
  channel: ContactChannel,
  code: string,
) =>
  data(
    client.POST('/v1/applications/{id}/verifications/confirm', {
      params: { path: { id: applicationId } },
      headers: bearer(token),
      body: { channel, code },
    }),
  );
/** Public: a sign-in code by SMS to the application's contact phone (the same answer for any id). */
export const startSession = (applicationId: string) =>
  data(client.POST('/v1/applications/{id}/sessions', { params: { path: { id: applicationId } } }));
/** Public: the SMS code for a new access token. */
export const confirmSession = (applicationId: string, code: string) =>
  data(
    client.POST('/v1/applications/{id}/sessions/confirm', {
      params: { path: { id: applicationId } },
      body: { code },
    }),
  );

// The merchant agreement (the merchant; staff may read it too).

export const getAgreement = (token: string, merchantNo: string) =>
  data(
    client.GET('/v1/merchants/{merchantNo}/agreement', {
      params: { path: { merchantNo } },
      headers: bearer(token),
    }),
  );
export const requestSignatureCode = (token: string, merchantNo: string) =>
  data(
    client.POST('/v1/merchants/{merchantNo}/agreement/signature-codes', {
      params: { path: { merchantNo } },
      headers: bearer(token),
    }),
  );
export const signAgreement = (
  token: string,
  merchantNo: string,
  body: { agreementId: string; sha256: string; code: string },
) =>
  data(
    client.POST('/v1/merchants/{merchantNo}/agreement/sign', {
      params: { path: { merchantNo } },
      headers: bearer(token),
      body,
    }),
  );

// Terminal activation (the merchant).

export const activateTerminal = (token: string, serialNumber: string, activationCode: string) =>
  data(
    client.POST('/v1/terminals/{sn}/activate', {
      params: { path: { sn: serialNumber } },
      headers: bearer(token),
      body: { activationCode },
    }),
  );
export const runTestTransaction = (token: string, serialNumber: string) =>
  data(
    client.POST('/v1/terminals/{sn}/test-transaction', {
      params: { path: { sn: serialNumber } },
      headers: bearer(token),
    }),
  );

/**
 * PUTs a file to a presigned URL with the signed headers, reporting progress (0..1). XMLHttpRequest,
 * because fetch reports no upload progress. Resolves on a 2xx; rejects with an {@link ApiError}
 * (`UPLOAD_FAILED`) otherwise.
 */
export function putPresigned(
  url: string,
  file: Blob,
  headers: Readonly<Record<string, string>>,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    // Content-Length is set by the browser from the body (and is part of the signature when signed).
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() !== 'content-length') request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new ApiError(request.status, 'UPLOAD_FAILED', `Upload failed (${request.status})`));
    };
    request.onerror = () => reject(new ApiError(0, 'UPLOAD_FAILED', 'Upload failed (network)'));
    request.send(file);
  });
}

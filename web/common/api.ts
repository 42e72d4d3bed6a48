/**
 * The typed client of the `/v1` API (and the local `/_local/tokens` sign-in) for both web apps: one
 * module, one function per route, so each app bundles only the routes it calls. The pages are served
 * on the API's own origin, so every path is relative and no CORS is involved. A client generated
 * from the OpenAPI document is meant to replace this module, keeping its function names.
 */
import type { ApplicationStatus, DocumentKind } from '../../shared/domain/application';
import type { ApplicationBody } from '../../shared/validation/application-schema';

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

/** One entry of an application's timeline. */
export interface TimelineEntry {
  readonly status: ApplicationStatus;
  readonly at: string;
  readonly actor: string;
  readonly action?: string;
  readonly fields?: readonly string[];
}

/** A reviewer's (or an automated check's) reason on a field. */
export interface Reason {
  readonly field: string;
  readonly code?: string;
  readonly reason: string;
}

/** `GET /v1/applications/{id}`: the masked application. */
export interface ApplicationView extends Omit<ApplicationBody, 'locale'> {
  readonly applicationId: string;
  readonly status: ApplicationStatus;
  readonly locale?: 'zh-CN' | 'en';
  readonly documents: readonly {
    kind: DocumentKind;
    documentId?: string;
    contentType?: string;
    uploaded: boolean;
  }[];
  /** Which contacts confirmed a verification code (spec 6): submit needs both. */
  readonly contactVerified: { readonly phone: boolean; readonly email: boolean };
  readonly reasons: readonly Reason[];
  readonly merchantNo: string | null;
  readonly terminalId: string | null;
  readonly timeline: readonly TimelineEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `POST /v1/applications/{id}/documents`. */
export interface DocumentUpload {
  readonly documentId: string;
  readonly uploadUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
  readonly maxBytes: number;
}

export type ReviewKind = 'APPLICATION' | 'CHANGE_REQUEST' | 'TERMINAL_TRANSFER';
export type RequiredCheck = 'phoneCallback' | 'siteInspection';
export type Decision = 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES';

/** One automated check's result. */
export interface AutomatedCheck {
  readonly name: string;
  readonly result: string;
  readonly detail?: string;
}

/** A task of the review queue. */
export interface ReviewItem {
  readonly taskId: string;
  readonly kind: ReviewKind;
  readonly subjectId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly deadline: string;
  readonly finalDeadline?: string;
  readonly escalated: boolean;
  readonly automatedChecks: readonly AutomatedCheck[];
  readonly requiredChecks: readonly RequiredCheck[];
  readonly summary: string;
  readonly decision?: Decision;
  readonly reasons?: readonly Reason[];
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  /** The reviewer holding a live claim, if any. */
  readonly claim?: ReviewClaim | null;
}

/** `GET /v1/reviews/{taskId}`: the task and its masked subject (shape depends on the kind). */
export interface ReviewDetail extends ReviewItem {
  readonly subject: (Record<string, unknown> & { timeline?: readonly TimelineEntry[] }) | null;
  /** The audit of reveals: who, when, which field. */
  readonly reveals?: readonly RevealAudit[];
}

/** `GET /v1/reviews/{taskId}/documents`: presigned GETs of the subject's documents. */
export interface ReviewDocuments {
  readonly taskId: string;
  readonly documents: readonly {
    kind: DocumentKind;
    documentId: string;
    contentType: string;
    uploaded: boolean;
    url: string | null;
  }[];
  readonly expiresAt: string | null;
}

/** `GET /v1/merchants/{merchantNo}` (masked). */
export interface MerchantView {
  readonly merchantNo: string;
  readonly status: string;
  readonly version: number;
  readonly type: ApplicationBody['type'];
  readonly business: Record<string, unknown> & { name: string; mcc: string };
  readonly contact: { name: string; phone: string; email: string };
  readonly settlement: Record<string, unknown> & { cycle: string };
  readonly terminals: readonly { serialNumber: string; terminalId: string; status: string }[];
}

/** `GET /v1/merchants/{merchantNo}/versions`. */
export interface MerchantVersions {
  readonly merchantNo: string;
  readonly currentVersion: number;
  readonly items: readonly {
    version: number;
    at: string;
    actor: string;
    action: string;
    fields: readonly string[];
    changeRequestId: string | null;
  }[];
}

/** `GET /v1/terminals/{sn}`. */
export interface TerminalView {
  readonly serialNumber: string;
  readonly model: string;
  readonly status: string;
  readonly merchantNo: string | null;
  readonly terminalId: string | null;
  readonly history: readonly {
    action: string;
    merchantNo?: string | null;
    terminalId?: string | null;
    at: string;
    actor: string;
  }[];
}

/** `POST /v1/terminals`: one result per submitted row. */
export interface RegisterResult {
  readonly registered: number;
  readonly results: readonly { serialNumber: string; result: string; status?: string }[];
}

interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One request; an error answer becomes an {@link ApiError} (network failures stay TypeErrors). */
async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'omit',
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const { code, message, fields, requestId: _requestId, ...details } = error;
    throw new ApiError(
      response.status,
      typeof code === 'string' ? code : `HTTP_${response.status}`,
      typeof message === 'string' ? message : response.statusText,
      Array.isArray(fields) ? (fields as FieldProblem[]) : [],
      details,
    );
  }
  return json as T;
}

const segment = encodeURIComponent;

// Staff sign-in (local stack only; Cognito Hosted UI in AWS).

/** `POST /_local/tokens`: a staff JWT from the local stack's key. */
export const localStaffToken = (sub: string, groups: readonly string[]) =>
  call<{ token: string }>('POST', '/_local/tokens', { body: { sub, groups } });

// Review queue and cases (reviewer).

export const listReviews = (token: string, query: { limit?: number; cursor?: string } = {}) => {
  const params = new URLSearchParams({ status: 'PENDING', limit: String(query.limit ?? 100) });
  if (query.cursor) params.set('cursor', query.cursor);
  return call<{ items: ReviewItem[]; nextCursor: string | null }>('GET', `/v1/reviews?${params}`, { token });
};
export const getReview = (token: string, taskId: string) =>
  call<ReviewDetail>('GET', `/v1/reviews/${segment(taskId)}`, { token });
export const getReviewDocuments = (token: string, taskId: string) =>
  call<ReviewDocuments>('GET', `/v1/reviews/${segment(taskId)}/documents`, { token });
export const decideReview = (
  token: string,
  taskId: string,
  body: {
    decision: Decision;
    reasons?: readonly { field: string; reason: string }[];
    checks?: Partial<Record<RequiredCheck, { done: boolean; notes?: string }>>;
  },
) =>
  call<{ taskId: string; status: string; decision: Decision; decidedAt: string }>(
    'POST',
    `/v1/reviews/${segment(taskId)}/decision`,
    { token, body },
  );

// Merchants (staff, or the merchant's own token).

export const getMerchant = (token: string, merchantNo: string) =>
  call<MerchantView>('GET', `/v1/merchants/${segment(merchantNo)}`, { token });
export const listMerchantVersions = (token: string, merchantNo: string) =>
  call<MerchantVersions>('GET', `/v1/merchants/${segment(merchantNo)}/versions`, { token });

// Terminals (operator; lookup also reviewer).

export const registerTerminals = (
  token: string,
  terminals: readonly { serialNumber: string; model: string }[],
) => call<RegisterResult>('POST', '/v1/terminals', { token, body: { terminals } });
export const getTerminal = (token: string, serialNumber: string) =>
  call<TerminalView>('GET', `/v1/terminals/${segment(serialNumber)}`, { token });
export const bindTerminal = (token: string, serialNumber: string, merchantNo: string) =>
  call<{ serialNumber: string; merchantNo: string; terminalId: string; status: string }>(
    'POST',
    `/v1/terminals/${segment(serialNumber)}/bind`,
    { token, body: { merchantNo } },
  );
export const unbindTerminal = (token: string, serialNumber: string, reason: string) =>
  call<{ serialNumber: string; status: string }>('POST', `/v1/terminals/${segment(serialNumber)}/unbind`, {
    token,
    body: { reason },
  });
export const reissueActivationCode = (token: string, serialNumber: string) =>
  call<{ serialNumber: string; activationCodeSent: boolean; expiresAt?: string }>(
    'POST',
    `/v1/terminals/${segment(serialNumber)}/activation-code`,
    { token },
  );

// Applications (the merchant).

export const createApplication = (body: ApplicationBody, idempotencyKey: string) =>
  call<{ applicationId: string; status: ApplicationStatus; accessToken: string; createdAt: string }>(
    'POST',
    '/v1/applications',
    { body, headers: { 'idempotency-key': idempotencyKey } },
  );
export const updateApplication = (token: string, applicationId: string, body: ApplicationBody) =>
  call<ApplicationView>('PUT', `/v1/applications/${segment(applicationId)}`, { token, body });
export const getApplication = (token: string, applicationId: string) =>
  call<ApplicationView>('GET', `/v1/applications/${segment(applicationId)}`, { token });
export const createDocument = (
  token: string,
  applicationId: string,
  body: {
    kind: DocumentKind;
    contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
    /** The file's exact size: the upload URL signs it. */
    sizeBytes: number;
  },
) => call<DocumentUpload>('POST', `/v1/applications/${segment(applicationId)}/documents`, { token, body });
export const submitApplication = (token: string, applicationId: string) =>
  call<{ applicationId: string; status: ApplicationStatus }>(
    'POST',
    `/v1/applications/${segment(applicationId)}/submit`,
    { token },
  );

// Contact verification and signing in again (the merchant).

/** A contact channel: the phone (`SMS`) or the email. */
export type ContactChannel = 'SMS' | 'EMAIL';

export const requestVerification = (token: string, applicationId: string, channel: ContactChannel) =>
  call<{ channel: ContactChannel; sentTo: string; expiresAt: string }>(
    'POST',
    `/v1/applications/${segment(applicationId)}/verifications`,
    { token, body: { channel } },
  );
export const confirmVerification = (
  token: string,
  applicationId: string,
  channel: ContactChannel,
  code: string,
) =>
  call<{ channel: ContactChannel; verified: true }>(
    'POST',
    `/v1/applications/${segment(applicationId)}/verifications/confirm`,
    { token, body: { channel, code } },
  );
/** Public: a sign-in code by SMS to the application's contact phone (the same answer for any id). */
export const startSession = (applicationId: string) =>
  call<{ channel: 'SMS'; expiresAt: string }>('POST', `/v1/applications/${segment(applicationId)}/sessions`);
/** Public: the SMS code for a new access token. */
export const confirmSession = (applicationId: string, code: string) =>
  call<{ applicationId: string; accessToken: string; issuedAt: string }>(
    'POST',
    `/v1/applications/${segment(applicationId)}/sessions/confirm`,
    { body: { code } },
  );

// Terminal activation (the merchant).

export const activateTerminal = (token: string, serialNumber: string, activationCode: string) =>
  call<{ serialNumber: string; terminalId: string; status: string }>(
    'POST',
    `/v1/terminals/${segment(serialNumber)}/activate`,
    { token, body: { activationCode } },
  );
export const runTestTransaction = (token: string, serialNumber: string) =>
  call<{ result: string; saleId: string; voidId: string }>(
    'POST',
    `/v1/terminals/${segment(serialNumber)}/test-transaction`,
    { token },
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

// Review claims, the audited reveal and the supervisor view (reviewer).

/** A reviewer's live claim on a task: who holds it and until when (the lease). */
export interface ReviewClaim {
  readonly by: string;
  readonly until: string;
}

/** One audited reveal of a masked field (never its value). */
export interface RevealAudit {
  readonly field: string;
  readonly by: string;
  readonly at: string;
}

/** `GET /v1/reviews/stats`: the supervisor view. */
export interface ReviewStats {
  readonly asOf: string;
  readonly timeZone: string;
  readonly queue: readonly {
    kind: ReviewKind;
    pending: number;
    escalated: number;
    oldestCreatedAt: string | null;
    oldestAgeSeconds: number | null;
  }[];
  readonly pending: number;
  readonly escalated: number;
  readonly days: readonly { day: string; decisions: Record<Decision, number>; escalations: number }[];
}

export const claimReview = (token: string, taskId: string) =>
  call<{ taskId: string; claimedBy: string; claimedUntil: string; leaseSeconds: number }>(
    'POST',
    `/v1/reviews/${segment(taskId)}/claim`,
    { token },
  );
export const revealReviewField = (token: string, taskId: string, field: 'contact.phone') =>
  call<{ taskId: string; field: string; value: string; of: string; id: string; revealedAt: string }>(
    'POST',
    `/v1/reviews/${segment(taskId)}/reveal`,
    { token, body: { field } },
  );
export const getReviewStats = (token: string) => call<ReviewStats>('GET', '/v1/reviews/stats', { token });

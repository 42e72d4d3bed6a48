/**
 * Application errors. Every error that should reach a client carries `statusCode`, a stable
 * machine-readable `code` and `expose: true`; the one HTTP error middleware turns them into the
 * spec's error body. Anything else becomes a 500 without internal details.
 */

/** A per-field problem, reported in `error.fields`. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `legalPerson.idNumber` or `documents.BANK_CARD`. */
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** Stable error codes of the API (spec section 4). */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  /** A request the API rejected before any handler, for a reason without a more specific code. */
  | 'BAD_REQUEST'
  | 'ACTIVATION_CODE_INVALID'
  /** A wrong one-time code (contact verification, sign-in, signature): `attemptsLeft` says how many tries remain. */
  | 'VERIFICATION_CODE_INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'INVALID_STATE'
  | 'DUPLICATE_MERCHANT'
  | 'TERMINAL_ALREADY_BOUND'
  /** Another reviewer holds a live claim on the review task (`claimedBy`, `claimedUntil`). */
  | 'REVIEW_CLAIMED'
  /** The action needs the caller's own live claim on the review task (claim it first). */
  | 'CLAIM_REQUIRED'
  | 'ACTIVATION_LOCKED'
  | 'ACTIVATION_CODE_EXPIRED'
  /** The merchant was suspended after a risk alert: nothing new is switched on for it. */
  | 'MERCHANT_SUSPENDED'
  /** The terminal was suspended after a risk alert. */
  | 'TERMINAL_SUSPENDED'
  /** The terminal has had the most activation codes it may ever have. */
  | 'ACTIVATION_CODE_LIMIT'
  /** Every try of a one-time code was used: only a new code helps. */
  | 'VERIFICATION_LOCKED'
  /** No live one-time code: it expired, was used, or none was requested. */
  | 'VERIFICATION_EXPIRED'
  /** The agreement the merchant read is not the one waiting (another version or another digest). */
  | 'AGREEMENT_CHANGED'
  /** A terminal cannot be activated before the merchant signed an agreement. */
  | 'AGREEMENT_NOT_SIGNED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

const STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
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
  MERCHANT_SUSPENDED: 409,
  TERMINAL_SUSPENDED: 409,
  ACTIVATION_CODE_LIMIT: 409,
  VERIFICATION_LOCKED: 409,
  VERIFICATION_EXPIRED: 409,
  AGREEMENT_CHANGED: 409,
  AGREEMENT_NOT_SIGNED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

/** Every error code of the API (the OpenAPI document lists them). */
export function errorCodes(): readonly ErrorCode[] {
  return Object.keys(STATUS_OF) as ErrorCode[];
}

/** The HTTP status of an error code: the one map, also behind API Gateway's own error responses. */
export function statusOf(code: ErrorCode): number {
  return STATUS_OF[code];
}

/** An error meant for the client: its message must never contain personal data. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;
  /** middy convention: `expose` errors are shown to the client as they are. */
  readonly expose: boolean;
  readonly code: ErrorCode;
  readonly fields: readonly FieldProblem[] | undefined;
  /** Extra machine-readable details (e.g. `attemptsLeft`); never personal data. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: readonly FieldProblem[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.statusCode = STATUS_OF[code];
    this.expose = this.statusCode < 500;
    this.fields = options.fields;
    this.details = options.details;
  }
}

/** 400 with per-field problems. */
export function validationFailed(
  fields: readonly FieldProblem[],
  message = 'The request is not valid: each entry of fields names a field and how to fix it',
): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields });
}

/** 404 that does not say whether the thing exists for someone else (no enumeration). */
export function notFound(what = 'Resource'): AppError {
  return new AppError('NOT_FOUND', `${what} not found`);
}

/** 409 for an action the subject's current state does not allow. */
export function invalidState(message: string): AppError {
  return new AppError('INVALID_STATE', message);
}

/**
 * Why a credential was refused. The three are told apart because the caller knows what it sent;
 * a refused token never says why (unknown application, wrong secret, rotated or revoked all read
 * the same), so nothing can be probed.
 */
export type CredentialProblem =
  /** No `Authorization` header. */
  | 'missing'
  /** A header that is not `Bearer <token>`, or a token of neither known shape. */
  | 'malformed'
  /** A well-formed merchant access token that is not (or no longer) accepted. */
  | 'rejected'
  /** A staff JWT that failed verification (signature, issuer, audience, expiry). */
  | 'staff-rejected';

const CREDENTIAL_MESSAGES: Record<CredentialProblem, string> = {
  missing: 'Authentication required: send the header "Authorization: Bearer <token>"',
  malformed:
    'The Authorization header must be "Bearer <token>", with the accessToken of your application or a staff ID token',
  rejected:
    'This access token is not accepted: it was rotated or revoked, or never issued. Use the newest token; an operator can reissue a lost one',
  'staff-rejected':
    'This staff token is not accepted: it has expired or was not issued by the staff user pool. Sign in again',
};

/** 401 saying what to do about the credential, without saying which part of a token was wrong. */
export function unauthenticated(problem: CredentialProblem = 'rejected'): AppError {
  return new AppError('UNAUTHENTICATED', CREDENTIAL_MESSAGES[problem]);
}

/** 403 for an authenticated caller without the right to this action; the message says who has it. */
export function forbidden(message = 'You are not allowed to do this'): AppError {
  return new AppError('FORBIDDEN', message);
}

/** 403 for a staff member outside every group a route allows; names the groups (never the person). */
export function staffGroupRequired(allowed: readonly string[], held: readonly string[]): AppError {
  const needed =
    allowed.length === 1 ? `the staff group ${allowed[0]}` : `one of the staff groups ${allowed.join(', ')}`;
  // Verified claims, but still bounded: group names only, at most five.
  const names = held.filter((group) => /^[\w.-]{1,64}$/.test(group)).slice(0, 5);
  const has = names.length === 0 ? 'none' : names.join(', ');
  return forbidden(`This needs ${needed}; the token's groups: ${has}`);
}

/** True for AppError instances (also across module copies in bundles). */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (error as { name?: unknown } | null)?.name === 'AppError';
}

import type { ErrorCode } from '../errors';

/*
 * Facts of the API as a whole that the handlers, the CDK stack and the local API server share.
 */

/**
 * Largest request body (spec 4.1: bodies ≤ 32 KB; documents go straight to S3, never through the
 * API). In AWS the WAF blocks larger bodies with 413 before they reach a function; every handler
 * checks it again (shared/http/http-route.ts).
 */
export const MAX_BODY_BYTES = 32 * 1024;

/** An answer API Gateway (or the WAF in front of it) gives itself, before or instead of a handler. */
export interface GatewayResponse {
  /** API Gateway's response type (`UNAUTHORIZED`, `DEFAULT_4XX`, ...). */
  readonly type: string;
  readonly code: ErrorCode;
  readonly message: string;
  /**
   * Keep the status API Gateway chose (the DEFAULT_* types cover several statuses). @default false:
   * the status of `code` (shared/errors.ts)
   */
  readonly keepStatus?: boolean;
}

/**
 * API Gateway's own errors in the spec's error shape (`{"error": {"code", "message", "requestId"}}`),
 * with the codes and statuses of shared/errors.ts; the local API server answers the same.
 */
export const GATEWAY_RESPONSES = [
  { type: 'UNAUTHORIZED', code: 'UNAUTHENTICATED', message: 'Authentication required' },
  { type: 'EXPIRED_TOKEN', code: 'UNAUTHENTICATED', message: 'Authentication required' },
  { type: 'ACCESS_DENIED', code: 'FORBIDDEN', message: 'Access denied' },
  { type: 'WAF_FILTERED', code: 'FORBIDDEN', message: 'Request blocked' },
  // An unknown path or method: API Gateway's default is a confusing 403 "Missing Authentication Token".
  { type: 'MISSING_AUTHENTICATION_TOKEN', code: 'NOT_FOUND', message: 'Not found' },
  { type: 'RESOURCE_NOT_FOUND', code: 'NOT_FOUND', message: 'Not found' },
  { type: 'BAD_REQUEST_BODY', code: 'VALIDATION_FAILED', message: 'Invalid request body' },
  { type: 'BAD_REQUEST_PARAMETERS', code: 'VALIDATION_FAILED', message: 'Invalid request parameters' },
  { type: 'REQUEST_TOO_LARGE', code: 'PAYLOAD_TOO_LARGE', message: 'Request too large' },
  { type: 'THROTTLED', code: 'RATE_LIMITED', message: 'Too many requests' },
  { type: 'QUOTA_EXCEEDED', code: 'RATE_LIMITED', message: 'Too many requests' },
  { type: 'DEFAULT_4XX', code: 'BAD_REQUEST', message: 'Bad request', keepStatus: true },
  { type: 'DEFAULT_5XX', code: 'INTERNAL_ERROR', message: 'Internal error', keepStatus: true },
] as const satisfies readonly GatewayResponse[];

/** The gateway response of `type`. */
export function gatewayResponse(type: (typeof GATEWAY_RESPONSES)[number]['type']): GatewayResponse {
  const response = GATEWAY_RESPONSES.find((candidate) => candidate.type === type);
  if (!response) throw new Error(`No gateway response ${type}`);
  return response;
}

import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AppError, type FieldProblem, isAppError } from '../errors';
import { logger } from '../logger';
import { JSON_HEADERS } from './json-headers';

/** Seconds a client is asked to wait before retrying a 503 (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 1;

/** DynamoDB's and the SDK's names for "too many requests" (as the SDK classifies throttling). */
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'LimitExceededException',
]);
/** Cancellation reasons of a transaction refused for capacity rather than a condition. */
const THROTTLED_REASONS = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

/**
 * Whether the error is throttling that outlasted the SDK's retries: a dependency is over capacity,
 * so the client should come back later (503) rather than be told the service is broken (500).
 */
export function isThrottling(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as {
    name?: unknown;
    $retryable?: { throttling?: boolean };
    $metadata?: { httpStatusCode?: number };
    CancellationReasons?: readonly { Code?: string }[];
  };
  if (typeof e.name === 'string' && THROTTLING_ERRORS.has(e.name)) return true;
  if (e.$retryable?.throttling === true || e.$metadata?.httpStatusCode === 429) return true;
  return (
    e.name === 'TransactionCanceledException' &&
    (e.CancellationReasons ?? []).some((reason) => THROTTLED_REASONS.has(reason.Code ?? ''))
  );
}

/** Builds the spec's error body; only exposed AppErrors say more than "internal error". */
export function errorResponse(thrown: unknown, requestId: string): APIGatewayProxyResult {
  // Persistent throttling becomes a plain 503: the SDK error's name and message stay in the log.
  const error = isThrottling(thrown)
    ? new AppError('SERVICE_UNAVAILABLE', 'The service is busy; try again shortly')
    : thrown;
  const appError = isAppError(error) && error.expose ? error : undefined;
  const code = appError?.code ?? (isAppError(error) ? error.code : 'INTERNAL_ERROR');
  const statusCode = appError?.statusCode ?? (isAppError(error) ? error.statusCode : 500);
  const message = appError?.message ?? 'The service could not complete the request';
  const fields: readonly FieldProblem[] | undefined = appError?.fields;
  return {
    statusCode,
    // Every 503 is worth retrying (throttling, a dependency down): say when.
    headers:
      statusCode === 503
        ? { ...JSON_HEADERS, 'Retry-After': String(RETRY_AFTER_SECONDS) }
        : { ...JSON_HEADERS },
    body: JSON.stringify({
      error: {
        code,
        message,
        ...(fields && fields.length > 0 ? { fields } : {}),
        ...(appError?.details ?? {}),
        requestId,
      },
    }),
  };
}

/**
 * The one place errors become HTTP responses, as a middy `onError` middleware (the spec's error
 * body, 503 with Retry-After for throttling and unavailable dependencies). Logs the error code and,
 * for 5xx only, the error itself — AppError messages never contain personal data, SDK errors carry
 * none, and the logger redacts whatever else an error says.
 *
 * Not `@middy/http-error-handler`: it answers with the error's message as a plain-text body, has
 * no place for `code`, `fields`, `requestId` or Retry-After, and logs through console.error.
 */
export function httpErrorHandler(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      // middy clears the response before the onError stack: one set here is another handler's.
      if (request.response !== undefined && request.response !== null) return;
      const error: unknown = request.error;
      const requestId =
        request.event?.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown';
      const response = errorResponse(error, requestId);
      if (response.statusCode >= 500) {
        logger.error('request failed', {
          statusCode: response.statusCode,
          errorName: (error as Error | null)?.name,
          errorMessage: (error as Error | null)?.message,
        });
      } else {
        logger.info('request rejected', {
          statusCode: response.statusCode,
          code: isAppError(error) ? error.code : undefined,
        });
      }
      request.response = response;
    },
  };
}

import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { AppError, type FieldProblem, isAppError } from '../errors';
import { logger } from '../logger';
import { MAX_BODY_BYTES } from '../manifest/api';
import { JSON_HEADERS } from './json-headers';

/** What a route handler sees: the parsed request, nothing AWS-specific beyond the raw event. */
export interface HttpRequest {
  readonly event: APIGatewayProxyEvent;
  /** Parsed JSON body, `undefined` when the request had none. */
  readonly body: unknown;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly requestId: string;
}

/** A successful response; errors are thrown as {@link AppError}. */
export interface HttpResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route's business part: parse, authorize, call the use case, shape the response. */
export type RouteHandler = (request: HttpRequest) => Promise<HttpResult>;

function lowerCaseHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

function compact(record: Record<string, string | undefined> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record ?? {})) if (value !== undefined) out[name] = value;
  return out;
}

/** Reads the body as UTF-8 text and enforces the size limit before parsing anything. */
function parseBody(event: APIGatewayProxyEvent, maxBodyBytes: number): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > maxBodyBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The body must not exceed ${maxBodyBytes} bytes`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The body is not valid JSON', {
      fields: [{ field: 'body', code: 'INVALID_JSON', message: 'Expected a JSON document' }],
    });
  }
}

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
      statusCode === 503 ? { ...JSON_HEADERS, 'Retry-After': String(RETRY_AFTER_SECONDS) } : JSON_HEADERS,
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
 * The one place errors become HTTP responses (the spec's error shape). Logs the error code and,
 * for 5xx only, the error itself — AppError messages never contain personal data, and SDK errors
 * carry none.
 */
function mapError(error: unknown, requestId: string): APIGatewayProxyResult {
  const response = errorResponse(error, requestId);
  if (response.statusCode >= 500) {
    logger.error('request failed', {
      statusCode: response.statusCode,
      errorName: (error as Error | null)?.name,
      errorMessage: isAppError(error) ? error.message : (error as Error | null)?.message,
    });
  } else {
    logger.info('request rejected', {
      statusCode: response.statusCode,
      code: isAppError(error) ? error.code : undefined,
    });
  }
  return response;
}

/** Request metadata (never bodies) on every log line of the invocation. */
function setLogContext(event: APIGatewayProxyEvent, context: Context | undefined): void {
  logger.resetKeys();
  logger.appendKeys({
    requestId: event.requestContext?.requestId,
    route: `${event.httpMethod} ${event.resource}`,
    functionRequestId: context?.awsRequestId,
  });
}

/** An API handler as Lambda calls it. */
export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route handler in the house request handling: log context first, then body parsing and
 * the route handler, every error mapped by {@link errorResponse}. Body parsing happens inside so
 * that a too-large or malformed body is mapped like every other error. Plain code rather than a
 * middleware engine: loading @middy/core costs every API function ~4–6 ms of cold start, and its
 * per-invocation timeout timer is not needed (Lambda enforces the function timeout itself).
 */
export function httpRoute(route: RouteHandler, options: { maxBodyBytes?: number } = {}): ApiHandler {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  return async (event, context) => {
    setLogContext(event, context);
    try {
      const result = await route({
        event,
        body: parseBody(event, maxBodyBytes),
        headers: lowerCaseHeaders(event),
        pathParameters: compact(event.pathParameters),
        query: compact(event.queryStringParameters),
        requestId: event.requestContext?.requestId ?? 'unknown',
      });
      logger.info('request done', { statusCode: result.statusCode });
      return {
        statusCode: result.statusCode,
        headers: { ...JSON_HEADERS, ...result.headers },
        body: result.body === undefined ? '' : JSON.stringify(result.body),
      };
    } catch (error) {
      return mapError(error, event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown');
    }
  };
}

/**
 * Longest path parameter that can name something: ids are ULIDs (task ids `<ULID>-<n>`), SNs ≤ 32
 * characters, merchant numbers 15 digits. Longer ones are refused before any lookup: past 2 KB a
 * DynamoDB key is a ValidationException, which would surface as a 500 (found by the route fuzz).
 */
export const MAX_PATH_PARAMETER_LENGTH = 128;

/** A path parameter that API Gateway guarantees by the route template; one too long names nothing. */
export function pathParameter(request: HttpRequest, name: string): string {
  const value = request.pathParameters[name];
  if (value === undefined || value === '' || value.length > MAX_PATH_PARAMETER_LENGTH)
    throw new AppError('NOT_FOUND', 'Resource not found');
  return value;
}

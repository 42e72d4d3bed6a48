import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { AppError, type FieldProblem, isAppError } from '../errors';
import { logger } from '../logger';

/** Largest accepted request body (spec 4.1: body ≤ 32 KB). */
export const MAX_BODY_BYTES = 32 * 1024;

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

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

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

/** Builds the spec's error body; only exposed AppErrors say more than "internal error". */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyResult {
  const appError = isAppError(error) && error.expose ? error : undefined;
  const code = appError?.code ?? (isAppError(error) ? error.code : 'INTERNAL_ERROR');
  const statusCode = appError?.statusCode ?? (isAppError(error) ? error.statusCode : 500);
  const message = appError?.message ?? 'The service could not complete the request';
  const fields: readonly FieldProblem[] | undefined = appError?.fields;
  return {
    statusCode,
    headers: JSON_HEADERS,
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
 * The one place errors become HTTP responses (middy's `httpErrorHandler` role, with the spec's
 * error shape). Used last so its `onError` runs first. Logs the error code and, for 5xx only, the
 * error itself — AppError messages never contain personal data, and SDK errors carry none.
 */
function httpErrors(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    name: 'http-errors',
    onError: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      const response = errorResponse(request.error, requestId);
      if (response.statusCode >= 500) {
        logger.error('request failed', {
          statusCode: response.statusCode,
          errorName: (request.error as Error | null)?.name,
          errorMessage: isAppError(request.error)
            ? request.error.message
            : (request.error as Error | null)?.message,
        });
      } else {
        logger.info('request rejected', {
          statusCode: response.statusCode,
          code: isAppError(request.error) ? request.error.code : undefined,
        });
      }
      request.response = response;
    },
  };
}

/** Adds request metadata (never bodies) to every log line of the invocation. */
function requestLogContext(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    name: 'request-log-context',
    before: (request) => {
      logger.resetKeys();
      logger.appendKeys({
        requestId: request.event.requestContext?.requestId,
        route: `${request.event.httpMethod} ${request.event.resource}`,
        functionRequestId: request.context.awsRequestId,
      });
    },
  };
}

/**
 * Wraps a route handler in the house middleware stack: log context first, the route handler
 * last, error mapping as the final middleware. Body parsing happens inside so that a too-large
 * or malformed body is mapped like every other error.
 */
export function httpRoute(route: RouteHandler, options: { maxBodyBytes?: number } = {}) {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(requestLogContext())
    .use(httpErrors())
    .handler(async (event) => {
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
    });
}

/** A path parameter that API Gateway guarantees by the route template. */
export function pathParameter(request: HttpRequest, name: string): string {
  const value = request.pathParameters[name];
  if (value === undefined || value === '') throw new AppError('NOT_FOUND', 'Resource not found');
  return value;
}

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { AppError } from '../errors';
import { logger } from '../logger';
import { httpErrorHandler } from './error-response';
import { jsonBodyParser, MAX_BODY_BYTES, type RouteEvent } from './json-body';
import { JSON_HEADERS } from './json-headers';
import { requestLog } from './request-log';

export { errorResponse, isThrottling, RETRY_AFTER_SECONDS } from './error-response';
export { MAX_BODY_BYTES } from './json-body';

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

/**
 * A JSON body serialized once, on first use, and served as that text from then on: for an answer
 * that is the same on every request of a deployment and too large to stringify per request (the
 * OpenAPI document: ~2 ms each time). The value must not change after the first use.
 */
export class SerializedJson {
  #text: string | undefined;
  constructor(private readonly value: unknown) {}
  /** The JSON text, built the first time it is asked for. */
  get text(): string {
    this.#text ??= JSON.stringify(this.value);
    return this.#text;
  }
}

/** A successful response; errors are thrown as {@link AppError}. */
export interface HttpResult {
  readonly statusCode: number;
  /** Serialized as JSON (a {@link SerializedJson} is sent as its text). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route's business part: parse, authorize, call the use case, shape the response. */
export type RouteHandler = (request: HttpRequest) => Promise<HttpResult>;

/** An API handler as Lambda calls it: a middy handler with the house middlewares. */
export type ApiHandler = MiddyfiedHandler<RouteEvent, APIGatewayProxyResult, Error, Context>;

function compact(record: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record ?? {})) if (value !== undefined) out[name] = value;
  return out;
}

/** The route's view of an event the middlewares have normalized (headers) and parsed (body). */
function httpRequestOf(event: RouteEvent): HttpRequest {
  return {
    event,
    body: event.jsonBody,
    headers: compact(event.headers),
    pathParameters: compact(event.pathParameters),
    query: compact(event.queryStringParameters),
    requestId: event.requestContext?.requestId ?? 'unknown',
  };
}

/** A route's result as API Gateway's proxy integration expects it, with the JSON headers. */
function proxyResultOf(result: HttpResult): APIGatewayProxyResult {
  return {
    statusCode: result.statusCode,
    headers: { ...JSON_HEADERS, ...result.headers },
    body:
      result.body === undefined
        ? ''
        : result.body instanceof SerializedJson
          ? result.body.text
          : JSON.stringify(result.body),
  };
}

/**
 * An API handler: the route handler as a middy handler behind the house middlewares, in order:
 * 1. Powertools `injectLambdaContext`: the function's context on every log line; clears the
 *    invocation's keys when it ends, answered or not;
 * 2. {@link requestLog}: request id and route on every log line, one line per answered request;
 * 3. {@link httpErrorHandler} (`onError`): every error, thrown by a middleware or the route,
 *    becomes the spec's error body — the one place errors become HTTP;
 * 4. `@middy/http-header-normalizer`: header names in lower case;
 * 5. {@link jsonBodyParser}: size limit (413), JSON media type (415), JSON syntax (400).
 * middy's early timeout is off (`timeoutEarlyInMillis: 0`): Lambda enforces the function timeout
 * itself, and the timer would cost every invocation.
 */
export function httpRoute(route: RouteHandler, options: { maxBodyBytes?: number } = {}): ApiHandler {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  return middy<RouteEvent, APIGatewayProxyResult, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLog())
    .use(httpErrorHandler())
    .use(httpHeaderNormalizer())
    .use(jsonBodyParser({ maxBodyBytes }))
    .handler(async (event) => proxyResultOf(await route(httpRequestOf(event))));
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

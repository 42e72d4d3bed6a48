import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { gatewayResponse } from '../shared/manifest/api';
import type { RouteDefinition } from '../shared/manifest/types';
import { BodyTooLargeError, readBody, sendJson } from './http';
import { type HandlerLoader, invokeLambda, LambdaRuntimeError } from './lambda-runtime';
import type { LocalLogger } from './log';
import { type LocalStaffAuth, renderClaimsLikeApiGateway } from './staff-auth';
import type { WebStatic } from './web-static';

/** A request to a local-only helper route under `/_local/`. */
export interface LocalRouteRequest {
  readonly body: string;
  readonly query: URLSearchParams;
}

/** The answer of a local-only helper route (sent as JSON). */
export interface LocalRouteResult {
  readonly statusCode: number;
  readonly body: unknown;
}

/** A local-only helper route (never in ROUTES, never deployed). */
export interface LocalRoute {
  readonly method: 'GET' | 'POST';
  /** Exact path, e.g. `/_local/tokens`. */
  readonly path: string;
  handle(request: LocalRouteRequest): Promise<LocalRouteResult> | LocalRouteResult;
}

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  readonly routes: readonly RouteDefinition[];
  readonly localRoutes: readonly LocalRoute[];
  readonly loader: HandlerLoader;
  readonly staffAuth: LocalStaffAuth;
  readonly log: LocalLogger;
  /** Handler timeout; API Gateway's integration timeout (29 s) by default. */
  readonly functionTimeoutMs?: number;
  /** The built web apps (`/console/`, `/m/`), served on the same origin as `/v1`. */
  readonly web?: WebStatic;
}

/** The local API's stage name, as it appears in `requestContext.stage`. */
export const LOCAL_STAGE = 'local';
/** The local server stops reading here (413); the handlers enforce the API's body limit (MAX_BODY_BYTES, 32 KB). */
export const MAX_READ_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 29_000;

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

/**
 * The local API Gateway: routes from the same table CDK deploys, REST-proxy (v1) events for the same
 * handlers, and the Cognito authorizer's behaviour on `staff` routes. `/_local/*` helper routes are
 * served here too.
 */
export function createApiServer(options: ApiServerOptions): Server {
  const compiled = options.routes.map(compileRoute);
  return createServer((req, res) => {
    const started = Date.now();
    handleRequest(options, compiled, req, res)
      .catch((error: unknown) => {
        options.log.error(`api: ${req.method} ${req.url} failed`, error);
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
      })
      .finally(() =>
        options.log.info(`api: ${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`),
      );
  });
}

async function handleRequest(
  options: ApiServerOptions,
  routes: readonly CompiledRoute[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;

  if (options.web?.handles(path)) {
    await options.web.serve(req, res, url);
    return;
  }

  if (path.startsWith('/_local/')) {
    const candidates = options.localRoutes.filter((route) => route.path === path);
    const route = candidates.find((candidate) => candidate.method === method);
    if (!route) {
      sendNotFoundOrMethod(
        res,
        requestId,
        method,
        path,
        candidates.map((candidate) => candidate.method),
      );
      return;
    }
    const body = await readBodyOr413(req, res, requestId);
    if (body === undefined) return;
    const result = await route.handle({ body: body.toString('utf8'), query: url.searchParams });
    sendJson(res, result.statusCode, result.body);
    return;
  }

  // Like API Gateway, a literal segment wins over a `{param}` (`/v1/reviews/stats` before `/v1/reviews/{taskId}`).
  const matches = routes
    .map((compiled) => ({ compiled, match: compiled.pattern.exec(path) }))
    .filter((candidate) => candidate.match !== null)
    .sort((a, b) => a.compiled.params.length - b.compiled.params.length);
  const hit = matches.find((candidate) => candidate.compiled.route.method === method);
  if (!hit?.match) {
    sendNotFoundOrMethod(
      res,
      requestId,
      method,
      path,
      matches.map((candidate) => candidate.compiled.route.method),
    );
    return;
  }
  const body = await readBodyOr413(req, res, requestId);
  if (body === undefined) return;
  const { route, params } = hit.compiled;

  let claims: Record<string, string> | undefined;
  if (route.auth === 'staff') {
    // What API Gateway's Cognito authorizer does: no valid token, no handler call.
    const token = bearerToken(req.headers.authorization);
    const payload = token === undefined ? undefined : await options.staffAuth.verify(token);
    if (!payload) {
      // The deployed API's UNAUTHORIZED gateway response: the spec's error shape.
      const { code, message } = gatewayResponse('UNAUTHORIZED');
      sendJson(
        res,
        401,
        { error: { code, message, requestId } },
        { 'x-amzn-errortype': 'UnauthorizedException', 'x-amzn-requestid': requestId },
      );
      return;
    }
    claims = renderClaimsLikeApiGateway(payload);
  }

  const pathParameters: Record<string, string> = {};
  params.forEach((name, index) => {
    const raw = hit.match?.[index + 1] ?? '';
    pathParameters[name] = safeDecode(raw);
  });
  const event = buildEvent(req, url, route, pathParameters, body, requestId, claims);
  const timeoutMs = options.functionTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  let result: unknown;
  try {
    result = await invokeLambda(options.loader, route.functionName, event, { timeoutMs });
  } catch (error) {
    // API Gateway answers a failed Lambda with a bare 502 and never shows the error to the client.
    const timedOut = error instanceof Error && error.name === 'Sandbox.Timedout';
    if (error instanceof LambdaRuntimeError)
      options.log.error(`api: ${route.functionName}: ${error.name}: ${error.message}`);
    else options.log.error(`api: ${route.functionName} threw`, error);
    if (timedOut)
      sendJson(res, 504, { message: 'Endpoint request timed out' }, { 'x-amzn-requestid': requestId });
    else sendJson(res, 502, { message: 'Internal server error' }, { 'x-amzn-requestid': requestId });
    return;
  }
  writeProxyResponse(options, route, res, result, requestId);
}

function writeProxyResponse(
  options: ApiServerOptions,
  route: RouteDefinition,
  res: ServerResponse,
  result: unknown,
  requestId: string,
): void {
  const response =
    typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : undefined;
  const statusCode = response?.statusCode;
  const body = response?.body;
  if (
    !response ||
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599 ||
    (body !== undefined && body !== null && typeof body !== 'string')
  ) {
    options.log.error(`api: ${route.functionName} returned a malformed Lambda proxy response`);
    sendJson(res, 502, { message: 'Internal server error' }, { 'x-amzn-requestid': requestId });
    return;
  }
  const headers = new Map<string, string | string[]>();
  for (const [name, value] of Object.entries(asRecord(response.multiValueHeaders))) {
    if (Array.isArray(value)) headers.set(name, value.map(String));
  }
  for (const [name, value] of Object.entries(asRecord(response.headers))) {
    if (value !== undefined && value !== null) headers.set(name, String(value));
  }
  const lowerNames = new Set([...headers.keys()].map((name) => name.toLowerCase()));
  if (!lowerNames.has('content-type')) headers.set('Content-Type', 'application/json');
  headers.set('x-amzn-RequestId', requestId);
  headers.set('x-amz-apigw-id', randomBytes(6).toString('base64url'));
  const payload =
    typeof body === 'string'
      ? Buffer.from(body, response.isBase64Encoded === true ? 'base64' : 'utf8')
      : Buffer.alloc(0);
  headers.set('Content-Length', String(payload.length));
  res.writeHead(statusCode, Object.fromEntries(headers));
  res.end(payload);
}

/** Builds the REST API (v1) proxy event API Gateway would send for this request. */
function buildEvent(
  req: IncomingMessage,
  url: URL,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
  body: Buffer,
  requestId: string,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEvent {
  // Null-prototype records: a client's `__proto__` or `constructor` header or query name must be a
  // plain key (as in API Gateway's JSON event), not Object.prototype's member (`.push` of it threw → 500).
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    const value = req.rawHeaders[i + 1] ?? '';
    headers[name] = value;
    const values = multiValueHeaders[name] ?? [];
    values.push(value);
    multiValueHeaders[name] = values;
  }
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const port = String(req.socket.localPort ?? '');
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  const forwarded: Record<string, string> = {
    'X-Forwarded-For': sourceIp,
    'X-Forwarded-Port': port,
    'X-Forwarded-Proto': 'http',
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  };
  for (const [name, value] of Object.entries(forwarded)) {
    if (present.has(name.toLowerCase())) continue;
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }

  const queryStringParameters: Record<string, string> = Object.create(null);
  const multiValueQueryStringParameters: Record<string, string[]> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] = value;
    const values = multiValueQueryStringParameters[name] ?? [];
    values.push(value);
    multiValueQueryStringParameters[name] = values;
  }
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  const hasParams = Object.keys(pathParameters).length > 0;
  const text = body.length === 0 ? undefined : decodeUtf8(body);
  const now = new Date();
  const host = headers.Host ?? headers.host ?? 'localhost';

  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: hasParams ? pathParameters : null,
    stageVariables: null,
    body: body.length === 0 ? null : (text ?? body.toString('base64')),
    isBase64Encoded: body.length > 0 && text === undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      // Present only behind an authorizer, as in API Gateway (undefined disappears in the JSON event).
      authorizer: claims === undefined ? undefined : { claims },
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      extendedRequestId: randomBytes(6).toString('base64url'),
      httpMethod: route.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: null,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${LOCAL_STAGE}${url.pathname}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId,
      requestTime: apiGatewayTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: randomBytes(3).toString('hex'),
      resourcePath: route.path,
      stage: LOCAL_STAGE,
    },
  };
}

async function readBodyOr413(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, MAX_READ_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendJson(
      res,
      413,
      { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body exceeds 1 MB', requestId } },
      { connection: 'close' },
    );
    return undefined;
  }
}

function sendNotFoundOrMethod(
  res: ServerResponse,
  requestId: string,
  method: string,
  path: string,
  allowed: readonly string[],
): void {
  if (allowed.length > 0) {
    const allow = [...new Set(allowed)].join(', ');
    sendJson(
      res,
      405,
      {
        error: {
          code: 'METHOD_NOT_ALLOWED',
          message: `${method} is not allowed on ${path} (allowed: ${allow})`,
          requestId,
        },
      },
      { allow },
    );
    return;
  }
  sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No route for ${method} ${path}`, requestId } });
}

function compileRoute(route: RouteDefinition): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1] ?? '');
      // `{proxy+}` is greedy in API Gateway; a plain `{id}` is exactly one non-empty segment.
      return param[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), params };
}

/** `Authorization: Bearer <jwt>`, or the raw token (API Gateway's Cognito authorizer takes both). */
function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  const token = /^bearer\s+/i.test(trimmed) ? trimmed.replace(/^bearer\s+/i, '') : trimmed;
  return token.length > 0 ? token : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** One decoder for every request: `decode()` without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(body: Buffer): string | undefined {
  try {
    return UTF8.decode(body);
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `09/Apr/2015:12:34:56 +0000`, API Gateway's `requestTime` format. */
function apiGatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

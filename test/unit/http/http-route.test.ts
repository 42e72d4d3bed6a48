import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors';
import { type HttpRequest, httpRoute, MAX_BODY_BYTES } from '../../../shared/http/http-route';
import { isJsonContentType } from '../../../shared/http/json-body';
import { logger } from '../../../shared/logger';

/*
 * The house route stack as middy middlewares: what the route sees (lower-case headers, the parsed
 * body), what the client gets for bodies of the wrong size, type or syntax, and what is logged.
 */

// Before the logger is built: INFO lines (the suite runs at WARN). Powertools' injectLambdaContext
// puts the level back to this initial one at every invocation.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

const context = { awsRequestId: 'aws-1', functionName: 'unit-fn' } as Context;

function event(input: {
  body?: string | null;
  headers?: Record<string, string | undefined>;
  isBase64Encoded?: boolean;
}) {
  return {
    httpMethod: 'POST',
    resource: '/v1/things/{id}',
    path: '/v1/things/T1',
    headers: input.headers ?? {},
    body: input.body ?? null,
    isBase64Encoded: input.isBase64Encoded ?? false,
    pathParameters: { id: 'T1' },
    queryStringParameters: { limit: '5' },
    requestContext: { requestId: 'req-1' },
  } as unknown as APIGatewayProxyEvent;
}

let seen: HttpRequest[] = [];
const echo = httpRoute(async (request) => {
  seen.push(request);
  return { statusCode: 200, body: { got: request.body ?? null } };
});

async function call(input: Parameters<typeof event>[0], handler = echo) {
  const res = await handler(event(input), context);
  return { status: res.statusCode, headers: res.headers ?? {}, json: JSON.parse(res.body || 'null') };
}

let lines: Record<string, unknown>[] = [];
const originals = { out: process.stdout.write, err: process.stderr.write };
beforeEach(() => {
  seen = [];
  lines = [];
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
});
afterEach(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
});

describe('httpRoute', () => {
  it('is a middy handler; the route sees lower-case headers, the parsed body and its parameters', async () => {
    expect(typeof echo.use).toBe('function');
    const res = await call({
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1', 'X-Empty': undefined },
    });
    expect(res).toMatchObject({ status: 200, json: { got: { a: 1 } } });
    expect(res.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(seen[0]).toMatchObject({
      body: { a: 1 },
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      pathParameters: { id: 'T1' },
      query: { limit: '5' },
      requestId: 'req-1',
    });
    expect(seen[0]?.headers).not.toHaveProperty('x-empty');
  });

  it('leaves the caller’s event as it was, so one event can be handled twice', async () => {
    const raw = event({ body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect((await echo(raw, context)).statusCode).toBe(200);
    expect(raw.body).toBe('{"a":1}');
    expect(JSON.parse((await echo(raw, context)).body)).toEqual({ got: { a: 1 } });
  });

  it('accepts JSON bodies only: 415 UNSUPPORTED_MEDIA_TYPE for any other type or none', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON;charset="UTF-8"',
      ' application/json ',
    ]) {
      expect(isJsonContentType(type), type).toBe(true);
      expect((await call({ body: '{}', headers: { 'content-type': type } })).status, type).toBe(200);
    }
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'application/xml',
      'application/json; charset=latin1',
      'application/merge-patch+json',
      'application/jsonx',
      'multipart/form-data; boundary=x',
      '*/*',
      '',
      undefined,
    ]) {
      const res = await call({ body: '{"a":1}', headers: { 'content-type': type } });
      expect(res.status, String(type)).toBe(415);
      expect(res.json.error).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringContaining('Content-Type: application/json'),
        requestId: 'req-1',
      });
    }
    expect(seen.filter((request) => request.body !== undefined)).toHaveLength(4);
  });

  it('does not ask a request without a body for a Content-Type', async () => {
    for (const body of [null, '']) {
      const res = await call({ body, headers: { 'content-type': 'text/plain' } });
      expect(res).toMatchObject({ status: 200, json: { got: null } });
    }
  });

  it('checks the size first (413), then the type (415), then the syntax (400 INVALID_JSON)', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect((await call({ body: big, headers: { 'content-type': 'text/plain' } })).json.error.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect((await call({ body: '{"a":', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    const broken = await call({ body: '{"a":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.json.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'body', code: 'INVALID_JSON', message: expect.any(String) }],
    });
    expect(seen).toHaveLength(0);
  });

  it('counts the limit in bytes as sent: UTF-8 for text, decoded bytes for a base64 body, which it parses as UTF-8', async () => {
    const json = { 'content-type': 'application/json' };
    // 3 bytes per character in UTF-8: under the limit in characters, over it in bytes.
    const chinese = JSON.stringify({ name: '商'.repeat(Math.floor(MAX_BODY_BYTES / 3)) });
    expect(chinese.length).toBeLessThan(MAX_BODY_BYTES);
    expect((await call({ body: chinese, headers: json })).json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const encoded = Buffer.from(JSON.stringify({ name: '商户' }), 'utf8').toString('base64');
    expect(await call({ body: encoded, headers: json, isBase64Encoded: true })).toMatchObject({
      status: 200,
      json: { got: { name: '商户' } },
    });
    const large = Buffer.from(JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) })).toString('base64');
    const refused = await call({ body: large, headers: json, isBase64Encoded: true });
    expect(refused.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(seen).toHaveLength(1);
  });

  it('maps what a route throws in one place: exposed AppErrors as they are, anything else as a bare 500', async () => {
    const refusing = httpRoute(async () => {
      throw new AppError('CONFLICT', 'Already done', { details: { attemptsLeft: 2 } });
    });
    expect(await call({}, refusing)).toMatchObject({
      status: 409,
      json: { error: { code: 'CONFLICT', message: 'Already done', attemptsLeft: 2, requestId: 'req-1' } },
    });
    const failing = httpRoute(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'pk') at /work/shared/x.ts:1");
    });
    const res = await call({}, failing);
    expect(res.status).toBe(500);
    expect(res.json.error).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'The service could not complete the request',
      requestId: 'req-1',
    });
    expect(JSON.stringify(res.json)).not.toMatch(/TypeError|pk|\/work/);
  });

  it('logs one line per request with the request id, the route and the function context, then clears them', async () => {
    await call({ body: '{}', headers: { 'content-type': 'application/json' } });
    await call({ body: '{}', headers: { 'content-type': 'text/plain' } });
    logger.info('between invocations');
    expect(lines.map((line) => line.message)).toEqual([
      'request done',
      'request rejected',
      'between invocations',
    ]);
    for (const line of lines.slice(0, 2)) {
      expect(line).toMatchObject({
        requestId: 'req-1',
        route: 'POST /v1/things/{id}',
        function_request_id: 'aws-1',
        function_name: 'unit-fn',
      });
    }
    expect(lines[1]).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(lines[2]).not.toHaveProperty('requestId');
    expect(lines[2]).not.toHaveProperty('route');
  });
});

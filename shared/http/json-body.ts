import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AppError } from '../errors';
import { MAX_BODY_BYTES } from '../manifest/api';

export { MAX_BODY_BYTES };

/** The API Gateway event as the house middlewares hand it to a route: `jsonBody` is the parsed body. */
export type RouteEvent = APIGatewayProxyEvent & {
  /** The parsed JSON body, `undefined` when the request had none. Set by {@link jsonBodyParser}. */
  readonly jsonBody?: unknown;
};

/**
 * The media types a body may be sent as: JSON, optionally saying that it is UTF-8 (RFC 8259 §8.1:
 * JSON exchanged between systems is UTF-8; the type defines no other parameter). Names and values
 * are case-insensitive (RFC 9110 §8.3.1).
 */
const JSON_MEDIA_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;

/** True when a Content-Type header value says the body is JSON (see {@link JSON_MEDIA_TYPE}). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_MEDIA_TYPE.test(contentType.trim());
}

/**
 * The house JSON body parser, a middy `before` middleware (after `@middy/http-header-normalizer`,
 * so header names are lower case). For a request with a body, in this order:
 * 1. more than `maxBodyBytes` → 413 PAYLOAD_TOO_LARGE, before anything is decoded;
 * 2. a Content-Type other than JSON → 415 UNSUPPORTED_MEDIA_TYPE. A body without a Content-Type is
 *    refused too: RFC 9110 §8.3 lets a server treat it as `application/octet-stream`, and whether
 *    a body is accepted should not depend on a client leaving a header out (curl `-d`, browsers and
 *    fetch always send one: form-urlencoded or text/plain);
 * 3. not parseable → 400 VALIDATION_FAILED with `{ field: 'body', code: 'INVALID_JSON' }`.
 * A request without a body is not checked: routes that need one answer VALIDATION_FAILED.
 *
 * Not `@middy/http-json-body-parser`: it answers malformed JSON with 415 instead of the spec's 400
 * with a field, has no size limit, and accepts `application/*+json` and any charset.
 *
 * The parsed body goes on a copy of the event (`jsonBody`); the caller's event keeps its raw body,
 * so one event object can be handled twice (a retry, the bench).
 */
export function jsonBodyParser(options: {
  readonly maxBodyBytes: number;
}): MiddlewareObj<RouteEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      const { event } = request;
      if (event.body === null || event.body === undefined || event.body === '') {
        if (event.jsonBody !== undefined) request.event = { ...event, jsonBody: undefined };
        return;
      }
      // Measured without copying the body into a buffer (and back, on every request); a base64
      // body is decoded only once it is known to fit.
      const bytes = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      if (bytes > options.maxBodyBytes) {
        throw new AppError('PAYLOAD_TOO_LARGE', `The body must not exceed ${options.maxBodyBytes} bytes`);
      }
      if (!isJsonContentType(event.headers?.['content-type'])) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'The body must be JSON, sent with Content-Type: application/json (optionally; charset=utf-8)',
        );
      }
      const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
      let jsonBody: unknown;
      try {
        jsonBody = JSON.parse(text);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'The body is not valid JSON', {
          fields: [{ field: 'body', code: 'INVALID_JSON', message: 'Expected a JSON document' }],
        });
      }
      request.event = { ...event, jsonBody };
    },
  };
}

import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/get-openapi';
import document from '../../../shared/openapi/openapi.json' with { type: 'json' };

const event = {
  httpMethod: 'GET',
  resource: '/v1/openapi.json',
  path: '/v1/openapi.json',
  headers: {},
  body: null,
  requestContext: { requestId: 'req-1' },
} as unknown as APIGatewayProxyEvent;
const context = { awsRequestId: 'aws-1' } as Context;

describe('GET /v1/openapi.json handler', () => {
  it('answers the document as JSON, the same text on every request, cacheable', async () => {
    const first = await handler(event, context);
    const second = await handler(event, context);
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toEqual(document);
    expect(second.body).toBe(first.body);
    expect(first.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    });
  });
});

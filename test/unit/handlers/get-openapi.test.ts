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
  it('answers the repository document (unpacked from the bundled copy), cacheable, as JSON', async () => {
    const res = await handler(event, context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(document);
    expect(res.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=300',
    });
    // Unpacked once: the next caller gets the same text.
    expect((await handler(event, context)).body).toBe(res.body);
  });
});

import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/health';

const event = {
  httpMethod: 'GET',
  resource: '/v1/health',
  path: '/v1/health',
  headers: {},
  body: null,
  requestContext: { requestId: 'req-1' },
} as unknown as APIGatewayProxyEvent;
const context = { awsRequestId: 'aws-1' } as Context;

describe('GET /v1/health handler', () => {
  it('is a middy handler answering the JSON body and headers of every route', async () => {
    expect(typeof handler.use).toBe('function');
    const res = await handler(event, context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
    expect(res.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });

  it('hands out a fresh headers object each time (a caller mutating one changes nothing)', async () => {
    const first = await handler(event, context);
    (first.headers as Record<string, string>)['x-extra'] = '1';
    expect((await handler(event, context)).headers).not.toHaveProperty('x-extra');
  });
});

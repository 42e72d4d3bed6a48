import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/health';
import { httpRoute } from '../../../shared/http/http-route';

describe('GET /v1/health handler', () => {
  it('answers exactly what the house route stack would, without loading it', async () => {
    const event = {
      httpMethod: 'GET',
      resource: '/v1/health',
      path: '/v1/health',
      headers: {},
      body: null,
      requestContext: { requestId: 'req-1' },
    } as unknown as APIGatewayProxyEvent;
    const viaStack = await httpRoute(async () => ({ statusCode: 200, body: { status: 'ok' } }))(event, {
      awsRequestId: 'aws-1',
    } as Context);
    const res = await handler();
    expect(res).toEqual(viaStack);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
    expect(res.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
  });

  it('hands out a fresh headers object each time (a caller mutating one changes nothing)', async () => {
    const first = await handler();
    (first.headers as Record<string, string>)['x-extra'] = '1';
    expect((await handler()).headers).not.toHaveProperty('x-extra');
  });
});

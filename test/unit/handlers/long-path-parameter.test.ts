import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MAX_PATH_PARAMETER_LENGTH } from '../../../shared/http/http-route';
import type { StaffTokenVerifier } from '../../../shared/ports';
import type { ApplicationRepository } from '../../../shared/ports/repositories';
import type { TransferRepository } from '../../../shared/ports/terminals';

process.env.TABLE_NAME = 'unit';
process.env.STAFF_JWKS_URI = 'http://127.0.0.1:1/jwks.json';
process.env.FIELD_CIPHER_LOCAL_KEY = 'unit-field-key';
process.env.STAFF_JWT_ISSUER = 'unit';
process.env.STAFF_JWT_AUDIENCE = 'unit';
for (const key of ['IDENTITY', 'ACTIVATION_CODE', 'ONE_TIME_CODE', 'NOTIFICATION_ADDRESS'])
  process.env[`HMAC_LOCAL_SECRET_${key}`] = 'unit-secret';
const { makeHandler } = await import('../../../functions/get-transfer-request');

/*
 * Regression found by test/security/fuzz-routes.test.ts: GET /v1/transfer-requests/{id} with an id of
 * a few thousand characters reached DynamoDB, whose ValidationException (key > 2 KB) became a 500.
 * Over-long path parameters now answer 404 before any lookup, on every route (pathParameter).
 */

function setup() {
  const lookups: string[] = [];
  const handler = makeHandler({
    applications: {
      tokenHashOf: async () => undefined,
    } as unknown as ApplicationRepository,
    transfers: {
      get: async (id: string) => {
        lookups.push(id);
        // What DynamoDB does with a partition key over 2048 bytes.
        if (Buffer.byteLength(`TRANSFER#${id}`) > 2048) throw new Error('ValidationException: key too large');
        return undefined;
      },
    } as unknown as TransferRepository,
    staffVerifier: {
      verify: async () => ({ sub: 'rev-1', groups: ['reviewer'] }),
    } as unknown as StaffTokenVerifier,
  });
  const call = async (id: string) => {
    const event = {
      resource: '/v1/transfer-requests/{id}',
      httpMethod: 'GET',
      headers: { authorization: `Bearer a.b.c` },
      pathParameters: { id },
      queryStringParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'unit' },
    } as unknown as APIGatewayProxyEvent;
    const result = await handler(event, { awsRequestId: 'unit' } as Context);
    return { status: result.statusCode, body: JSON.parse(result.body) };
  };
  return { call, lookups };
}

describe('over-long path parameters', () => {
  it('answers 404 NOT_FOUND without a lookup for an id longer than any real one', async () => {
    const { call, lookups } = setup();
    for (const id of ['9'.repeat(3000), 'A'.repeat(MAX_PATH_PARAMETER_LENGTH + 1), '张'.repeat(1000)]) {
      const answer = await call(id);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('NOT_FOUND');
    }
    expect(lookups).toEqual([]);
  });

  it('still looks up ids up to the limit', async () => {
    const { call, lookups } = setup();
    const id = 'A'.repeat(MAX_PATH_PARAMETER_LENGTH);
    expect((await call(id)).status).toBe(404);
    expect(lookups).toEqual([id]);
  });
});

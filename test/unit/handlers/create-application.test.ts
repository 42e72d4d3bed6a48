import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ApplicationRecord } from '../../../shared/domain/application';
import type { ApplicationRepository } from '../../../shared/ports/repositories';
import { individualApplication } from '../../support/fixtures';

process.env.TABLE_NAME = 'unit';
process.env.DOCUMENTS_BUCKET = 'unit';
for (const key of ['IDENTITY', 'ACTIVATION_CODE', 'ONE_TIME_CODE', 'NOTIFICATION_ADDRESS'])
  process.env[`HMAC_LOCAL_SECRET_${key}`] = 'unit-secret';
process.env.FIELD_CIPHER_LOCAL_KEY = 'unit-field-key';
const { makeHandler } = await import('../../../functions/create-application');

/** In-memory store of what the handler writes, to assert "nothing stored" and "one write". */
class MemoryApplications implements Partial<ApplicationRepository> {
  readonly applications = new Map<string, ApplicationRecord>();
  /** The replayable first tokens (sealed in the table; plain here). */
  readonly firstTokens = new Map<string, { token: string; replayUntil: string }>();
  failWith: Error | undefined;
  writes = 0;
  async createIfAbsent(record: ApplicationRecord, firstToken: { token: string; replayUntil: string }) {
    this.writes += 1;
    if (this.failWith) throw this.failWith;
    const holder = this.applications.get(record.applicationId);
    if (holder) return holder;
    this.applications.set(record.applicationId, record);
    this.firstTokens.set(record.applicationId, firstToken);
    return undefined;
  }
  async replayableToken(applicationId: string, now: Date) {
    const first = this.firstTokens.get(applicationId);
    return first && Date.parse(first.replayUntil) > now.getTime() ? first.token : undefined;
  }
  async forgetReplayableToken(applicationId: string) {
    this.firstTokens.delete(applicationId);
  }
}

function setup() {
  const applications = new MemoryApplications();
  const clock = { at: new Date('2026-11-22T00:00:00Z'), now: () => clock.at };
  const handler = makeHandler({
    applications: applications as unknown as ApplicationRepository,
    clock,
  });
  const call = async (
    body: string | undefined,
    headers: Record<string, string> = { 'Idempotency-Key': 'unit-key-0001' },
  ) => {
    const event = {
      httpMethod: 'POST',
      resource: '/v1/applications',
      path: '/v1/applications',
      // A JSON body says so (the route stack answers 415 otherwise); `headers` may override it.
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
      isBase64Encoded: false,
      pathParameters: null,
      queryStringParameters: null,
      requestContext: { requestId: 'req-1' },
    } as unknown as APIGatewayProxyEvent;
    const result = await handler(event, { awsRequestId: 'aws-1' } as Context);
    return { status: result.statusCode, json: JSON.parse(result.body || 'null') };
  };
  return { applications, call, clock };
}

describe('POST /v1/applications handler', () => {
  it('creates a draft and returns the access token once; the store keeps only its hash', async () => {
    const { applications, call } = setup();
    const res = await call(JSON.stringify(individualApplication()));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      status: 'DRAFT',
      applicationId: expect.stringMatching(/^[0-9A-Z]{26}$/),
    });
    expect(res.json.accessToken).toMatch(new RegExp(`^${res.json.applicationId}\\.[A-Za-z0-9_-]{43}$`));
    const stored = [...applications.applications.values()][0];
    expect(JSON.stringify(stored)).not.toContain(res.json.accessToken);
  });

  it('one write per request: a replay answers the same 201, another body 422', async () => {
    const { applications, call } = setup();
    const body = JSON.stringify(individualApplication());
    const first = await call(body);
    expect(first.status).toBe(201);
    expect(applications.writes).toBe(1);
    // The application item is the idempotency record: it keeps the body's hash.
    expect(applications.applications.get(first.json.applicationId)?.requestHash).toMatch(/^[0-9a-f]{64}$/);
    // Same body with its keys in another order: the same request.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(body)).reverse()));
    const replay = await call(reordered);
    expect(replay).toEqual(first);
    expect(applications.writes).toBe(2);
    expect(applications.applications.size).toBe(1);
    const other = await call(JSON.stringify({ ...individualApplication(), locale: 'en' }));
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(applications.applications.size).toBe(1);
  });

  it('answers the first token on a replay only while it was never used and for 24 hours', async () => {
    const { applications, call, clock } = setup();
    const body = JSON.stringify(individualApplication());
    const first = await call(body);
    // Random, not derived from the key: two applications with the same body differ in every bit.
    const other = await call(body, { 'Idempotency-Key': 'unit-key-0002' });
    expect(other.json.accessToken.split('.')[1]).not.toBe(first.json.accessToken.split('.')[1]);

    // Its first use (the guard forgets the replayable copy): the same 201, without a token.
    await applications.forgetReplayableToken(first.json.applicationId);
    const afterUse = await call(body);
    expect(afterUse.status).toBe(201);
    expect(afterUse.json).toEqual({
      applicationId: first.json.applicationId,
      status: 'DRAFT',
      createdAt: first.json.createdAt,
    });

    // Never used, but a day later: no token either.
    const unused = await call(body, { 'Idempotency-Key': 'unit-key-0003' });
    clock.at = new Date(clock.at.getTime() + 24 * 3600 * 1000);
    const dayLater = await call(body, { 'Idempotency-Key': 'unit-key-0003' });
    expect(dayLater.status).toBe(201);
    expect(dayLater.json.applicationId).toBe(unused.json.applicationId);
    expect(dayLater.json).not.toHaveProperty('accessToken');
  });

  it('answers no token when the stored hash is no longer the first token (rotated or replaced)', async () => {
    const { applications, call } = setup();
    const body = JSON.stringify(individualApplication());
    const first = await call(body);
    const stored = applications.applications.get(first.json.applicationId);
    if (!stored) throw new Error('not stored');
    applications.applications.set(stored.applicationId, { ...stored, tokenHash: 'f'.repeat(64) });
    expect((await call(body)).json).not.toHaveProperty('accessToken');
  });

  it('replays the first answer even after the draft changed (status and times as first answered)', async () => {
    const { applications, call } = setup();
    const body = JSON.stringify(individualApplication());
    const first = await call(body);
    const stored = applications.applications.get(first.json.applicationId);
    if (!stored) throw new Error('not stored');
    applications.applications.set(stored.applicationId, {
      ...stored,
      status: 'SUBMITTED',
      updatedAt: '2026-11-23T00:00:00.000Z',
      revision: 2,
    });
    expect(await call(body)).toEqual(first);
  });

  it('derives the id from the key: ULID-shaped, stable per key, different across keys', async () => {
    const { call } = setup();
    const body = JSON.stringify(individualApplication());
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const res = await call(body, { 'Idempotency-Key': `unit-key-${i.toString().padStart(4, '0')}` });
      expect(res.json.applicationId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
      ids.add(res.json.applicationId);
    }
    expect(ids.size).toBe(50);
    const again = await call(body, { 'Idempotency-Key': 'unit-key-0007' });
    expect(again.status).toBe(201);
    expect(ids.has(again.json.applicationId)).toBe(true);
  });

  it('concurrent requests with one key create one application and all answer it', async () => {
    const { applications, call } = setup();
    const body = JSON.stringify(individualApplication());
    const answers = await Promise.all(Array.from({ length: 8 }, () => call(body)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((answer) => answer.json.applicationId)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.json.accessToken)).size).toBe(1);
    expect(applications.applications.size).toBe(1);
  });

  it('rejects an invalid body with field paths and stores nothing', async () => {
    const { applications, call } = setup();
    const body = individualApplication();
    const res = await call(
      JSON.stringify({
        ...body,
        merchantNo: '1',
        legalPerson: { ...body.legalPerson, idNumber: '110105194912310021', phone: '12345' },
        settlement: { ...body.settlement, accountType: 'CORPORATE' },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    expect(res.json.error.requestId).toBe('req-1');
    expect(res.json.error.fields).toEqual([
      { field: 'merchantNo', code: 'UNKNOWN_FIELD', message: expect.any(String) },
    ]);
    const rules = await call(
      JSON.stringify({
        ...body,
        legalPerson: { ...body.legalPerson, idNumber: '110105194912310021', phone: '12345' },
        settlement: { ...body.settlement, accountType: 'CORPORATE' },
      }),
    );
    expect(
      rules.json.error.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`),
    ).toEqual([
      'legalPerson.idNumber:INVALID_CHECKSUM',
      'legalPerson.phone:INVALID_FORMAT',
      'settlement.accountType:NOT_ALLOWED',
    ]);
    expect(JSON.stringify(rules.json)).not.toContain('110105194912310021');
    expect(applications.applications.size).toBe(0);
    expect(applications.writes).toBe(0);
  });

  it('needs an Idempotency-Key of 8–128 characters', async () => {
    const { call } = setup();
    const missing = await call(JSON.stringify(individualApplication()), {});
    expect(missing.status).toBe(400);
    expect(missing.json.error.fields[0]).toMatchObject({
      field: 'headers.Idempotency-Key',
      code: 'REQUIRED',
    });
    const short = await call(JSON.stringify(individualApplication()), { 'Idempotency-Key': 'short' });
    expect(short.json.error.fields[0]).toMatchObject({ code: 'INVALID_FORMAT' });
  });

  it('answers 413 PAYLOAD_TOO_LARGE above 32 KB and 400 on malformed JSON', async () => {
    const { call } = setup();
    const big = await call(JSON.stringify({ ...individualApplication(), padding: 'x'.repeat(33 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const broken = await call('{"type":');
    expect(broken.status).toBe(400);
    expect(broken.json.error.fields[0]).toMatchObject({ field: 'body', code: 'INVALID_JSON' });
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a valid body sent as another type, and stores nothing', async () => {
    const { applications, call } = setup();
    const body = JSON.stringify(individualApplication());
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    ]) {
      const res = await call(body, { 'Idempotency-Key': 'unit-key-0415', 'Content-Type': type });
      expect(res.status).toBe(415);
      expect(res.json.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', requestId: 'req-1' });
      expect(res.json.error.message).toContain('application/json');
    }
    expect(applications.writes).toBe(0);
    const json = await call(body, {
      'Idempotency-Key': 'unit-key-0415',
      'content-type': 'Application/JSON; Charset="UTF-8"',
    });
    expect(json.status).toBe(201);
  });

  it('never leaks internals in a 5xx: persistent throttling is a 503 with Retry-After', async () => {
    const { applications, call } = setup();
    applications.failWith = Object.assign(
      new Error('ProvisionedThroughputExceeded on table unit arn:aws:dynamodb'),
      {
        name: 'ProvisionedThroughputExceededException',
      },
    );
    const res = await call(JSON.stringify(individualApplication()));
    expect(res.status).toBe(503);
    expect(res.json.error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.any(String),
      requestId: 'req-1',
    });
    expect(JSON.stringify(res.json)).not.toMatch(/dynamodb|Throughput/i);
    applications.failWith = new Error('socket hang up at 10.0.0.1 arn:aws:dynamodb');
    const broken = await call(JSON.stringify(individualApplication()));
    expect(broken.status).toBe(500);
    expect(broken.json.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(broken.json)).not.toMatch(/dynamodb|10\.0\.0\.1/i);
  });
});

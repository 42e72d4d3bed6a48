import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalKeyedHasher } from '../../../shared/adapters/keyed-hasher';
import type { ApplicationRecord } from '../../../shared/domain/application';
import type { ApplicationRepository, IdempotencyRecord } from '../../../shared/ports/repositories';
import { individualApplication } from '../../support/fixtures';

process.env.TABLE_NAME = 'unit';
process.env.DOCUMENTS_BUCKET = 'unit';
process.env.PII_HMAC_LOCAL_SECRET = 'unit-secret';
process.env.FIELD_CIPHER_LOCAL_KEY = 'unit-field-key';
const { makeHandler } = await import('../../../functions/create-application');

/** In-memory store of what the handler writes, to assert "nothing stored". */
class MemoryApplications implements Partial<ApplicationRepository> {
  readonly applications = new Map<string, ApplicationRecord>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  failWith: Error | undefined;
  reads = 0;
  async getIdempotency(keyHash: string) {
    this.reads += 1;
    return this.idempotency.get(keyHash);
  }
  async createWithIdempotency(record: ApplicationRecord, idem: IdempotencyRecord) {
    if (this.failWith) throw this.failWith;
    if (this.idempotency.has(idem.keyHash)) return false;
    this.idempotency.set(idem.keyHash, idem);
    this.applications.set(record.applicationId, record);
    return true;
  }
}

function setup() {
  const applications = new MemoryApplications();
  const handler = makeHandler({
    applications: applications as unknown as ApplicationRepository,
    hasher: new LocalKeyedHasher('unit-secret'),
    storage: {
      presignUpload: async () => 'https://upload',
      presignPost: async () => ({ url: 'https://upload', fields: {} }),
      objectSize: async () => undefined,
      objectInfo: async () => undefined,
    },
    clock: { now: () => new Date('2026-11-22T00:00:00Z') },
    deadlines: {
      reviewEscalationSeconds: 10,
      reviewFinalSeconds: 20,
      resubmissionSeconds: 10,
      draftTtlSeconds: 100,
      transferAcceptanceSeconds: 10,
    },
  });
  const call = async (
    body: string | undefined,
    headers: Record<string, string> = { 'Idempotency-Key': 'unit-key-0001' },
  ) => {
    const event = {
      httpMethod: 'POST',
      resource: '/v1/applications',
      path: '/v1/applications',
      headers,
      body,
      isBase64Encoded: false,
      pathParameters: null,
      queryStringParameters: null,
      requestContext: { requestId: 'req-1' },
    } as unknown as APIGatewayProxyEvent;
    const result = await handler(event, { awsRequestId: 'aws-1' } as Context);
    return { status: result.statusCode, json: JSON.parse(result.body || 'null') };
  };
  return { applications, call };
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
    expect(JSON.stringify([...applications.idempotency.values()])).not.toContain(res.json.accessToken);
  });

  it('writes first: a new key costs no read; a replay reads and answers the same 201', async () => {
    const { applications, call } = setup();
    const body = JSON.stringify(individualApplication());
    const first = await call(body);
    expect(first.status).toBe(201);
    expect(applications.reads).toBe(0);
    // Same body with its keys in another order: the same request.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(body)).reverse()));
    const replay = await call(reordered);
    expect(replay).toEqual(first);
    expect(applications.reads).toBe(1);
    expect(applications.applications.size).toBe(1);
    const other = await call(JSON.stringify({ ...individualApplication(), locale: 'en' }));
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(applications.applications.size).toBe(1);
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

  it('answers 409 CONFLICT when the key was taken but its record is gone (expired meanwhile)', async () => {
    const { applications, call } = setup();
    applications.createWithIdempotency = async () => false;
    const res = await call(JSON.stringify(individualApplication()));
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('CONFLICT');
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
    expect(applications.idempotency.size).toBe(0);
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

  it('never leaks internals in a 5xx', async () => {
    const { applications, call } = setup();
    applications.failWith = Object.assign(
      new Error('ProvisionedThroughputExceeded on table unit arn:aws:dynamodb'),
      {
        name: 'ProvisionedThroughputExceededException',
      },
    );
    const res = await call(JSON.stringify(individualApplication()));
    expect(res.status).toBe(500);
    expect(res.json.error).toEqual({
      code: 'INTERNAL_ERROR',
      message: expect.any(String),
      requestId: 'req-1',
    });
    expect(JSON.stringify(res.json)).not.toMatch(/dynamodb|Throughput/i);
  });
});

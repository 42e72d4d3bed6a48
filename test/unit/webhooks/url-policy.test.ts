import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../docs/examples/webhook-receiver.mjs';
import { PROJECT_ROOT } from '../../../infra/house-function';
import { HttpWebhookSender } from '../../../shared/adapters/http-webhook-sender';
import type { Resolver, WebhookRepository } from '../../../shared/ports/webhooks';
import { retryDelaySeconds } from '../../../shared/webhooks/backoff';
import { deliveryHeaders, eventBody, signatureHeader } from '../../../shared/webhooks/signature';
import { endpointUrlProblems, isAllowedAddress } from '../../../shared/webhooks/url-policy';

process.env.TABLE_NAME = 'unit';
process.env.FIELD_CIPHER_LOCAL_KEY = 'unit-field-key';
const { makeHandler } = await import('../../../functions/create-webhook-endpoint');

/*
 * Where webhooks may go (SSRF) and how they are signed. No test here sends anything anywhere but
 * 127.0.0.1: the refused addresses are refused before any connection, and names resolve through a
 * stub, never through DNS.
 */

/** HMAC-SHA256 with key `s` of `1.b` (openssl dgst -sha256 -hmac s). */
const EXPECTED_HMAC = '8a24cdd4ca35ebc2922810a126f457252f7eaa83834bb009baafc362912addda';
const AWS = { allowLoopback: false };
const LOCAL = { allowLoopback: true };

describe('endpoint URLs at registration', () => {
  it('refuses private, loopback, link-local and reserved addresses in AWS', () => {
    for (const url of [
      'http://10.0.0.1/',
      'https://10.0.0.1/',
      'http://169.254.169.254/',
      'https://169.254.169.254/latest/meta-data/',
      'https://127.0.0.1:8443/hooks',
      'https://[::1]/',
      'https://[fe80::1]/',
      'https://[fd00::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://172.16.5.4/',
      'https://192.168.1.1/',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://localhost/',
      'https://metadata/',
      'https://db.internal/',
    ])
      expect(endpointUrlProblems(url, AWS), url).toEqual([
        expect.objectContaining({ field: 'url', code: 'NOT_ALLOWED' }),
      ]);
  });

  it('accepts public https URLs; http only on 127.0.0.1 and only locally', () => {
    expect(endpointUrlProblems('https://hooks.example.com/pos', AWS)).toEqual([]);
    expect(endpointUrlProblems('https://93.184.216.34/pos', AWS)).toEqual([]);
    expect(endpointUrlProblems('http://hooks.example.com/pos', AWS)[0]?.code).toBe('NOT_ALLOWED');
    expect(endpointUrlProblems('http://127.0.0.1:4000/hooks', AWS)[0]?.code).toBe('NOT_ALLOWED');
    expect(endpointUrlProblems('http://127.0.0.1:4000/hooks', LOCAL)).toEqual([]);
    // Locally still no private or link-local target.
    expect(endpointUrlProblems('http://10.0.0.1/', LOCAL)[0]?.code).toBe('NOT_ALLOWED');
    expect(endpointUrlProblems('https://169.254.169.254/', LOCAL)[0]?.code).toBe('NOT_ALLOWED');
  });

  it('refuses credentials, fragments, bad and long URLs', () => {
    expect(endpointUrlProblems('https://user:pw@hooks.example.com/', AWS)[0]?.code).toBe('NOT_ALLOWED');
    expect(endpointUrlProblems('https://hooks.example.com/#x', AWS)[0]?.code).toBe('NOT_ALLOWED');
    expect(endpointUrlProblems('not a url', AWS)[0]?.code).toBe('INVALID_FORMAT');
    expect(endpointUrlProblems(`https://hooks.example.com/${'a'.repeat(2048)}`, AWS)[0]?.code).toBe(
      'TOO_LONG',
    );
  });

  it('answers 400 at POST /v1/webhook-endpoints in AWS mode, storing nothing', async () => {
    let stored = 0;
    const webhooks = {
      listEndpoints: async () => [],
      createEndpoint: async () => {
        stored += 1;
      },
    } as unknown as WebhookRepository;
    const handler = makeHandler({
      webhooks,
      clock: { now: () => new Date() },
      config: { ...AWS, secretOverlapSeconds: 86_400 },
    });
    const call = async (url: string) => {
      const event = {
        httpMethod: 'POST',
        resource: '/v1/webhook-endpoints',
        path: '/v1/webhook-endpoints',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url, events: ['application.approved'] }),
        isBase64Encoded: false,
        pathParameters: null,
        queryStringParameters: null,
        requestContext: {
          requestId: 'r1',
          authorizer: { claims: { sub: 'op-1', 'cognito:groups': 'operator' } },
        },
      } as unknown as APIGatewayProxyEvent;
      return handler(event, { awsRequestId: 'r1', functionName: 'create-webhook-endpoint' } as Context);
    };
    for (const url of ['http://10.0.0.1/', 'http://169.254.169.254/']) {
      const answer = await call(url);
      expect(answer.statusCode, url).toBe(400);
      expect(JSON.parse(answer.body).error).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'url', code: 'NOT_ALLOWED' }],
      });
    }
    expect(stored).toBe(0);
    expect((await call('https://hooks.example.com/pos')).statusCode).toBe(201);
    expect(stored).toBe(1);
  });
});

describe('addresses at delivery', () => {
  it('checks every family of address, IPv4-mapped IPv6 as IPv4', () => {
    expect(isAllowedAddress('93.184.216.34', AWS)).toBe(true);
    expect(isAllowedAddress('2606:2800:220:1::1', AWS)).toBe(true);
    for (const address of [
      '10.1.2.3',
      '169.254.169.254',
      '127.0.0.1',
      '::1',
      '::ffff:169.254.169.254',
      'fe80::1',
      'not-an-ip',
    ])
      expect(isAllowedAddress(address, AWS), address).toBe(false);
    expect(isAllowedAddress('127.0.0.1', LOCAL)).toBe(true);
    expect(isAllowedAddress('169.254.169.254', LOCAL)).toBe(false);
  });

  /** A receiver on 127.0.0.1 that records the Host of each request. */
  async function receiver() {
    const hosts: string[] = [];
    const server = createServer((req, res) => {
      hosts.push(String(req.headers.host));
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { hosts, port: (server.address() as AddressInfo).port, close: () => server.close() };
  }

  it('refuses a name that resolves to a refused address (DNS rebinding), without connecting', async () => {
    const resolved: string[] = [];
    const rebinding: Resolver = async (hostname) => {
      resolved.push(hostname);
      // What an attacker's name answers at delivery time, after a harmless answer at registration.
      return [{ address: '169.254.169.254', family: 4 }];
    };
    const sender = new HttpWebhookSender({ resolver: rebinding, timeoutMs: 1000, allowLoopback: false });
    expect(await sender.post('https://hooks.attacker.example/x', '{}', {})).toMatchObject({
      httpStatus: null,
      error: 'BLOCKED_ADDRESS',
    });
    const mixed: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    const mixedSender = new HttpWebhookSender({ resolver: mixed, timeoutMs: 1000, allowLoopback: false });
    expect((await mixedSender.post('https://hooks.example.com/x', '{}', {})).error).toBe('BLOCKED_ADDRESS');
    expect(resolved).toEqual(['hooks.attacker.example']);
  });

  it('connects to the address it checked, keeping the host name', async () => {
    const target = await receiver();
    try {
      const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
      const sender = new HttpWebhookSender({ resolver, timeoutMs: 2000, allowLoopback: true });
      const outcome = await sender.post(`http://receiver.test:${target.port}/hooks`, '{"a":1}', {
        'content-type': 'application/json',
      });
      expect(outcome).toMatchObject({ httpStatus: 204 });
      expect(target.hosts).toEqual([`receiver.test:${target.port}`]);
    } finally {
      target.close();
    }
  });

  it('gives up after the timeout and reports it', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const sender = new HttpWebhookSender({ resolver: async () => [], timeoutMs: 200, allowLoopback: true });
      const port = (silent.address() as AddressInfo).port;
      expect(await sender.post(`http://127.0.0.1:${port}/`, '{}', {})).toMatchObject({
        httpStatus: null,
        error: 'TIMEOUT',
      });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('signatures and retries', () => {
  const event = {
    id: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
    type: 'application.approved' as const,
    createdAt: '2026-11-20T09:00:00.000Z',
    data: { status: 'APPROVED', applicationId: 'A' },
  };

  it('signs timestamp.body so the documented receiver verifies it, with either secret during a rotation', () => {
    const now = new Date('2026-11-20T09:00:05Z');
    const body = eventBody(event);
    const headers = deliveryHeaders(event.id, ['whsec_new', 'whsec_old'], body, now);
    expect(headers['webhook-timestamp']).toBe('1795165205');
    expect(headers['webhook-signature']).toMatch(/^v1=[0-9a-f]{64} v1=[0-9a-f]{64}$/);
    const verify = (secret: string, at = now.getTime(), sent = body) =>
      verifyWebhook({ secret, headers, body: sent, now: at });
    expect(verify('whsec_new')).toBe(true);
    expect(verify('whsec_old')).toBe(true);
    expect(verify('whsec_other')).toBe(false);
    expect(verify('whsec_new', now.getTime(), body.replace('APPROVED', 'REJECTED'))).toBe(false);
    // Outside the 5-minute window: a replayed delivery is refused.
    expect(verify('whsec_new', now.getTime() + 301_000)).toBe(false);
    // HMAC-SHA256(key "s", message "1.b"), computed independently (openssl dgst -sha256 -hmac s).
    expect(signatureHeader(['s'], '1', 'b')).toBe(`v1=${EXPECTED_HMAC}`);
  });

  it('sends the same bytes for an event whatever the order its data was stored in', () => {
    const shuffled = { ...event, data: { applicationId: 'A', status: 'APPROVED' } };
    expect(eventBody(shuffled)).toBe(eventBody(event));
    expect(eventBody(event)).toBe(
      '{"id":"01JD8X4ZQ3M6T0V7W9Y2B5C8EF","type":"application.approved","createdAt":"2026-11-20T09:00:00.000Z","data":{"applicationId":"A","status":"APPROVED"}}',
    );
  });

  it('backs off exponentially with jitter, at most 12 hours', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, 30, 0))).toEqual([15, 30, 60, 120]);
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, 30, 0.999))).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(20, 30, 1)).toBe(43_200);
    expect(retryDelaySeconds(20, 30, 0)).toBe(21_600);
    // Within 72 hours, from 30 s doubling: 14 attempts fit.
    let elapsed = 0;
    let attempts = 1;
    while (elapsed + retryDelaySeconds(attempts, 30, 0.999) <= 72 * 3600)
      elapsed += retryDelaySeconds(attempts++, 30, 0.999);
    expect(attempts).toBeGreaterThan(10);
  });

  it('documents the receiver it tests with: docs/webhooks.md shows docs/examples/webhook-receiver.mjs as it is', () => {
    const example = readFileSync(join(PROJECT_ROOT, 'docs/examples/webhook-receiver.mjs'), 'utf8');
    const doc = readFileSync(join(PROJECT_ROOT, 'docs/webhooks.md'), 'utf8');
    expect(doc).toContain(`\`\`\`js\n${example}\`\`\``);
    expect(example.split('\n').length).toBeLessThanOrEqual(30);
  });
});

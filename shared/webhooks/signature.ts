import { createHmac } from 'node:crypto';
import type { DomainEvent } from '../events/types';

/*
 * Webhook signatures (spec 9): `Webhook-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." +
 * body)>`, one `v1=` per secret in force, space-separated (two during a rotation's overlap). The
 * key is the secret string as the endpoint's creation or rotation answered it (UTF-8).
 */

/**
 * The body of a delivery: the event as JSON with its members in one order (`id`, `type`,
 * `createdAt`, `data` with its keys sorted), so a retry or a redelivery sends the same bytes.
 */
export function eventBody(event: DomainEvent): string {
  const data = Object.fromEntries(
    Object.entries(event.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, data });
}

/** The hex HMAC-SHA256 of `<timestamp>.<body>` with one secret. */
export function signatureOf(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `Webhook-Signature` header for the secrets in force (newest first). */
export function signatureHeader(secrets: readonly string[], timestamp: string, body: string): string {
  return secrets.map((secret) => `v1=${signatureOf(secret, timestamp, body)}`).join(' ');
}

/** The headers of one delivery of `body` (the event JSON) at `now`. */
export function deliveryHeaders(
  eventId: string,
  secrets: readonly string[],
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'content-type': 'application/json',
    'user-agent': 'pos-onboarding-webhooks/1',
    'webhook-id': eventId,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatureHeader(secrets, timestamp, body),
  };
}

import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import type { StaffPrincipal } from '../auth/principals';
import { AppError, notFound, validationFailed } from '../errors';
import { DOMAIN_EVENT_TYPES } from '../events/types';
import { logger } from '../logger';
import type { Clock } from '../ports';
import type { DeliveryQueue, WebhookEndpointSummary, WebhookRepository } from '../ports/webhooks';
import { lazy } from '../validation/lazy';
import { pageLimit } from '../validation/paging';
import { zodProblems } from '../validation/problems';
import { newDelivery } from './delivery';
import type { DeliveryRecord } from './domain';
import { endpointUrlProblems, MAX_URL_LENGTH } from './url-policy';

/** Most endpoints one deployment keeps (every event is matched against all of them). */
export const MAX_WEBHOOK_ENDPOINTS = 20;

/** Dependencies of the webhook routes; each route takes its part. */
export interface WebhookDeps {
  readonly webhooks: WebhookRepository;
  readonly queue: DeliveryQueue;
  readonly clock: Clock;
  readonly config: { readonly allowLoopback: boolean; readonly secretOverlapSeconds: number };
}

/** A new signing secret: 32 random bytes, prefixed so it is recognised when it leaks. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `POST /v1/webhook-endpoints` body. */
export const endpointRequestSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    url: z.string().check(z.minLength(1), z.maxLength(MAX_URL_LENGTH)),
    events: z.array(z.enum(DOMAIN_EVENT_TYPES)).check(z.minLength(1), z.maxLength(DOMAIN_EVENT_TYPES.length)),
  }),
);

/** `GET /v1/webhook-endpoints/{id}/deliveries` query. */
export const deliveriesQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    limit: pageLimit(),
    cursor: z.optional(z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/))),
  }),
);

/** An endpoint as the routes show it (never a secret, except once in creation and rotation answers). */
export function endpointView(endpoint: WebhookEndpointSummary) {
  return {
    id: endpoint.endpointId,
    url: endpoint.url,
    events: endpoint.events,
    createdAt: endpoint.createdAt,
    secretRotatedAt: endpoint.secretRotatedAt ?? null,
    previousSecretExpiresAt: endpoint.previousSecretExpiresAt ?? null,
  };
}

/** `POST /v1/webhook-endpoints` (operator): the secret is in this answer only. */
export async function createWebhookEndpoint(
  deps: Pick<WebhookDeps, 'webhooks' | 'clock' | 'config'>,
  operator: StaffPrincipal,
  input: unknown,
) {
  const parsed = z.safeParse(endpointRequestSchema(), input);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input }));
  const problems = endpointUrlProblems(parsed.data.url, deps.config);
  if (problems.length > 0) throw validationFailed(problems);
  const events = [...new Set(parsed.data.events)];
  const existing = await deps.webhooks.listEndpoints();
  if (existing.length >= MAX_WEBHOOK_ENDPOINTS)
    throw new AppError('CONFLICT', `At most ${MAX_WEBHOOK_ENDPOINTS} endpoints: delete one first`);
  const now = deps.clock.now();
  const endpointId = ulid(now.getTime());
  const secret = newWebhookSecret();
  const createdAt = now.toISOString();
  await deps.webhooks.createEndpoint({
    endpointId,
    url: parsed.data.url,
    events,
    secret,
    createdAt,
    createdBy: `staff:${operator.sub}`,
  });
  logger.info('webhook endpoint created', { endpointId, events: events.length });
  return { id: endpointId, url: parsed.data.url, events, secret, createdAt };
}

/** `GET /v1/webhook-endpoints` (operator). */
export async function listWebhookEndpoints(deps: Pick<WebhookDeps, 'webhooks'>) {
  const endpoints = await deps.webhooks.listEndpoints();
  return {
    items: endpoints.sort((a, b) => (a.endpointId < b.endpointId ? -1 : 1)).map(endpointView),
  };
}

/** A path id that can name an endpoint or an event (a ULID); anything else names nothing. */
function checkId(id: string, what: string): string {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) throw notFound(what);
  return id;
}

/** `DELETE /v1/webhook-endpoints/{id}` (operator): nothing more is sent to it. */
export async function deleteWebhookEndpoint(deps: Pick<WebhookDeps, 'webhooks'>, endpointId: string) {
  if (!(await deps.webhooks.deleteEndpoint(checkId(endpointId, 'Webhook endpoint'))))
    throw notFound('Webhook endpoint');
  logger.info('webhook endpoint deleted', { endpointId });
}

/**
 * `POST /v1/webhook-endpoints/{id}/secret` (operator): a new secret signs from now on, and the
 * current one keeps signing beside it for the overlap (24 hours), so receivers can switch.
 */
export async function rotateWebhookSecret(
  deps: Pick<WebhookDeps, 'webhooks' | 'clock' | 'config'>,
  endpointId: string,
) {
  const now = deps.clock.now();
  const secret = newWebhookSecret();
  const previousSecretExpiresAt = new Date(
    now.getTime() + deps.config.secretOverlapSeconds * 1000,
  ).toISOString();
  const rotated = await deps.webhooks.rotateSecret(checkId(endpointId, 'Webhook endpoint'), {
    secret,
    previousSecretExpiresAt,
    at: now.toISOString(),
  });
  if (!rotated) throw notFound('Webhook endpoint');
  logger.info('webhook secret rotated', { endpointId });
  return { id: endpointId, secret, previousSecretExpiresAt, secretRotatedAt: now.toISOString() };
}

/** A delivery as the log shows it. */
export function deliveryView(delivery: DeliveryRecord) {
  return {
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastHttpStatus: delivery.lastHttpStatus ?? null,
    lastAttemptAt: delivery.lastAttemptAt ?? null,
    nextAttemptAt: delivery.status === 'PENDING' ? (delivery.nextAttemptAt ?? null) : null,
    attemptLog: delivery.attemptLog,
    createdAt: delivery.createdAt,
  };
}

/** `GET /v1/webhook-endpoints/{id}/deliveries` (operator): newest event first, paginated. */
export async function listWebhookDeliveries(
  deps: Pick<WebhookDeps, 'webhooks'>,
  endpointId: string,
  query: Record<string, string>,
) {
  const parsed = z.safeParse(deliveriesQuerySchema(), query);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, 'query', { input: query }));
  const endpoints = await deps.webhooks.listEndpoints();
  if (!endpoints.some((endpoint) => endpoint.endpointId === checkId(endpointId, 'Webhook endpoint')))
    throw notFound('Webhook endpoint');
  const page = await deps.webhooks.listDeliveries(endpointId, {
    limit: Number(parsed.data.limit ?? 20),
    ...(parsed.data.cursor ? { cursor: parsed.data.cursor } : {}),
  });
  return { items: page.items.map(deliveryView), nextCursor: page.nextCursor ?? null };
}

/**
 * `POST /v1/events/{eventId}/redeliver` (operator): the event again to every endpoint it was
 * delivered to that still exists, as a new round of attempts (the log keeps the earlier ones).
 */
export async function redeliverEvent(
  deps: Pick<WebhookDeps, 'webhooks' | 'queue' | 'clock'>,
  eventId: string,
) {
  const stored = await deps.webhooks.getEvent(checkId(eventId, 'Event'));
  if (!stored) throw notFound('Event');
  const current = new Set((await deps.webhooks.listEndpoints()).map((endpoint) => endpoint.endpointId));
  const endpointIds = stored.endpointIds.filter((id) => current.has(id));
  const at = deps.clock.now().toISOString();
  for (const endpointId of endpointIds) {
    const existing = await deps.webhooks.createDelivery(newDelivery(endpointId, stored.event, at));
    if (existing) await deps.webhooks.restartDelivery(endpointId, eventId, at);
  }
  await deps.queue.send(
    endpointIds.map((endpointId) => ({ kind: 'delivery', endpointId, event: stored.event })),
  );
  logger.info('event redelivered', { eventId, endpoints: endpointIds.length });
  return {
    eventId,
    deliveries: endpointIds.map((endpointId) => ({ endpointId, status: 'PENDING' as const })),
  };
}

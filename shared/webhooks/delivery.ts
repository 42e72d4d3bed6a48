import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { DomainEvent } from '../events/types';
import { logger } from '../logger';
import type { Clock } from '../ports';
import type { DeliveryQueue, WebhookRepository, WebhookSender } from '../ports/webhooks';
import { retryDelaySeconds } from './backoff';
import type { DeliveryJob, DeliveryRecord } from './domain';
import { deliveryHeaders, eventBody } from './signature';

/*
 * The webhook delivery queue's consumer. A message is either a domain event as the bus's rule
 * delivers it (an EventBridge envelope: fan it out to the subscribed endpoints, one job each) or a
 * job (one event for one endpoint: attempt it). A failed attempt keeps its message, invisible for
 * the backoff delay, so the queue brings it back; past the retry window the delivery is FAILED.
 */

/** Dependencies of the consumer. */
export interface DeliveryDeps {
  readonly webhooks: WebhookRepository;
  readonly queue: DeliveryQueue;
  readonly sender: WebhookSender;
  readonly clock: Clock;
  readonly random: () => number;
  readonly config: { readonly retryBaseSeconds: number; readonly retryMaxAgeSeconds: number };
}

/** A new PENDING delivery of `event` to an endpoint. */
export function newDelivery(endpointId: string, event: DomainEvent, at: string): DeliveryRecord {
  return {
    endpointId,
    eventId: event.id,
    eventType: event.type,
    status: 'PENDING',
    attempts: 0,
    attemptLog: [],
    roundStartedAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

/** What a message carries. */
function messageOf(body: string): { event: DomainEvent } | DeliveryJob | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const message = parsed as { kind?: unknown; detail?: unknown; endpointId?: unknown; event?: unknown };
  if (message.kind === 'delivery' && typeof message.endpointId === 'string' && isEvent(message.event))
    return message as DeliveryJob;
  if (isEvent(message.detail)) return { event: message.detail };
  return undefined;
}

function isEvent(value: unknown): value is DomainEvent {
  const event = value as Partial<DomainEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.createdAt === 'string'
  );
}

/**
 * An event from the bus: a delivery and a job for each endpoint subscribed to its type, and the
 * event kept for redelivery. Nothing is written when no endpoint wants it. A message handed again
 * finds the deliveries made: only those never attempted are queued again.
 */
export async function fanOut(deps: DeliveryDeps, event: DomainEvent): Promise<number> {
  const endpoints = (await deps.webhooks.listEndpoints()).filter((endpoint) =>
    endpoint.events.includes(event.type),
  );
  if (endpoints.length === 0) return 0;
  const at = deps.clock.now().toISOString();
  await deps.webhooks.putEvent(
    event,
    endpoints.map((endpoint) => endpoint.endpointId),
  );
  const jobs: DeliveryJob[] = [];
  for (const endpoint of endpoints) {
    const existing = await deps.webhooks.createDelivery(newDelivery(endpoint.endpointId, event, at));
    if (existing === undefined || (existing.status === 'PENDING' && existing.attempts === 0))
      jobs.push({ kind: 'delivery', endpointId: endpoint.endpointId, event });
  }
  await deps.queue.send(jobs);
  return jobs.length;
}

/** What became of a job: done (the message goes), or to be tried again in `retryInSeconds`. */
export type AttemptResult =
  | { readonly done: true }
  | { readonly done: false; readonly retryInSeconds: number };

/** One attempt of a job, recorded in the delivery's log. */
export async function attempt(deps: DeliveryDeps, job: DeliveryJob): Promise<AttemptResult> {
  const { endpointId, event } = job;
  const delivery = await deps.webhooks.getDelivery(endpointId, event.id);
  // Delivered or failed already (a repeated message), or its log expired.
  if (delivery?.status !== 'PENDING') return { done: true };
  const now = deps.clock.now();
  if (delivery.nextAttemptAt !== undefined && Date.parse(delivery.nextAttemptAt) > now.getTime() + 1000)
    return { done: false, retryInSeconds: (Date.parse(delivery.nextAttemptAt) - now.getTime()) / 1000 };
  const endpoint = await deps.webhooks.getEndpoint(endpointId);
  // Deleted: nothing more is sent to it.
  if (!endpoint) return { done: true };
  const inForce =
    endpoint.previousSecret !== undefined &&
    endpoint.previousSecretExpiresAt !== undefined &&
    Date.parse(endpoint.previousSecretExpiresAt) > now.getTime();
  const secrets =
    inForce && endpoint.previousSecret ? [endpoint.secret, endpoint.previousSecret] : [endpoint.secret];
  const body = eventBody(event);
  const outcome = await deps.sender.post(endpoint.url, body, deliveryHeaders(event.id, secrets, body, now));
  const delivered = outcome.httpStatus !== null && outcome.httpStatus >= 200 && outcome.httpStatus < 300;
  const attempts = delivery.attempts + 1;
  const record = {
    at: now.toISOString(),
    httpStatus: outcome.httpStatus,
    result: delivered ? ('DELIVERED' as const) : ('FAILED' as const),
    ...(outcome.error ? { error: outcome.error } : {}),
    durationMs: outcome.durationMs,
  };
  if (delivered) {
    await deps.webhooks.recordAttempt(endpointId, event.id, {
      attempt: record,
      status: 'DELIVERED',
      attempts,
    });
    return { done: true };
  }
  const delay = retryDelaySeconds(attempts, deps.config.retryBaseSeconds, deps.random());
  const windowEnds = Date.parse(delivery.roundStartedAt) + deps.config.retryMaxAgeSeconds * 1000;
  if (now.getTime() + delay * 1000 > windowEnds) {
    await deps.webhooks.recordAttempt(endpointId, event.id, { attempt: record, status: 'FAILED', attempts });
    logger.warn('webhook delivery failed for good', { endpointId, eventId: event.id, attempts });
    return { done: true };
  }
  const nextAttemptAt = new Date(now.getTime() + delay * 1000).toISOString();
  await deps.webhooks.recordAttempt(endpointId, event.id, {
    attempt: record,
    status: 'PENDING',
    attempts,
    nextAttemptAt,
  });
  return { done: false, retryInSeconds: delay };
}

/**
 * One batch of the queue: each message fanned out or attempted; a job to be tried again is kept
 * invisible for its delay and reported as a failure of the batch (the queue keeps it). An
 * unreadable message is dropped with a log line (never retried forever).
 */
export async function processDeliveryBatch(
  deps: DeliveryDeps,
  records: readonly SQSRecord[],
): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    records.map(async (record) => {
      const message = messageOf(record.body);
      if (message === undefined) {
        logger.error('unreadable webhook queue message dropped', { messageId: record.messageId });
        return;
      }
      try {
        if (!('kind' in message)) {
          await fanOut(deps, message.event);
          return;
        }
        const result = await attempt(deps, message);
        if (!result.done) {
          await deps.queue.postpone(record.receiptHandle, result.retryInSeconds);
          failures.push({ itemIdentifier: record.messageId });
        }
      } catch (error) {
        // The queue hands it again after its visibility timeout (and to the DLQ after too many).
        logger.error('webhook queue message failed', {
          messageId: record.messageId,
          errorName: (error as Error).name,
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}

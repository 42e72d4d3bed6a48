import type { DomainEvent } from '../events/types';
import type {
  DeliveryAttempt,
  DeliveryJob,
  DeliveryRecord,
  DeliveryStatus,
  WebhookEndpointRecord,
} from '../webhooks/domain';

/** An endpoint without its secrets (listing, fan-out). */
export type WebhookEndpointSummary = Omit<WebhookEndpointRecord, 'secret' | 'previousSecret'>;

/** Webhook endpoints, their deliveries, and the events delivered (one table). */
export interface WebhookRepository {
  createEndpoint(record: WebhookEndpointRecord): Promise<void>;
  /** The endpoint with its secrets in clear (the delivery signs with them). */
  getEndpoint(endpointId: string): Promise<WebhookEndpointRecord | undefined>;
  /** Every endpoint, without secrets (a handful: one partition). */
  listEndpoints(): Promise<WebhookEndpointSummary[]>;
  /** `false` when there was none. */
  deleteEndpoint(endpointId: string): Promise<boolean>;
  /**
   * The new secret in force and the current one kept beside it until `previousSecretExpiresAt`
   * (an older previous secret is dropped); `undefined` when the endpoint is gone.
   */
  rotateSecret(
    endpointId: string,
    rotation: { secret: string; previousSecretExpiresAt: string; at: string },
  ): Promise<WebhookEndpointSummary | undefined>;
  /** Keeps an event for redelivery (with the endpoints it went to) until its TTL. */
  putEvent(event: DomainEvent, endpointIds: readonly string[]): Promise<void>;
  getEvent(eventId: string): Promise<{ event: DomainEvent; endpointIds: string[] } | undefined>;
  /** Creates a PENDING delivery; the existing one when the event was already fanned out to this endpoint. */
  createDelivery(record: DeliveryRecord): Promise<DeliveryRecord | undefined>;
  getDelivery(endpointId: string, eventId: string): Promise<DeliveryRecord | undefined>;
  /** Records an attempt and where the delivery stands after it. */
  recordAttempt(
    endpointId: string,
    eventId: string,
    update: { attempt: DeliveryAttempt; status: DeliveryStatus; attempts: number; nextAttemptAt?: string },
  ): Promise<void>;
  /** Starts a new round of attempts (a redelivery): PENDING, attempts 0, log kept. */
  restartDelivery(endpointId: string, eventId: string, at: string): Promise<void>;
  /** One page of an endpoint's deliveries, newest first. */
  listDeliveries(
    endpointId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: DeliveryRecord[]; nextCursor?: string }>;
}

/** The delivery queue (SQS in AWS). */
export interface DeliveryQueue {
  /** Queues jobs to run at once. */
  send(jobs: readonly DeliveryJob[]): Promise<void>;
  /** Keeps a received job away for `seconds` (it comes back then). */
  postpone(receiptHandle: string, seconds: number): Promise<void>;
}

/** The addresses a host name resolves to now. */
export type Resolver = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

/** What one POST to a receiver gave. */
export interface PostOutcome {
  readonly httpStatus: number | null;
  readonly error?: 'TIMEOUT' | 'BLOCKED_ADDRESS' | 'DNS' | 'CONNECTION';
  readonly durationMs: number;
}

/** POSTs a delivery to an endpoint URL. */
export interface WebhookSender {
  post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<PostOutcome>;
}

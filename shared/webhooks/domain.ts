import type { DomainEvent, DomainEventType } from '../events/types';

/** A webhook endpoint as stored (its secrets in clear only inside the repository). */
export interface WebhookEndpointRecord {
  readonly endpointId: string;
  readonly url: string;
  readonly events: readonly DomainEventType[];
  /** The secret that signs every delivery. */
  readonly secret: string;
  /** The rotated-out secret, signing beside the new one until {@link previousSecretExpiresAt}. */
  readonly previousSecret?: string;
  readonly previousSecretExpiresAt?: string;
  readonly secretRotatedAt?: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** Where one delivery stands. */
export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** One attempt to deliver an event to an endpoint. */
export interface DeliveryAttempt {
  readonly at: string;
  /** The receiver's HTTP status; `null` when none came (timeout, refused address, connection error). */
  readonly httpStatus: number | null;
  readonly result: 'DELIVERED' | 'FAILED';
  /** Why it failed without a status: `TIMEOUT`, `BLOCKED_ADDRESS`, `DNS`, `CONNECTION`. */
  readonly error?: string;
  readonly durationMs: number;
}

/** The delivery of one event to one endpoint, with its attempts. */
export interface DeliveryRecord {
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: DomainEventType;
  readonly status: DeliveryStatus;
  /** Attempts since the event was (re)queued. */
  readonly attempts: number;
  readonly attemptLog: readonly DeliveryAttempt[];
  /** When this round of attempts started (the event, or its redelivery): the retry window's start. */
  readonly roundStartedAt: string;
  readonly nextAttemptAt?: string;
  readonly lastAttemptAt?: string;
  readonly lastHttpStatus?: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A job of the delivery queue: one event for one endpoint. */
export interface DeliveryJob {
  readonly kind: 'delivery';
  readonly endpointId: string;
  readonly event: DomainEvent;
}

import type { KeyFamily } from '../keys';

/*
 * Domain events (spec section 9): every state change of sections 5–8 is published once, as
 * `{"id", "type", "createdAt", "data"}` with ids, statuses and masked values only.
 *
 * They are derived from the table's own change stream (DynamoDB Streams, new and old images):
 * an item whose status changed is the event, so an event is never lost and never published for a
 * change that did not happen, and publishing costs no write. Each family of items that carries a
 * state has one mapper (`ItemChangeMapper`) beside its process; the relay (AWS: a stream-triggered
 * Lambda putting events on the EventBridge bus; `npm run dev`: the same code polling DynamoDB
 * Local's stream) runs every mapper of the record's family.
 */

/** Every event type of the product. */
export const DOMAIN_EVENT_TYPES = [
  'application.submitted',
  'application.needs_changes',
  'application.approved',
  'application.rejected',
  'application.expired',
  'application.withdrawn',
  'agreement.signed',
  'merchant.activated',
  'merchant.suspended',
  'terminal.bound',
  'terminal.unbound',
  'terminal.activated',
  'transfer.completed',
  'change_request.applied',
  'change_request.rejected',
  'change_request.stale',
  'risk_alert.opened',
  'limits.changed',
] as const;

/** One event type. */
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

/** What an event may carry: ids, statuses, masked values, counts and amounts — never personal data. */
export type EventData = Readonly<Record<string, string | number | boolean | null>>;

/** One published event. */
export interface DomainEvent {
  /** Stable for one change, however often the stream delivers it (webhooks' `Webhook-Id`). */
  readonly id: string;
  readonly type: DomainEventType;
  /** When the change happened (ISO 8601). */
  readonly createdAt: string;
  readonly data: EventData;
}

/** One item change as the table's stream reports it (images unmarshalled). */
export interface ItemChange {
  readonly family: KeyFamily;
  readonly oldImage: Readonly<Record<string, unknown>> | undefined;
  readonly newImage: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The events one item change means, for the items of one family: usually none (an item whose
 * state did not change), at most a few. Pure: no I/O, and only ids, statuses and masked values go
 * into `data`.
 */
export type ItemChangeMapper = (change: ItemChange) => readonly Omit<DomainEvent, 'id' | 'createdAt'>[];

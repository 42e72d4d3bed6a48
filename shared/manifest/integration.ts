import type { FunctionEntry, StaffRouteEntry } from './types';

/*
 * The integration surface: domain events from the table's stream to the event bus, and webhooks
 * for the acquirer's own systems.
 */

/** The table's stream → domain events on the EventBridge bus (no table access: images only). */
export const RELAY_TABLE_EVENTS = {
  name: 'relay-table-events',
  trigger: { kind: 'table-stream' },
  capabilities: ['putEvents'],
} as const satisfies FunctionEntry;

/** `POST /v1/webhook-endpoints` (operator): the secret is sealed with the field cipher. */
export const CREATE_WEBHOOK_ENDPOINT = {
  name: 'create-webhook-endpoint',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/webhook-endpoints',
    auth: 'staff',
    groups: ['operator'],
  },
  fieldCipher: 'encrypt',
  table: { write: ['webhookEndpoint'] },
} as const satisfies StaffRouteEntry;

/** `GET /v1/webhook-endpoints` (operator): no secret is opened. */
export const LIST_WEBHOOK_ENDPOINTS = {
  name: 'list-webhook-endpoints',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/webhook-endpoints',
    auth: 'staff',
    groups: ['operator'],
  },
  table: { read: ['webhookEndpoint'] },
} as const satisfies StaffRouteEntry;

/** `DELETE /v1/webhook-endpoints/{id}` (operator). */
export const DELETE_WEBHOOK_ENDPOINT = {
  name: 'delete-webhook-endpoint',
  trigger: {
    kind: 'route',
    method: 'DELETE',
    path: '/v1/webhook-endpoints/{id}',
    auth: 'staff',
    groups: ['operator'],
  },
  table: { write: ['webhookEndpoint'] },
} as const satisfies StaffRouteEntry;

/** `POST /v1/webhook-endpoints/{id}/secret` (operator): seals the new secret, moves the old one unopened. */
export const ROTATE_WEBHOOK_SECRET = {
  name: 'rotate-webhook-secret',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/webhook-endpoints/{id}/secret',
    auth: 'staff',
    groups: ['operator'],
  },
  fieldCipher: 'encrypt',
  table: { write: ['webhookEndpoint'] },
} as const satisfies StaffRouteEntry;

/** `GET /v1/webhook-endpoints/{id}/deliveries` (operator). */
export const LIST_WEBHOOK_DELIVERIES = {
  name: 'list-webhook-deliveries',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/webhook-endpoints/{id}/deliveries',
    auth: 'staff',
    groups: ['operator'],
  },
  table: { read: ['webhookEndpoint', 'webhookDelivery'] },
} as const satisfies StaffRouteEntry;

/** `POST /v1/events/{eventId}/redeliver` (operator): a new round of deliveries on the queue. */
export const REDELIVER_EVENT = {
  name: 'redeliver-event',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/events/{eventId}/redeliver',
    auth: 'staff',
    groups: ['operator'],
  },
  capabilities: ['webhookQueue'],
  table: { read: ['event', 'webhookEndpoint'], write: ['webhookDelivery'] },
} as const satisfies StaffRouteEntry;

/**
 * The webhook delivery queue: fans each event out to the subscribed endpoints and attempts each
 * delivery (signed with the endpoint's secrets, opened with the field cipher).
 */
export const DELIVER_WEBHOOKS = {
  name: 'deliver-webhooks',
  trigger: { kind: 'queue', queue: 'webhook-deliveries' },
  capabilities: ['webhookQueue'],
  fieldCipher: 'decrypt',
  table: { read: ['webhookEndpoint'], write: ['webhookDelivery', 'event'] },
} as const satisfies FunctionEntry;

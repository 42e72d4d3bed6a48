import * as z from 'zod/mini';
import { DOMAIN_EVENT_TYPES } from '../events/types';
import {
  CREATE_WEBHOOK_ENDPOINT,
  DELETE_WEBHOOK_ENDPOINT,
  LIST_WEBHOOK_DELIVERIES,
  LIST_WEBHOOK_ENDPOINTS,
  REDELIVER_EVENT,
  ROTATE_WEBHOOK_SECRET,
} from '../manifest/integration';
import { defineRoute } from '../openapi/contract';
import { component, isoTime } from '../openapi/schemas';
import { deliveriesQuerySchema, endpointRequestSchema } from './requests';

/* The webhook routes in the OpenAPI document (see shared/openapi/contract.ts). */

const eventType = () => z.enum(DOMAIN_EVENT_TYPES);

const endpoint = component(
  'WebhookEndpoint',
  z.object({
    id: z.string(),
    url: z.string(),
    events: z.array(eventType()),
    createdAt: isoTime(),
    secretRotatedAt: z.nullable(isoTime()),
    previousSecretExpiresAt: z.nullable(isoTime()),
  }),
);

const delivery = component(
  'WebhookDelivery',
  z.object({
    eventId: z.string(),
    eventType: eventType(),
    status: z.enum(['PENDING', 'DELIVERED', 'FAILED']),
    attempts: z.int(),
    lastHttpStatus: z.nullable(z.int()),
    lastAttemptAt: z.nullable(isoTime()),
    nextAttemptAt: z.nullable(isoTime()),
    attemptLog: z.array(
      z.object({
        at: isoTime(),
        httpStatus: z.nullable(z.int()),
        result: z.enum(['DELIVERED', 'FAILED']),
        error: z.optional(z.enum(['TIMEOUT', 'BLOCKED_ADDRESS', 'DNS', 'CONNECTION'])),
        durationMs: z.int(),
      }),
    ),
    createdAt: isoTime(),
  }),
);

export const WEBHOOK_CONTRACTS = [
  defineRoute({
    entry: CREATE_WEBHOOK_ENDPOINT,
    tag: 'Webhooks',
    summary: 'Register an endpoint for some event types',
    description:
      '`url`: https, at most 2,048 characters, never a private, loopback or link-local address ' +
      '(checked again on every address the name resolves to at each delivery). The `secret` that ' +
      'signs the deliveries is in this answer only.',
    body: endpointRequestSchema,
    responses: {
      201: {
        description: 'Registered: keep the secret',
        body: z.object({
          id: z.string(),
          url: z.string(),
          events: z.array(eventType()),
          secret: z.string(),
          createdAt: isoTime(),
        }),
      },
    },
    errors: ['CONFLICT'],
  }),
  defineRoute({
    entry: LIST_WEBHOOK_ENDPOINTS,
    tag: 'Webhooks',
    summary: 'The endpoints (never their secrets)',
    responses: { 200: { description: 'Every endpoint', body: z.object({ items: z.array(endpoint) }) } },
    errors: [],
  }),
  defineRoute({
    entry: DELETE_WEBHOOK_ENDPOINT,
    tag: 'Webhooks',
    summary: 'Delete an endpoint: nothing more is sent to it',
    responses: { 204: { description: 'Deleted' } },
    errors: [],
  }),
  defineRoute({
    entry: ROTATE_WEBHOOK_SECRET,
    tag: 'Webhooks',
    summary: 'Rotate the signing secret',
    description:
      'The new secret signs from now on; the old one keeps signing beside it (two `v1=` in ' +
      '`Webhook-Signature`) until `previousSecretExpiresAt`, 24 hours later.',
    responses: {
      200: {
        description: 'The new secret, shown once',
        body: z.object({
          id: z.string(),
          secret: z.string(),
          previousSecretExpiresAt: isoTime(),
          secretRotatedAt: isoTime(),
        }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: LIST_WEBHOOK_DELIVERIES,
    tag: 'Webhooks',
    summary: "An endpoint's deliveries, newest event first, with every attempt",
    query: deliveriesQuerySchema,
    responses: {
      200: {
        description: 'One page; `nextCursor` fetches the next',
        body: z.object({ items: z.array(delivery), nextCursor: z.nullable(z.string()) }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: REDELIVER_EVENT,
    tag: 'Events',
    summary: 'Deliver an event again to the endpoints it went to',
    responses: {
      202: {
        description: 'Queued: a new round of attempts for each endpoint that still exists',
        body: z.object({
          eventId: z.string(),
          deliveries: z.array(z.object({ endpointId: z.string(), status: z.literal('PENDING') })),
        }),
      },
    },
    errors: [],
  }),
];

import * as z from 'zod/mini';
import { DOMAIN_EVENT_TYPES } from '../events/types';
import { isoTime } from './schemas';

/* The domain event as webhooks deliver it, and the delivery's headers, for the OpenAPI document. */

/** `{"id", "type", "createdAt", "data"}`: ids, statuses and masked values only. */
export const DOMAIN_EVENT_SCHEMA = z.object({
  id: z.string(),
  type: z.enum(DOMAIN_EVENT_TYPES),
  createdAt: isoTime(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

/** The headers of a delivery (their forms are in the operation's description). */
export const WEBHOOK_HEADERS = z.object({
  /** The event id: the same on every delivery of one event. */
  'webhook-id': z.string(),
  /** Unix seconds of this attempt. */
  'webhook-timestamp': z.string(),
  /** `v1=<64 hex>`, one per secret in force, space-separated. */
  'webhook-signature': z.string(),
});

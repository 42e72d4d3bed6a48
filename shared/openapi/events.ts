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

/** The headers of a delivery. */
export const WEBHOOK_HEADERS = z.object({
  'webhook-id': z.string(),
  'webhook-timestamp': z.string().check(z.regex(/^\d+$/)),
  'webhook-signature': z.string().check(z.regex(/^v1=[0-9a-f]{64}(?: v1=[0-9a-f]{64})*$/)),
});

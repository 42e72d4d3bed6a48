import type { FunctionEntry, RouteEntry } from './types';

/* What every process relies on: the health probe, the API document and the email event subscriber. */

/** `GET /v1/health` (public). */
export const HEALTH = {
  name: 'health',
  trigger: { kind: 'route', method: 'GET', path: '/v1/health', auth: 'public' },
} as const satisfies RouteEntry;

/**
 * `GET /v1/openapi.json` (public): the OpenAPI document, generated from the contracts by
 * `npm run openapi` and bundled as data (the generator is in no function).
 */
export const GET_OPENAPI = {
  name: 'get-openapi',
  trigger: { kind: 'route', method: 'GET', path: '/v1/openapi.json', auth: 'public' },
} as const satisfies RouteEntry;

/** SES bounces and complaints: the addresses are recorded (suppressed) by keyed hash only. */
export const HANDLE_EMAIL_EVENTS = {
  name: 'handle-email-events',
  trigger: { kind: 'event', source: 'email-events' },
  capabilities: ['addressHmac'],
  table: { write: ['suppression'] },
} as const satisfies FunctionEntry;

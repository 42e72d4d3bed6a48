import type { FunctionEntry, RouteEntry } from './types';

/* What every process relies on: the health probe and the email event subscriber. */

/** `GET /v1/health` (public). */
export const HEALTH = {
  name: 'health',
  trigger: { kind: 'route', method: 'GET', path: '/v1/health', auth: 'public' },
} as const satisfies RouteEntry;

/** SES bounces and complaints: the addresses are recorded (suppressed) by keyed hash only. */
export const HANDLE_EMAIL_EVENTS = {
  name: 'handle-email-events',
  trigger: { kind: 'event', source: 'email-events' },
  capabilities: ['addressHmac'],
  table: { write: ['suppression'] },
} as const satisfies FunctionEntry;

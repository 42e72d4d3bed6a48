import type { FunctionEntry } from './types';

/*
 * What a deployment profile without managed providers adds (the China profile: staff sign in at
 * the acquirer's OIDC identity provider, SMS go through a mainland provider). A profile that does
 * not need one of these functions does not deploy it (infra/profiles/).
 */

/** API Gateway's TOKEN authorizer of the staff routes: verifies the IdP's JWT (no table access). */
export const AUTHORIZE_STAFF = {
  name: 'authorize-staff',
  trigger: { kind: 'authorizer' },
  lazyModules: ['jose'],
} as const satisfies FunctionEntry;

/** Every minute: the SMS provider's delivery receipts onto the send records they belong to. */
export const POLL_SMS_RECEIPTS = {
  name: 'poll-sms-receipts',
  trigger: {
    kind: 'schedule',
    schedule: 'rate(1 minute)',
    provider: 'sms-delivery-receipts',
    // Five pulls of at most 5 s each and their writes: a stuck run ends before the next is due.
    timeoutSeconds: 30,
  },
  capabilities: ['smsDeliveryReceipts'],
  table: { write: ['sendRecord'] },
} as const satisfies FunctionEntry;

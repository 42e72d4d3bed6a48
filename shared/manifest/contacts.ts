import type { GuardedRouteEntry, RouteEntry } from './types';

/*
 * Verified contacts (spec 6) and signing in again (spec 11): one-time codes to the contact phone
 * and email of an application. Each entry is its own export so that a function bundles its own
 * entry alone. The code routes are throttled tighter than the stage: each call may text someone.
 */

/** A code route's throttle: at most this many a second across all callers (the WAF limits per IP). */
const CODE_THROTTLE = { rateLimit: 5, burstLimit: 10 } as const;

/**
 * `POST /v1/applications/{id}/verifications`: a code to the contact phone or email; the address is
 * hashed for the suppression list and the send quotas, the code for its store.
 */
export const REQUEST_VERIFICATION = {
  name: 'request-verification',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/verifications',
    auth: 'merchant',
    object: 'application',
    throttle: CODE_THROTTLE,
  },
  capabilities: ['oneTimeCodeHmac', 'addressHmac', 'sendEmail', 'sendSms'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: {
    read: ['application'],
    write: ['tokenReplay', 'oneTimeCode', 'sendRecord', 'suppression', 'sendQuota'],
  },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/applications/{id}/verifications/confirm`: checks the code, records the verification. */
export const CONFIRM_VERIFICATION = {
  name: 'confirm-verification',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/verifications/confirm',
    auth: 'merchant',
    object: 'application',
    throttle: CODE_THROTTLE,
  },
  capabilities: ['oneTimeCodeHmac'],
  fieldCipher: 'decrypt',
  table: { write: ['application', 'tokenReplay', 'oneTimeCode'] },
} as const satisfies GuardedRouteEntry;

/**
 * `POST /v1/applications/{id}/sessions` (public): a sign-in code by SMS to the contact phone (the
 * merchant's, once approved); the same answer for an id that names nothing.
 */
export const START_SESSION = {
  name: 'start-session',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/sessions',
    auth: 'public',
    throttle: CODE_THROTTLE,
  },
  capabilities: ['oneTimeCodeHmac', 'addressHmac', 'sendSms'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: {
    read: ['application', 'merchant'],
    write: ['oneTimeCode', 'sendRecord', 'suppression', 'sendQuota'],
  },
} as const satisfies RouteEntry;

/** `POST /v1/applications/{id}/sessions/confirm` (public): the code for a new access token. */
export const CONFIRM_SESSION = {
  name: 'confirm-session',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/sessions/confirm',
    auth: 'public',
    throttle: CODE_THROTTLE,
  },
  capabilities: ['oneTimeCodeHmac'],
  fieldCipher: 'decrypt',
  table: { read: ['merchant'], write: ['application', 'tokenReplay', 'oneTimeCode'] },
} as const satisfies RouteEntry;

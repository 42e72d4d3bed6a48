import type { GuardedRouteEntry, StaffRouteEntry } from './types';

/* Terminal stock, binding and activation (一机一码): activation codes are keyed hashes sent by SMS. */

/** `POST /v1/terminals` (operator): register SNs in stock. */
export const REGISTER_TERMINALS = {
  name: 'register-terminals',
  trigger: { kind: 'route', method: 'POST', path: '/v1/terminals', auth: 'staff', groups: ['operator'] },
  table: { write: ['terminal'] },
} as const satisfies StaffRouteEntry;

/** `GET /v1/terminals/{sn}` (operator or reviewer). */
export const GET_TERMINAL = {
  name: 'get-terminal',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/terminals/{sn}',
    auth: 'staff',
    groups: ['operator', 'reviewer'],
  },
  table: { read: ['terminal'] },
} as const satisfies StaffRouteEntry;

/** `POST /v1/terminals/{sn}/bind` (operator): binds and sends the activation code by SMS. */
export const BIND_TERMINAL = {
  name: 'bind-terminal',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/terminals/{sn}/bind',
    auth: 'staff',
    groups: ['operator'],
  },
  capabilities: ['activationCodeHmac', 'addressHmac', 'sendSms'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: { write: ['merchant', 'sequence', 'terminal', 'sendRecord', 'suppression', 'sendQuota'] },
} as const satisfies StaffRouteEntry;

/** `POST /v1/terminals/{sn}/unbind` (operator). */
export const UNBIND_TERMINAL = {
  name: 'unbind-terminal',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/terminals/{sn}/unbind',
    auth: 'staff',
    groups: ['operator'],
  },
  table: { write: ['merchant', 'terminal'] },
} as const satisfies StaffRouteEntry;

/** `POST /v1/terminals/{sn}/activation-code` (operator): a new code by SMS. */
export const REISSUE_ACTIVATION_CODE = {
  name: 'reissue-activation-code',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/terminals/{sn}/activation-code',
    auth: 'staff',
    groups: ['operator'],
  },
  capabilities: ['activationCodeHmac', 'addressHmac', 'sendSms'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: { read: ['merchant'], write: ['terminal', 'sendRecord', 'suppression', 'sendQuota'] },
} as const satisfies StaffRouteEntry;

/**
 * `POST /v1/terminals/{sn}/activate`: guessing 6-digit codes is the abuse to expect, so it is
 * throttled tighter than the stage (the handler also locks a terminal after 5 wrong codes).
 */
export const ACTIVATE_TERMINAL = {
  name: 'activate-terminal',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/terminals/{sn}/activate',
    auth: 'merchant',
    object: 'terminal',
    throttle: { rateLimit: 5, burstLimit: 10 },
  },
  capabilities: ['activationCodeHmac'],
  // Counts a terminal locked by wrong codes (ActivationLocked), a rare path.
  lazyModules: ['@aws-lambda-powertools/metrics'],
  // Builds a repository of encrypted items for the lookups it makes, but opens no field.
  fieldCipher: 'key-id',
  table: { read: ['application'], write: ['merchant', 'terminal'] },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/terminals/{sn}/test-transaction`: the simulated 0.01 CNY sale and its void. */
export const RUN_TEST_TRANSACTION = {
  name: 'run-test-transaction',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/terminals/{sn}/test-transaction',
    auth: 'merchant',
    object: 'terminal',
  },
  // Builds a repository of encrypted items for the lookups it makes, but opens no field.
  fieldCipher: 'key-id',
  table: { read: ['application'], write: ['merchant', 'terminal'] },
} as const satisfies GuardedRouteEntry;

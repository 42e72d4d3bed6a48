import type { GuardedRouteEntry, StaffRouteEntry } from './types';

/* Provisioned merchants. */

/** `GET /v1/merchants/{merchantNo}`: the merchant itself (Bearer) or a reviewer/operator (JWT). */
export const GET_MERCHANT = {
  name: 'get-merchant',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/merchants/{merchantNo}',
    auth: 'merchant-or-staff',
    groups: ['reviewer', 'operator'],
    object: 'merchant',
  },
  fieldCipher: 'decrypt',
  // jose verifies staff JWTs; most calls carry merchant tokens, so it loads on first use only.
  lazyModules: ['jose'],
  table: { read: ['application', 'merchant'] },
} as const satisfies GuardedRouteEntry;

/** `GET /v1/merchants/{merchantNo}/versions` (reviewer or operator). */
export const LIST_MERCHANT_VERSIONS = {
  name: 'list-merchant-versions',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/merchants/{merchantNo}/versions',
    auth: 'staff',
    groups: ['reviewer', 'operator'],
  },
  fieldCipher: 'decrypt',
  table: { read: ['merchant'] },
} as const satisfies StaffRouteEntry;

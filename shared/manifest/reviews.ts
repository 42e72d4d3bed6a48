import type { StaffRouteEntry } from './types';

/* The review queue of every process (applications, terminal transfers, change requests). */

/** `GET /v1/reviews` (reviewer): the pending queue, oldest first. */
export const LIST_REVIEWS = {
  name: 'list-reviews',
  trigger: { kind: 'route', method: 'GET', path: '/v1/reviews', auth: 'staff', groups: ['reviewer'] },
} as const satisfies StaffRouteEntry;

/** `GET /v1/reviews/{taskId}` (reviewer): one task with its subject. */
export const GET_REVIEW = {
  name: 'get-review',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/reviews/{taskId}',
    auth: 'staff',
    groups: ['reviewer'],
  },
  fieldCipher: 'decrypt',
} as const satisfies StaffRouteEntry;

/** `POST /v1/reviews/{taskId}/decision` (reviewer): completes the waiting task token. */
export const DECIDE_REVIEW = {
  name: 'decide-review',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/reviews/{taskId}/decision',
    auth: 'staff',
    groups: ['reviewer'],
  },
  capabilities: ['taskResponse'],
  workflows: ['onboarding'],
  fieldCipher: 'decrypt',
} as const satisfies StaffRouteEntry;

import type { StaffRouteEntry } from './types';

/* The review queue of every process (applications, terminal transfers, change requests). */

/** `GET /v1/reviews` (reviewer): the pending queue, oldest first. */
export const LIST_REVIEWS = {
  name: 'list-reviews',
  trigger: { kind: 'route', method: 'GET', path: '/v1/reviews', auth: 'staff', groups: ['reviewer'] },
  table: { read: ['reviewQueue'] },
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
  table: { read: ['application', 'reviewTask', 'merchant', 'changeRequest', 'transferRequest'] },
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
  // Hands the decision to whichever process waits on the task; RISK_ALERT and LIMIT_INCREASE tasks
  // are decided here with their effect (suspension, limits) and the merchant is told.
  capabilities: ['taskResponse', 'addressHmac', 'sendEmail', 'sendSms'],
  workflows: ['onboarding', 'terminal-transfer', 'change-request'],
  // Builds a repository of encrypted items for the lookups it makes, but opens no field.
  fieldCipher: 'key-id',
  // The only reader of the waiting tokens (reviewWait): it hands the decision over. A reviewer's
  // `feePlanCode` is checked against the application's MCC (read without opening a field); a
  // default plan is stored on its first use. RISK_ALERT and LIMIT_INCREASE tasks are decided here,
  // without a workflow: limits, suspensions and the merchant's notice.
  table: {
    read: ['application', 'reviewWait', 'usage'],
    write: [
      'reviewTask',
      'feePlan',
      'merchant',
      'terminal',
      'limits',
      'sendRecord',
      'suppression',
      'sendQuota',
    ],
  },
} as const satisfies StaffRouteEntry;

/** `GET /v1/reviews/{taskId}/documents` (reviewer): presigned GETs of the case's documents. */
export const GET_REVIEW_DOCUMENTS = {
  name: 'get-review-documents',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/reviews/{taskId}/documents',
    auth: 'staff',
    groups: ['reviewer'],
  },
  // HeadObject first (only uploaded ones), then a presigned GET each.
  capabilities: ['documentsRead'],
  fieldCipher: 'decrypt',
  table: { read: ['application', 'reviewTask'] },
} as const satisfies StaffRouteEntry;

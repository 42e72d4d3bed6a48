import type { StaffRouteEntry } from './types';

/* The review queue of every process (applications, terminal transfers, change requests). */

/** `GET /v1/reviews` (reviewer): the pending queue, oldest first. */
export const LIST_REVIEWS = {
  name: 'list-reviews',
  trigger: { kind: 'route', method: 'GET', path: '/v1/reviews', auth: 'staff', groups: ['reviewer'] },
  // With `kind`: that kind's queue (keys only on gsi2), then the tasks themselves; with
  // `escalated=true`: the escalated queue (keys only on gsi3), then the tasks.
  table: { read: ['reviewQueue', 'reviewKindQueue', 'reviewEscalatedQueue', 'reviewTask'] },
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
  // No field cipher: it reads an application's MCC only, which is not an encrypted field.
  // The only reader of the waiting tokens (reviewWait): it hands the decision over. A reviewer's
  // `feePlanCode` is checked against the application's MCC (read without opening a field); a
  // default plan is stored on its first use. RISK_ALERT and LIMIT_INCREASE tasks are decided here,
  // without a workflow: limits, suspensions and the merchant's notice. The decision counts in the
  // supervisor view's counters (reviewStats) in the same transaction.
  table: {
    read: ['application', 'reviewWait', 'usage'],
    write: [
      'reviewTask',
      'feePlan',
      'reviewStats',
      'merchant',
      'terminal',
      'limits',
      'sendRecord',
      'suppression',
      'sendQuota',
    ],
  },
  lazyModules: ['@aws-lambda-powertools/metrics'],
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

/** `POST /v1/reviews/{taskId}/claim` (reviewer): a lease on the task, so two reviewers never work one case. */
export const CLAIM_REVIEW = {
  name: 'claim-review',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/reviews/{taskId}/claim',
    auth: 'staff',
    groups: ['reviewer'],
  },
  table: { write: ['reviewTask'] },
} as const satisfies StaffRouteEntry;

/**
 * `POST /v1/reviews/{taskId}/reveal` (reviewer): the call-back's phone in clear, audited on the task.
 * Reads the subject's item for the phone only (phones are not field-encrypted: no field cipher).
 */
export const REVEAL_REVIEW_FIELD = {
  name: 'reveal-review-field',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/reviews/{taskId}/reveal',
    auth: 'staff',
    groups: ['reviewer'],
    // Personal data in clear: far below any honest pace of call-backs.
    throttle: { rateLimit: 5, burstLimit: 10 },
  },
  table: { read: ['application', 'merchant', 'changeRequest', 'transferRequest'], write: ['reviewTask'] },
} as const satisfies StaffRouteEntry;

/** `GET /v1/reviews/stats` (reviewer): the supervisor view, from counters (a fixed number of items). */
export const GET_REVIEW_STATS = {
  name: 'get-review-stats',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/reviews/stats',
    auth: 'staff',
    groups: ['reviewer'],
  },
  // The counters, and the oldest task of each kind's queue (GSI2, keys only).
  table: { read: ['reviewStats', 'reviewKindQueue'] },
} as const satisfies StaffRouteEntry;

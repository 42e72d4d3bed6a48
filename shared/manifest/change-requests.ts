import type { GuardedRouteEntry, TaskEntry } from './types';

/*
 * Merchant change requests (商户变更): creation starts the workflow, cancellation stops it; the
 * checks look the new settlement account up in the blocklist by keyed hash; the outcome goes by
 * email and SMS. The Tasks run in the onboarding state machine today.
 */

/** `POST /v1/merchants/{merchantNo}/change-requests`. */
export const CREATE_CHANGE_REQUEST = {
  name: 'create-change-request',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/merchants/{merchantNo}/change-requests',
    auth: 'merchant',
    object: 'merchant',
  },
  capabilities: ['startExecution'],
  workflows: ['change-request'],
  fieldCipher: 'decrypt',
  table: { read: ['application', 'reviewTask'], write: ['idempotency', 'merchant', 'changeRequest'] },
} as const satisfies GuardedRouteEntry;

/** `GET /v1/merchants/{merchantNo}/change-requests/{id}`: the merchant (Bearer) or staff (JWT). */
export const GET_CHANGE_REQUEST = {
  name: 'get-change-request',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/merchants/{merchantNo}/change-requests/{id}',
    auth: 'merchant-or-staff',
    groups: ['reviewer', 'operator'],
    object: 'change-request',
  },
  fieldCipher: 'decrypt',
  lazyModules: ['jose'],
  table: { read: ['application', 'changeRequest'] },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/merchants/{merchantNo}/change-requests/{id}/cancel`. */
export const CANCEL_CHANGE_REQUEST = {
  name: 'cancel-change-request',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/merchants/{merchantNo}/change-requests/{id}/cancel',
    auth: 'merchant',
    object: 'change-request',
  },
  capabilities: ['stopExecution'],
  workflows: ['change-request'],
  fieldCipher: 'decrypt',
  table: {
    read: ['application'],
    write: ['idempotency', 'reviewTask', 'reviewStats', 'merchant', 'changeRequest'],
  },
} as const satisfies GuardedRouteEntry;

/** Task ChangeRunChecks: the new settlement account against the blocklist (keyed hash). */
export const TASK_CHANGE_RUN_CHECKS = {
  name: 'task-change-run-checks',
  trigger: { kind: 'task', process: 'change-request' },
  capabilities: ['identityHmac'],
  fieldCipher: 'decrypt',
  table: { read: ['reviewTask', 'blocklist'], write: ['idempotency', 'merchant', 'changeRequest'] },
} as const satisfies TaskEntry;

/** Task ChangeAwaitReview: opens the review task or gives it the new token. */
export const TASK_CHANGE_AWAIT_REVIEW = {
  name: 'task-change-await-review',
  trigger: { kind: 'task', process: 'change-request' },
  capabilities: ['taskResponse'],
  workflows: ['change-request'],
  fieldCipher: 'decrypt',
  table: { read: ['merchant', 'changeRequest'], write: ['reviewTask', 'reviewWait', 'reviewStats'] },
} as const satisfies TaskEntry;

/** Task ChangeApply: applies an approved change if the merchant's version is unchanged. */
export const TASK_CHANGE_APPLY = {
  name: 'task-change-apply',
  trigger: { kind: 'task', process: 'change-request' },
  // A changed settlement cycle makes the next agreement version and starts its process.
  capabilities: ['startExecution'],
  workflows: ['agreement'],
  fieldCipher: 'decrypt',
  table: {
    read: ['reviewTask'],
    write: ['idempotency', 'merchant', 'changeRequest', 'feePlan', 'agreement'],
  },
} as const satisfies TaskEntry;

/** Task ChangeRecordDecision: a REJECT decision with the reviewer's reasons. */
export const TASK_CHANGE_RECORD_DECISION = {
  name: 'task-change-record-decision',
  trigger: { kind: 'task', process: 'change-request' },
  fieldCipher: 'decrypt',
  table: { read: ['reviewTask'], write: ['idempotency', 'merchant', 'changeRequest'] },
} as const satisfies TaskEntry;

/** Task ChangeExpire: no decision by the final deadline. */
export const TASK_CHANGE_EXPIRE = {
  name: 'task-change-expire',
  trigger: { kind: 'task', process: 'change-request' },
  fieldCipher: 'decrypt',
  table: { write: ['idempotency', 'reviewTask', 'reviewStats', 'merchant', 'changeRequest'] },
} as const satisfies TaskEntry;

/** Task ChangeNotify: the outcome by email and SMS (old and new contact when it changed). */
export const TASK_CHANGE_NOTIFY = {
  name: 'task-change-notify',
  trigger: { kind: 'task', process: 'change-request' },
  capabilities: ['sendEmail', 'sendSms', 'addressHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: { read: ['merchant'], write: ['sendRecord', 'changeRequest', 'suppression', 'sendQuota'] },
} as const satisfies TaskEntry;

/** Task ChangeEscalateReview: the review deadline passed; flags the task and tells supervisors once. */
export const TASK_CHANGE_ESCALATE_REVIEW = {
  name: 'task-change-escalate-review',
  trigger: { kind: 'task', process: 'change-request' },
  capabilities: ['sendEmail', 'addressHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: { write: ['reviewTask', 'reviewStats', 'changeRequest', 'sendRecord', 'suppression'] },
} as const satisfies TaskEntry;

/** Task ChangeRecordFailure: records a failed change request in its timeline (the execution then fails). */
export const TASK_CHANGE_RECORD_FAILURE = {
  name: 'task-change-record-failure',
  trigger: { kind: 'task', process: 'change-request' },
  fieldCipher: 'decrypt',
  table: { write: ['changeRequest'] },
} as const satisfies TaskEntry;

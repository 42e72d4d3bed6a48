import type { GuardedRouteEntry, TaskEntry } from './types';

/*
 * Terminal transfer between merchants (一机一码后更改商户): its routes and the Tasks of its state
 * machine (workflow/terminal-transfer.asl.json).
 */

/** `POST /v1/terminals/{sn}/transfer-requests`: the sender asks; starts the transfer workflow. */
export const CREATE_TRANSFER_REQUEST = {
  name: 'create-transfer-request',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/terminals/{sn}/transfer-requests',
    auth: 'merchant',
    object: 'terminal',
  },
  capabilities: ['startExecution'],
  workflows: ['terminal-transfer'],
  // Whether the receiver takes terminals is read from its status alone: no field is opened.
  fieldCipher: 'key-id',
  table: { read: ['application', 'merchant'], write: ['terminal', 'transferRequest'] },
} as const satisfies GuardedRouteEntry;

/** `GET /v1/transfer-requests/{id}`: either party (Bearer) or a reviewer/operator (JWT). */
export const GET_TRANSFER_REQUEST = {
  name: 'get-transfer-request',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/transfer-requests/{id}',
    auth: 'merchant-or-staff',
    groups: ['reviewer', 'operator'],
    object: 'transfer-request',
  },
  // Builds a repository of encrypted items for the lookups it makes, but opens no field.
  fieldCipher: 'key-id',
  lazyModules: ['jose'],
  table: { read: ['application', 'transferRequest'] },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/transfer-requests/{id}/accept`: the receiver accepts (resumes the waiting token). */
export const ACCEPT_TRANSFER_REQUEST = {
  name: 'accept-transfer-request',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/transfer-requests/{id}/accept',
    auth: 'merchant',
    object: 'transfer-request',
  },
  capabilities: ['taskResponse'],
  workflows: ['terminal-transfer'],
  // Builds a repository of encrypted items for the lookups it makes, but opens no field.
  fieldCipher: 'key-id',
  table: { read: ['application'], write: ['terminal', 'transferRequest'] },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/transfer-requests/{id}/cancel`: the sender cancels (stops the workflow). */
export const CANCEL_TRANSFER_REQUEST = {
  name: 'cancel-transfer-request',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/transfer-requests/{id}/cancel',
    auth: 'merchant',
    object: 'transfer-request',
  },
  capabilities: ['stopExecution'],
  workflows: ['terminal-transfer'],
  // Builds a repository of encrypted items for the lookups it makes, but opens no field.
  fieldCipher: 'key-id',
  table: { read: ['application'], write: ['reviewTask', 'reviewStats', 'terminal', 'transferRequest'] },
} as const satisfies GuardedRouteEntry;

/** Task TransferAwaitAcceptance: keeps the token the receiver's acceptance resumes. */
export const TASK_TRANSFER_AWAIT_ACCEPTANCE = {
  name: 'task-transfer-await-acceptance',
  trigger: { kind: 'task', process: 'terminal-transfer' },
  capabilities: ['taskResponse'],
  workflows: ['terminal-transfer'],
  table: { write: ['terminal', 'transferRequest'] },
} as const satisfies TaskEntry;

/** Task TransferAwaitReview: opens the TERMINAL_TRANSFER review task. */
export const TASK_TRANSFER_AWAIT_REVIEW = {
  name: 'task-transfer-await-review',
  trigger: { kind: 'task', process: 'terminal-transfer' },
  capabilities: ['taskResponse'],
  workflows: ['terminal-transfer'],
  table: { read: ['transferRequest'], write: ['reviewTask', 'reviewWait', 'reviewStats'] },
} as const satisfies TaskEntry;

/** Task TransferComplete: re-binds the SN to the receiving merchant with a new terminal ID. */
export const TASK_TRANSFER_COMPLETE = {
  name: 'task-transfer-complete',
  trigger: { kind: 'task', process: 'terminal-transfer' },
  // Builds a repository of encrypted items for the lookups it makes, but opens no field.
  fieldCipher: 'key-id',
  table: { read: ['reviewTask'], write: ['merchant', 'sequence', 'terminal', 'transferRequest'] },
} as const satisfies TaskEntry;

/** Task TransferRecordDecision: a REJECT decision; the SN stays with the sender. */
export const TASK_TRANSFER_RECORD_DECISION = {
  name: 'task-transfer-record-decision',
  trigger: { kind: 'task', process: 'terminal-transfer' },
  table: { read: ['reviewTask'], write: ['terminal', 'transferRequest'] },
} as const satisfies TaskEntry;

/** Task TransferExpire: not accepted or not decided in time. */
export const TASK_TRANSFER_EXPIRE = {
  name: 'task-transfer-expire',
  trigger: { kind: 'task', process: 'terminal-transfer' },
  table: { write: ['reviewTask', 'reviewStats', 'terminal', 'transferRequest'] },
} as const satisfies TaskEntry;

/** Task TransferNotify: tells both merchants by email and SMS, at most once each. */
export const TASK_TRANSFER_NOTIFY = {
  name: 'task-transfer-notify',
  trigger: { kind: 'task', process: 'terminal-transfer' },
  capabilities: ['sendEmail', 'sendSms', 'addressHmac', 'activationCodeHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: {
    read: ['merchant'],
    write: ['terminal', 'sendRecord', 'transferRequest', 'suppression', 'sendQuota'],
  },
} as const satisfies TaskEntry;

/** Task TransferEscalateReview: the review deadline passed; flags the task and tells supervisors once. */
export const TASK_TRANSFER_ESCALATE_REVIEW = {
  name: 'task-transfer-escalate-review',
  trigger: { kind: 'task', process: 'terminal-transfer' },
  capabilities: ['sendEmail', 'addressHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  table: { write: ['reviewTask', 'reviewStats', 'transferRequest', 'sendRecord', 'suppression'] },
} as const satisfies TaskEntry;

/** Task TransferRecordFailure: records a failed transfer in its timeline (the execution then fails). */
export const TASK_TRANSFER_RECORD_FAILURE = {
  name: 'task-transfer-record-failure',
  trigger: { kind: 'task', process: 'terminal-transfer' },
  table: { write: ['transferRequest'] },
} as const satisfies TaskEntry;

import type { GuardedRouteEntry, RouteEntry, StaffRouteEntry, TaskEntry } from './types';

/*
 * Onboarding: the application routes, the merchant's access token and the onboarding workflow's
 * Tasks. Each entry is its own export so that a function bundles its own entry alone.
 */

/** `POST /v1/applications` (public, `Idempotency-Key`): the obvious abuse target, throttled tighter. */
export const CREATE_APPLICATION = {
  name: 'create-application',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications',
    auth: 'public',
    throttle: { rateLimit: 10, burstLimit: 20 },
  },
  // Seals the first token for replays of the create, and opens it for one.
  fieldCipher: 'decrypt',
  table: { write: ['application', 'tokenReplay'] },
} as const satisfies RouteEntry;

/** `PUT /v1/applications/{id}`: the returned view tells which documents were uploaded (HeadObject). */
export const UPDATE_APPLICATION = {
  name: 'update-application',
  trigger: {
    kind: 'route',
    method: 'PUT',
    path: '/v1/applications/{id}',
    auth: 'merchant',
    object: 'application',
  },
  capabilities: ['documentsRead'],
  fieldCipher: 'decrypt',
  table: { write: ['application', 'tokenReplay'] },
} as const satisfies GuardedRouteEntry;

/** `GET /v1/applications/{id}`. */
export const GET_APPLICATION = {
  name: 'get-application',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/applications/{id}',
    auth: 'merchant',
    object: 'application',
  },
  capabilities: ['documentsRead'],
  fieldCipher: 'decrypt',
  // Reads only, but a token's first use forgets its replayable copy (the guard).
  table: { read: ['application'], write: ['tokenReplay'] },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/applications/{id}/documents`: presigns uploads, throttled tighter than the stage. */
export const CREATE_DOCUMENT = {
  name: 'create-document',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/documents',
    auth: 'merchant',
    object: 'application',
    throttle: { rateLimit: 10, burstLimit: 20 },
  },
  capabilities: ['documentsPut'],
  fieldCipher: 'decrypt',
  table: { write: ['application', 'tokenReplay'] },
} as const satisfies GuardedRouteEntry;

/**
 * `POST /v1/applications/{id}/submit`: checks the documents, computes the uniqueness markers,
 * starts the workflow or hands the resubmission back to the waiting one (SendTaskSuccess).
 */
export const SUBMIT_APPLICATION = {
  name: 'submit-application',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/submit',
    auth: 'merchant',
    object: 'application',
  },
  capabilities: ['identityHmac', 'documentsRead', 'startExecution', 'taskResponse'],
  workflows: ['onboarding'],
  fieldCipher: 'decrypt',
  table: { write: ['application', 'tokenReplay', 'uniqueness'] },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/applications/{id}/withdraw`: stops the workflow. */
export const WITHDRAW_APPLICATION = {
  name: 'withdraw-application',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/withdraw',
    auth: 'merchant',
    object: 'application',
  },
  capabilities: ['stopExecution'],
  workflows: ['onboarding'],
  fieldCipher: 'decrypt',
  table: { write: ['application', 'tokenReplay', 'reviewTask', 'reviewStats', 'uniqueness'] },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/applications/{id}/access-token`: the merchant rotates its token. */
export const ROTATE_ACCESS_TOKEN = {
  name: 'rotate-access-token',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/access-token',
    auth: 'merchant',
    object: 'application',
  },
  fieldCipher: 'decrypt',
  table: { write: ['application', 'tokenReplay'] },
} as const satisfies GuardedRouteEntry;

/** `DELETE /v1/applications/{id}/access-token`: the merchant revokes its token. */
export const REVOKE_ACCESS_TOKEN = {
  name: 'revoke-access-token',
  trigger: {
    kind: 'route',
    method: 'DELETE',
    path: '/v1/applications/{id}/access-token',
    auth: 'merchant',
    object: 'application',
  },
  fieldCipher: 'decrypt',
  table: { write: ['application', 'tokenReplay'] },
} as const satisfies GuardedRouteEntry;

/**
 * `POST /v1/applications/{id}/access-token/reissue` (operator): the new token goes only to the
 * registered contact email.
 */
export const REISSUE_ACCESS_TOKEN = {
  name: 'reissue-access-token',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/applications/{id}/access-token/reissue',
    auth: 'staff',
    groups: ['operator'],
  },
  capabilities: ['sendEmail'],
  fieldCipher: 'decrypt',
  table: { read: ['merchant'], write: ['application', 'tokenReplay'] },
} as const satisfies StaffRouteEntry;

/**
 * Task RunChecks: blocklist lookups by keyed hash, required documents present, the "received"
 * message (and an automatic rejection's) by email and SMS; an automatic rejection completes its
 * own task token.
 */
export const TASK_RUN_CHECKS = {
  name: 'task-run-checks',
  trigger: { kind: 'task', process: 'onboarding' },
  capabilities: ['identityHmac', 'addressHmac', 'documentsRead', 'sendEmail', 'sendSms', 'taskResponse'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  workflows: ['onboarding'],
  fieldCipher: 'decrypt',
  table: {
    // The terminal is only looked up (the stock check): its code is issued at approval.
    read: ['blocklist', 'terminal'],
    write: [
      'application',
      'reviewTask',
      'reviewWait',
      'reviewStats',
      'uniqueness',
      'sendRecord',
      'suppression',
      'sendQuota',
    ],
  },
} as const satisfies TaskEntry;

/** Task AwaitReview: a decision or resubmission that arrived while nobody was waiting goes to the new token. */
export const TASK_AWAIT_REVIEW = {
  name: 'task-await-review',
  trigger: { kind: 'task', process: 'onboarding' },
  capabilities: ['taskResponse'],
  workflows: ['onboarding'],
  fieldCipher: 'decrypt',
  table: { write: ['application', 'reviewTask', 'reviewWait', 'reviewStats', 'uniqueness'] },
} as const satisfies TaskEntry;

/** Task EscalateReview: the review deadline passed; tells the supervisors. */
export const TASK_ESCALATE_REVIEW = {
  name: 'task-escalate-review',
  trigger: { kind: 'task', process: 'onboarding' },
  capabilities: ['sendEmail', 'addressHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: { write: ['application', 'reviewTask', 'reviewStats', 'sendRecord', 'suppression'] },
} as const satisfies TaskEntry;

/** Task RecordDecision: a REJECT decision, then the outcome message. */
export const TASK_RECORD_DECISION = {
  name: 'task-record-decision',
  trigger: { kind: 'task', process: 'onboarding' },
  capabilities: ['sendEmail', 'sendSms', 'addressHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: {
    read: ['reviewTask'],
    write: ['application', 'uniqueness', 'sendRecord', 'suppression', 'sendQuota'],
  },
} as const satisfies TaskEntry;

/** Task AwaitResubmission: keeps the token and tells the merchant what to correct. */
export const TASK_AWAIT_RESUBMISSION = {
  name: 'task-await-resubmission',
  trigger: { kind: 'task', process: 'onboarding' },
  capabilities: ['taskResponse', 'sendEmail', 'sendSms', 'addressHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  workflows: ['onboarding'],
  fieldCipher: 'decrypt',
  table: {
    read: ['reviewTask'],
    write: ['application', 'uniqueness', 'sendRecord', 'suppression', 'sendQuota'],
  },
} as const satisfies TaskEntry;

/**
 * Task ProvisionMerchant: merchant number, merchant (with its fee plan), binding, agreement version 1
 * and the start of its process, then the approval message.
 */
export const TASK_PROVISION_MERCHANT = {
  name: 'task-provision-merchant',
  trigger: { kind: 'task', process: 'onboarding' },
  capabilities: ['sendEmail', 'sendSms', 'addressHmac', 'activationCodeHmac', 'startExecution'],
  workflows: ['agreement'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: {
    read: ['reviewTask'],
    write: [
      'application',
      'merchant',
      'feePlan',
      'agreement',
      'sequence',
      'uniqueness',
      'terminal',
      'sendRecord',
      'suppression',
      'sendQuota',
    ],
  },
} as const satisfies TaskEntry;

/**
 * Task Notify: generates the activation code of an approved terminal and stores its keyed hash;
 * looks every address up on the suppression list by keyed hash. Metrics are EMF log lines.
 */
export const TASK_NOTIFY = {
  name: 'task-notify',
  trigger: { kind: 'task', process: 'onboarding' },
  capabilities: ['sendEmail', 'sendSms', 'addressHmac', 'activationCodeHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: { write: ['application', 'uniqueness', 'terminal', 'sendRecord', 'suppression', 'sendQuota'] },
} as const satisfies TaskEntry;

/** Task ExpireApplication: a deadline passed without a decision or a resubmission. */
export const TASK_EXPIRE_APPLICATION = {
  name: 'task-expire-application',
  trigger: { kind: 'task', process: 'onboarding' },
  fieldCipher: 'decrypt',
  table: { write: ['application', 'reviewTask', 'reviewStats', 'uniqueness'] },
} as const satisfies TaskEntry;

/** Task RecordFailure: a failed workflow in its subject's timeline. */
export const TASK_RECORD_FAILURE = {
  name: 'task-record-failure',
  trigger: { kind: 'task', process: 'onboarding' },
  fieldCipher: 'decrypt',
  table: { write: ['application', 'uniqueness', 'terminal'] },
} as const satisfies TaskEntry;

import type { GuardedRouteEntry, StaffRouteEntry, TaskEntry } from './types';

/*
 * Fee plans and the merchant agreement (spec 7): operators publish plan versions and move merchants
 * between plans; each agreement version is rendered by its own process (render, announce, wait,
 * remind); the merchant reads it, gets a code on the legal person's phone and signs.
 */

/** `POST /v1/fee-plans` (operator): the next version of a plan. Default plans are stored on first use. */
export const CREATE_FEE_PLAN = {
  name: 'create-fee-plan',
  trigger: { kind: 'route', method: 'POST', path: '/v1/fee-plans', auth: 'staff', groups: ['operator'] },
  table: { write: ['feePlan'] },
} as const satisfies StaffRouteEntry;

/** `GET /v1/fee-plans` (reviewer or operator): the current version of every plan. */
export const LIST_FEE_PLANS = {
  name: 'list-fee-plans',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/fee-plans',
    auth: 'staff',
    groups: ['reviewer', 'operator'],
  },
  // Read only: a shipped default plan not stored yet is listed as the version 1 it will be stored as.
  table: { read: ['feePlan'] },
} as const satisfies StaffRouteEntry;

/**
 * `POST /v1/merchants/{merchantNo}/fee-plan` (operator, reason required): the merchant's plan and
 * its next agreement version in one transaction, then that version's process.
 */
export const CHANGE_MERCHANT_FEE_PLAN = {
  name: 'change-merchant-fee-plan',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/merchants/{merchantNo}/fee-plan',
    auth: 'staff',
    groups: ['operator'],
  },
  capabilities: ['startExecution'],
  workflows: ['agreement'],
  // The merchant record is read whole (its settlement account is an encrypted field).
  fieldCipher: 'decrypt',
  table: { write: ['merchant', 'feePlan', 'agreement'] },
} as const satisfies StaffRouteEntry;

/** `GET /v1/merchants/{merchantNo}/agreement` (the merchant, or staff): the newest version and a presigned GET. */
export const GET_AGREEMENT = {
  name: 'get-agreement',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/merchants/{merchantNo}/agreement',
    auth: 'merchant-or-staff',
    groups: ['reviewer', 'operator'],
    object: 'merchant',
  },
  // The presigned GET of the PDF is made with this function's s3:GetObject.
  capabilities: ['documentsRead'],
  lazyModules: ['jose'],
  // The guard builds the application repository (encrypted items) for the token lookup; no field is opened.
  fieldCipher: 'key-id',
  table: { read: ['application', 'agreement'] },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/merchants/{merchantNo}/agreement/signature-codes` (the merchant): a code to the legal person's phone. */
export const REQUEST_SIGNATURE_CODE = {
  name: 'request-signature-code',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/merchants/{merchantNo}/agreement/signature-codes',
    auth: 'merchant',
    object: 'merchant',
    throttle: { rateLimit: 5, burstLimit: 10 },
  },
  // A one-time code (its keyed hash) and the phone's keyed hash (suppression list, SMS quota); the
  // legal person's phone is read from the application without opening an encrypted field.
  capabilities: ['oneTimeCodeHmac', 'addressHmac', 'sendSms'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'key-id',
  table: {
    read: ['application', 'agreement'],
    write: ['oneTimeCode', 'sendRecord', 'suppression', 'sendQuota'],
  },
} as const satisfies GuardedRouteEntry;

/** `POST /v1/merchants/{merchantNo}/agreement/sign` (the merchant): sha256 and code, evidence, write-once archive. */
export const SIGN_AGREEMENT = {
  name: 'sign-agreement',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/merchants/{merchantNo}/agreement/sign',
    auth: 'merchant',
    object: 'merchant',
    throttle: { rateLimit: 5, burstLimit: 10 },
  },
  // The code is confirmed against its keyed hash (bound to the legal person's phone, read without
  // opening an encrypted field).
  capabilities: ['oneTimeCodeHmac', 'documentsRead', 'agreementArchive'],
  // The guard builds the application repository (encrypted items) for the token lookup; no field is opened.
  fieldCipher: 'key-id',
  table: { read: ['application'], write: ['agreement', 'oneTimeCode'] },
} as const satisfies GuardedRouteEntry;

/**
 * Task RenderAgreement: the PDF of one version (pdfkit, fontkit and the Noto Sans SC font ship next
 * to this function only, loaded on the first render), then a later version's announcement.
 */
export const TASK_AGREEMENT_RENDER = {
  name: 'task-agreement-render',
  trigger: { kind: 'task', process: 'agreement' },
  capabilities: ['documentsPut', 'sendEmail', 'sendSms', 'addressHmac'],
  lazyModules: ['pdfkit', 'fontkit', '@expo-google-fonts/noto-sans-sc', '@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: {
    read: ['merchant', 'application'],
    write: ['agreement', 'sendRecord', 'suppression', 'sendQuota'],
  },
} as const satisfies TaskEntry;

/** Task RemindToSign: a version still unsigned after the wait is recalled by email and SMS. */
export const TASK_AGREEMENT_REMIND = {
  name: 'task-agreement-remind',
  trigger: { kind: 'task', process: 'agreement' },
  capabilities: ['sendEmail', 'sendSms', 'addressHmac'],
  lazyModules: ['@aws-lambda-powertools/metrics'],
  fieldCipher: 'decrypt',
  table: { read: ['merchant', 'agreement'], write: ['sendRecord', 'suppression', 'sendQuota'] },
} as const satisfies TaskEntry;

/** Task RecordFailure: a failed step in the agreement version's audit trail. */
export const TASK_AGREEMENT_RECORD_FAILURE = {
  name: 'task-agreement-record-failure',
  trigger: { kind: 'task', process: 'agreement' },
  table: { write: ['agreement'] },
} as const satisfies TaskEntry;

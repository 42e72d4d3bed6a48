import type { FunctionEntry, GuardedRouteEntry, StaffRouteEntry } from './types';

/* Daily checks (spec section 8): the transaction stream, limits and usage, the daily run. */

/**
 * The consumer of the transaction stream: counts usage once per transaction, opens alerts, sets
 * malformed records aside. Reads merchants (type, city, status) and limits; writes its own families
 * and the review tasks of the alerts it opens, with the supervisor view's counters (reviewStats) in
 * the same transaction.
 */
export const INGEST_TRANSACTIONS = {
  name: 'ingest-transactions',
  trigger: { kind: 'stream', source: 'transactions' },
  table: {
    read: ['merchant', 'limits'],
    write: [
      'transaction',
      'usage',
      'terminalActivity',
      'activity',
      'dormancy',
      'reviewTask',
      'reviewStats',
      'rejectedRecord',
    ],
  },
} as const satisfies FunctionEntry;

/** `GET /v1/merchants/{merchantNo}/limits`: the merchant itself (Bearer) or staff. */
export const GET_LIMITS = {
  name: 'get-limits',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/merchants/{merchantNo}/limits',
    auth: 'merchant-or-staff',
    groups: ['reviewer', 'operator'],
    object: 'merchant',
  },
  fieldCipher: 'decrypt',
  lazyModules: ['jose'],
  table: { read: ['application', 'merchant', 'limits', 'usage'] },
} as const satisfies GuardedRouteEntry;

/** `PUT /v1/merchants/{merchantNo}/limits` (operator): new limits with a reason, audited. */
export const PUT_LIMITS = {
  name: 'put-limits',
  trigger: {
    kind: 'route',
    method: 'PUT',
    path: '/v1/merchants/{merchantNo}/limits',
    auth: 'staff',
    groups: ['operator'],
  },
  table: { read: ['merchant', 'usage'], write: ['limits'] },
} as const satisfies StaffRouteEntry;

/**
 * `GET /v1/merchants/{merchantNo}/limit-audit` (reviewer or operator; merchants do not see it): the
 * audit of the merchant's limits, newest first. Reads the merchant item only to tell an unknown one.
 */
export const GET_LIMIT_AUDIT = {
  name: 'get-limit-audit',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/merchants/{merchantNo}/limit-audit',
    auth: 'staff',
    groups: ['reviewer', 'operator'],
  },
  table: { read: ['merchant', 'limits'] },
} as const satisfies StaffRouteEntry;

/**
 * `POST /v1/merchants/{merchantNo}/limit-requests` (the merchant): a limit increase to review, its
 * LIMIT_INCREASE task counted in the supervisor view's counters (reviewStats) in the same transaction.
 */
export const CREATE_LIMIT_REQUEST = {
  name: 'create-limit-request',
  trigger: {
    kind: 'route',
    method: 'POST',
    path: '/v1/merchants/{merchantNo}/limit-requests',
    auth: 'merchant',
    object: 'merchant',
  },
  fieldCipher: 'decrypt',
  table: { read: ['application', 'merchant'], write: ['limits', 'reviewTask', 'reviewStats'] },
} as const satisfies GuardedRouteEntry;

/** `GET /v1/merchants/{merchantNo}/daily-summaries?from=&to=`: the merchant itself or staff. */
export const GET_DAILY_SUMMARIES = {
  name: 'get-daily-summaries',
  trigger: {
    kind: 'route',
    method: 'GET',
    path: '/v1/merchants/{merchantNo}/daily-summaries',
    auth: 'merchant-or-staff',
    groups: ['reviewer', 'operator'],
    object: 'merchant',
  },
  fieldCipher: 'decrypt',
  lazyModules: ['jose'],
  table: { read: ['application', 'merchant', 'usage'] },
} as const satisfies GuardedRouteEntry;

/** The start of the daily run (EventBridge Scheduler, 02:00 Asia/Shanghai): the first page of each shard. */
export const START_DAILY_RUN = {
  name: 'start-daily-run',
  trigger: { kind: 'schedule', source: 'daily-run' },
  capabilities: ['dailyRunQueue'],
  table: { write: ['dailyRun'] },
} as const satisfies FunctionEntry;

/**
 * One page of the daily run: summaries, OFF_HOURS (its alert counted in the supervisor view's
 * counters, reviewStats), monthly notices; the last shard sends the report.
 */
export const RUN_DAILY_PAGE = {
  name: 'run-daily-page',
  trigger: { kind: 'queue', queue: 'daily-run-pages' },
  capabilities: ['dailyRunQueue', 'addressHmac', 'sendEmail', 'sendSms'],
  table: {
    read: ['activity', 'dormancy', 'terminalActivity', 'merchant', 'limits'],
    write: ['dailyRun', 'usage', 'reviewTask', 'reviewStats', 'sendRecord', 'suppression', 'sendQuota'],
  },
  lazyModules: ['@aws-lambda-powertools/metrics'],
} as const satisfies FunctionEntry;

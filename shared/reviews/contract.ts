import * as z from 'zod/mini';
import { CHANGE_REQUEST_STATUSES } from '../change-requests/contract';
import { day, limitsView } from '../daily-checks/contract';
import { RISK_RULES } from '../daily-checks/rules';
import { CARD_TYPES } from '../daily-checks/settings';
import type { Decision, ReviewKind } from '../domain/review';
import {
  CLAIM_REVIEW,
  DECIDE_REVIEW,
  GET_REVIEW,
  GET_REVIEW_DOCUMENTS,
  GET_REVIEW_STATS,
  LIST_REVIEWS,
  REVEAL_REVIEW_FIELD,
} from '../manifest/reviews';
import type { SendResult } from '../notifications/send-once';
import { defineRoute } from '../openapi/contract';
import {
  APPLICATION_STATUSES,
  allOf,
  automatedCheck,
  component,
  documentContentType,
  documentKind,
  isoTime,
  MERCHANT_STATUSES,
  maskedApplicationBody,
  merchantNo,
  reason,
  timelineEntry,
} from '../openapi/schemas';
import { transferView } from '../transfers/contract';
import { MAX_REVEALS_PER_TASK, revealSchema } from './claims';
import { decisionSchema, listQuerySchema } from './requests';
import { STATS_DAYS, statsQuerySchema } from './stats';

/* The review routes in the OpenAPI document (see shared/openapi/contract.ts). */

/** Every decision: APPROVE, REJECT, REQUEST_CHANGES; a RISK_ALERT task's own four. */
const decision = () =>
  z.enum(
    allOf<Decision>()(
      'APPROVE',
      'REJECT',
      'REQUEST_CHANGES',
      'DISMISS',
      'SUSPEND_TERMINAL',
      'SUSPEND_MERCHANT',
      'LOWER_LIMITS',
    ),
  );
const reviewKind = () =>
  z.enum(
    allOf<ReviewKind>()('APPLICATION', 'CHANGE_REQUEST', 'TERMINAL_TRANSFER', 'RISK_ALERT', 'LIMIT_INCREASE'),
  );

/** A task as the queue lists it. */
const reviewItem = {
  taskId: z.string(),
  kind: reviewKind(),
  subjectId: z.string(),
  status: z.enum(['PENDING', 'DECIDED', 'WITHDRAWN', 'EXPIRED', 'CANCELLED']),
  createdAt: isoTime(),
  deadline: isoTime(),
  finalDeadline: isoTime(),
  escalated: z.boolean(),
  automatedChecks: z.array(automatedCheck()),
  requiredChecks: z.array(z.enum(['phoneCallback', 'siteInspection'])),
  summary: z.string(),
  /** RISK_ALERT and LIMIT_INCREASE: the merchant. */
  merchantNo: z.optional(merchantNo()),
  /** RISK_ALERT: the rule, the day (Asia/Shanghai), the card type and the terminal (when one) it fired on. */
  rule: z.optional(z.enum(RISK_RULES)),
  day: z.optional(day()),
  cardType: z.optional(z.enum(CARD_TYPES)),
  serialNumber: z.optional(z.nullable(z.string())),
  /** RISK_ALERT: the transactions and figures that broke the rule. */
  evidence: z.optional(
    z.object({
      transactionIds: z.array(z.string()),
      // Each branch described: two bare types would be folded into a type list, which strict
      // JSON Schema validators refuse.
      figures: z.record(
        z.string(),
        z.union([
          z.number().check(z.describe('An amount in fen, a count, minutes or a share in per cent')),
          z.string().check(z.describe('The limit broken, a city code or an hour range')),
        ]),
      ),
    }),
  ),
  /** LIMIT_INCREASE: what the merchant asked for. */
  request: z.optional(
    z.object({
      cardType: z.enum(CARD_TYPES),
      dailyFen: z.int(),
      monthlyFen: z.int(),
      reason: z.string(),
    }),
  ),
  decision: z.optional(decision()),
  reasons: z.optional(z.array(z.object({ field: z.string(), reason: z.string() }))),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(isoTime()),
  /** The reviewer holding a live claim (staff subject) and when the lease ends; `null` for none. */
  claim: z.nullable(component('ReviewClaim', z.object({ by: z.string(), until: isoTime() }))),
};

/** An application under review, masked. */
const applicationSubject = component(
  'ApplicationUnderReview',
  z.object({
    applicationId: z.string(),
    status: z.enum(APPLICATION_STATUSES),
    ...maskedApplicationBody(),
    documents: z.array(z.object({ documentId: z.string(), contentType: documentContentType() })),
    timeline: z.array(timelineEntry('ApplicationTimelineEntry', APPLICATION_STATUSES)),
  }),
);

/** A change request under review: the masked before and after of each changed key. */
const changeRequestSubject = component(
  'ChangeRequestUnderReview',
  z.object({
    changeRequestId: z.string(),
    merchantNo: merchantNo(),
    status: z.enum(CHANGE_REQUEST_STATUSES),
    reason: z.string(),
    expectedVersion: z.int(),
    currentVersion: z.nullable(z.int()),
    merchant: z.nullable(
      z.object({
        type: z.enum(['INDIVIDUAL', 'ENTERPRISE']),
        name: z.string(),
        mcc: z.string(),
        status: z.enum(MERCHANT_STATUSES),
      }),
    ),
    keys: z.array(z.string()),
    fields: z.array(z.string()),
    diff: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
    reasons: z.array(reason()),
    timeline: z.array(timelineEntry('ChangeRequestTimelineEntry', CHANGE_REQUEST_STATUSES)),
  }),
);

export const REVIEW_CONTRACTS = [
  defineRoute({
    entry: LIST_REVIEWS,
    tag: 'Reviews',
    summary: 'The pending review tasks, oldest first',
    query: listQuerySchema,
    responses: {
      200: {
        description: 'One page; `nextCursor` fetches the next',
        body: z.object({
          items: z.array(component('ReviewTask', z.object(reviewItem))),
          nextCursor: z.nullable(z.string()),
        }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: GET_REVIEW,
    tag: 'Reviews',
    summary: 'A task with its masked subject',
    responses: {
      200: {
        description: 'The task and its subject',
        body: z.object({
          ...reviewItem,
          /** The audit of reveals: who, when, which field (never the value). */
          reveals: z.array(
            component(
              'RevealAudit',
              z.object({ field: z.literal('contact.phone'), by: z.string(), at: isoTime() }),
            ),
          ),
          subject: z.nullable(z.union([applicationSubject, transferView, changeRequestSubject])),
        }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: GET_REVIEW_DOCUMENTS,
    tag: 'Reviews',
    summary: "The task's documents, each with a short-lived download URL",
    responses: {
      200: {
        description:
          'The documents as submitted: `url` downloads exactly the pinned version, and is `null` ' +
          'unless `state` is `SUBMITTED` (`REPLACED`: the stored content is no longer the submitted ' +
          'one; `NOT_SUBMITTED`: uploaded after the submission)',
        body: z.object({
          taskId: z.string(),
          documents: z.array(
            z.object({
              kind: documentKind(),
              documentId: z.string(),
              contentType: documentContentType(),
              state: z.enum(['SUBMITTED', 'REPLACED', 'MISSING', 'NOT_SUBMITTED']),
              uploaded: z.boolean(),
              versionId: z.optional(z.nullable(z.string())),
              etag: z.optional(z.string()),
              checksum: z.optional(z.nullable(z.string())),
              sizeBytes: z.optional(z.int()),
              submittedAt: z.optional(isoTime()),
              url: z.nullable(z.string()),
            }),
          ),
          expiresAt: z.nullable(isoTime()),
        }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: DECIDE_REVIEW,
    tag: 'Reviews',
    summary: 'Decide a task: approve, reject, return for changes, or act on a risk alert',
    description:
      'REJECT and REQUEST_CHANGES need reasons (REQUEST_CHANGES only for applications); APPROVE needs ' +
      'every required check done. `feePlanCode` (approving an application only) picks the plan: its ' +
      "current version must allow the MCC's risk level (`NOT_ALLOWED`, `UNKNOWN_FEE_PLAN` on the " +
      'field otherwise); without it the merchant gets the default plan of that level.\n\n' +
      'A `RISK_ALERT` task is decided with `DISMISS`, `SUSPEND_TERMINAL` (an alert that names a ' +
      'terminal), `SUSPEND_MERCHANT` or `LOWER_LIMITS` (with `limits`: only lower than those in ' +
      'force, `NOT_LOWER` otherwise), always with reasons; a `LIMIT_INCREASE` task with `APPROVE` ' +
      '(the requested limits apply) or `REJECT` (with reasons). `limits` goes with `LOWER_LIMITS` ' +
      'only. These two kinds are decided at once, their effect with the decision (`409 CONFLICT` ' +
      'when the merchant, terminal or limits changed meanwhile), and the merchant is told.\n\n' +
      'While another reviewer holds a live claim on the task, no decision of any kind is taken ' +
      '(`REVIEW_CLAIMED`, with `claimedBy` and `claimedUntil`).',
    body: decisionSchema,
    responses: {
      200: {
        description:
          'Decided: the workflow goes on; for a `RISK_ALERT` or `LIMIT_INCREASE` task, the effect is ' +
          'made and `notices` says how telling the merchant went',
        body: z.union([
          z.object({
            taskId: z.string(),
            status: z.literal('DECIDED'),
            decision: decision(),
            decidedAt: isoTime(),
            /** The plan version fixed at approval, when `feePlanCode` picked one. */
            feePlan: z.optional(z.object({ code: z.string(), version: z.int() })),
          }),
          z.object({
            taskId: z.string(),
            status: z.literal('DECIDED'),
            decision: decision(),
            decidedAt: isoTime(),
            /** The limits in force now, when the decision changed them (LOWER_LIMITS, an approved increase). */
            limits: z.optional(limitsView),
            /** The messages to the merchant, one per channel. */
            notices: z.array(
              z.object({
                channel: z.enum(['EMAIL', 'SMS']),
                result: z.enum(
                  allOf<SendResult>()(
                    'SENT',
                    'ALREADY_SENT',
                    'RETRYING',
                    'FAILED',
                    'SUPPRESSED',
                    'RATE_LIMITED',
                    'UNCONFIRMED',
                  ),
                ),
              }),
            ),
          }),
        ]),
      },
    },
    errors: ['INVALID_STATE', 'CONFLICT', 'REVIEW_CLAIMED'],
  }),
  defineRoute({
    entry: CLAIM_REVIEW,
    tag: 'Reviews',
    summary: 'Claim a pending task, or renew your claim',
    description:
      'No body (or `{}`). The claim is a lease from now (15 minutes by default): while it is live ' +
      'nobody else can claim or decide the task (`REVIEW_CLAIMED`, with `claimedBy` and ' +
      '`claimedUntil`); the holder renews it by claiming again, and a lapsed lease holds nothing.',
    responses: {
      200: {
        description: 'Claimed (or renewed) until `claimedUntil`',
        body: z.object({
          taskId: z.string(),
          claimedBy: z.string(),
          claimedUntil: isoTime(),
          leaseSeconds: z.int(),
        }),
      },
    },
    errors: ['INVALID_STATE', 'REVIEW_CLAIMED'],
  }),
  defineRoute({
    entry: REVEAL_REVIEW_FIELD,
    tag: 'Reviews',
    summary: 'The call-back phone in full, audited on the task',
    description:
      'Only the reviewer holding the live claim (`CLAIM_REQUIRED` otherwise), and only ' +
      "`contact.phone` (`NOT_ALLOWED` on `field` otherwise): the applicant's contact for an " +
      "application, the merchant's contact on record for a change request, a risk alert or a limit " +
      "increase, the sending merchant's for a transfer. The audit entry (who, when, which field) is " +
      'written first and shown in the ' +
      `task's \`reveals\`; at most ${MAX_REVEALS_PER_TASK} reveals per task (\`RATE_LIMITED\`).`,
    body: revealSchema,
    responses: {
      200: {
        description: 'The number, in this answer only',
        body: z.object({
          taskId: z.string(),
          field: z.literal('contact.phone'),
          value: z.string(),
          of: z.enum(['application', 'merchant']),
          id: z.string(),
          revealedAt: isoTime(),
        }),
      },
    },
    errors: ['INVALID_STATE', 'CLAIM_REQUIRED'],
  }),
  defineRoute({
    entry: GET_REVIEW_STATS,
    tag: 'Reviews',
    summary: 'The supervisor view: queue depth and age by kind, decisions and escalations per day',
    description:
      "Per kind (risk alerts and limit requests included) the pending tasks, the escalated ones and the oldest's age; " +
      `per Asia/Shanghai day of the last ${STATS_DAYS}, ` +
      'oldest first, the decisions by decision and the escalations. Read from counters the writes ' +
      'that move a task keep in the same transaction: the cost does not grow with the queue.',
    query: statsQuerySchema,
    responses: {
      200: {
        description: 'The figures as of `asOf`',
        body: z.object({
          asOf: isoTime(),
          timeZone: z.literal('Asia/Shanghai'),
          queue: z.array(
            z.object({
              kind: reviewKind(),
              pending: z.int(),
              escalated: z.int(),
              oldestCreatedAt: z.nullable(isoTime()),
              oldestAgeSeconds: z.nullable(z.int()),
            }),
          ),
          pending: z.int(),
          escalated: z.int(),
          days: z.array(
            z.object({
              day: z.iso.date(),
              decisions: z.object({
                APPROVE: z.int(),
                REJECT: z.int(),
                REQUEST_CHANGES: z.int(),
                DISMISS: z.int(),
                SUSPEND_TERMINAL: z.int(),
                SUSPEND_MERCHANT: z.int(),
                LOWER_LIMITS: z.int(),
              } satisfies Record<Decision, unknown>),
              escalations: z.int(),
            }),
          ),
        }),
      },
    },
    errors: [],
  }),
];

import * as z from 'zod/mini';
import {
  CANCEL_CHANGE_REQUEST,
  CREATE_CHANGE_REQUEST,
  GET_CHANGE_REQUEST,
} from '../manifest/change-requests';
import { defineRoute } from '../openapi/contract';
import {
  component,
  idempotencyKeyHeader,
  isoTime,
  merchantNo,
  reason,
  timelineEntry,
} from '../openapi/schemas';
import { changeRequestSchemas } from '../validation/change-request-schema';

/* The change-request routes in the OpenAPI document (see shared/openapi/contract.ts). */

/** Change-request states. */
export const CHANGE_REQUEST_STATUSES = [
  'PENDING_REVIEW',
  'APPLIED',
  'REJECTED',
  'STALE',
  'CANCELLED',
  'EXPIRED',
] as const;

/** The request as the merchant and staff see it (new values masked). */
export const changeRequestView = component(
  'ChangeRequest',
  z.object({
    changeRequestId: z.string(),
    merchantNo: merchantNo(),
    status: z.enum(CHANGE_REQUEST_STATUSES),
    changes: component('ChangeSet', changeRequestSchemas().changes),
    fields: z.array(z.string()),
    reason: z.string(),
    expectedVersion: z.int(),
    appliedVersion: z.nullable(z.int()),
    reasons: z.array(reason()),
    timeline: z.array(timelineEntry('ChangeRequestTimelineEntry', CHANGE_REQUEST_STATUSES)),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const CHANGE_REQUEST_CONTRACTS = [
  defineRoute({
    entry: CREATE_CHANGE_REQUEST,
    tag: 'Change requests',
    summary: 'Ask to change business name, address, contact or settlement',
    description:
      'The old values stay in force until a reviewer approves; approval applies the change only if ' +
      'the merchant is still at `expectedVersion` (else `STALE`). One open request per merchant.',
    headers: idempotencyKeyHeader,
    body: () => changeRequestSchemas().changeRequest,
    responses: {
      202: {
        description: 'Filed: the review follows',
        body: z.object({
          changeRequestId: z.string(),
          status: z.literal('PENDING_REVIEW'),
          createdAt: isoTime(),
        }),
      },
    },
    errors: ['CONFLICT', 'INVALID_STATE', 'IDEMPOTENCY_KEY_REUSED'],
  }),
  defineRoute({
    entry: GET_CHANGE_REQUEST,
    tag: 'Change requests',
    summary: 'Read a change request',
    responses: { 200: { description: 'The request, new values masked', body: changeRequestView } },
    errors: [],
  }),
  defineRoute({
    entry: CANCEL_CHANGE_REQUEST,
    tag: 'Change requests',
    summary: 'Cancel a change request that is not decided yet',
    responses: {
      200: {
        description: 'Cancelled',
        body: z.object({ changeRequestId: z.string(), status: z.literal('CANCELLED') }),
      },
    },
    errors: ['INVALID_STATE', 'CONFLICT'],
  }),
];

import * as z from 'zod/mini';
import {
  ACCEPT_TRANSFER_REQUEST,
  CANCEL_TRANSFER_REQUEST,
  CREATE_TRANSFER_REQUEST,
  GET_TRANSFER_REQUEST,
} from '../manifest/transfers';
import { defineRoute } from '../openapi/contract';
import {
  component,
  isoTime,
  merchantNo,
  reason,
  serialNumber,
  terminalId,
  timelineEntry,
} from '../openapi/schemas';
import { createSchema } from './requests';

/* The terminal-transfer routes in the OpenAPI document (see shared/openapi/contract.ts). */

/** Transfer states. */
export const TRANSFER_STATUSES = [
  'AWAITING_ACCEPTANCE',
  'PENDING_REVIEW',
  'COMPLETED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
] as const;

/** The transfer as both merchants and staff see it. */
export const transferView = component(
  'TransferRequest',
  z.object({
    transferRequestId: z.string(),
    serialNumber: serialNumber(),
    fromMerchantNo: merchantNo(),
    toMerchantNo: merchantNo(),
    status: z.enum(TRANSFER_STATUSES),
    reason: z.string(),
    reasons: z.array(reason()),
    terminalId: z.nullable(terminalId()),
    timeline: z.array(timelineEntry('TransferTimelineEntry', TRANSFER_STATUSES)),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

const answer = <S extends string>(status: S) =>
  z.object({ transferRequestId: z.string(), status: z.literal(status) });

export const TRANSFER_CONTRACTS = [
  defineRoute({
    entry: CREATE_TRANSFER_REQUEST,
    tag: 'Terminal transfers',
    summary: 'Ask to move a bound terminal to another merchant',
    params: () => z.object({ sn: serialNumber() }),
    body: createSchema,
    responses: { 202: { description: 'Waiting for the receiver', body: answer('AWAITING_ACCEPTANCE') } },
    errors: ['CONFLICT'],
  }),
  defineRoute({
    entry: GET_TRANSFER_REQUEST,
    tag: 'Terminal transfers',
    summary: 'Read a transfer request',
    responses: { 200: { description: 'The transfer', body: transferView } },
    errors: [],
  }),
  defineRoute({
    entry: ACCEPT_TRANSFER_REQUEST,
    tag: 'Terminal transfers',
    summary: 'Accept a transfer (the receiving merchant)',
    responses: { 200: { description: 'Accepted: the review follows', body: answer('PENDING_REVIEW') } },
    errors: ['FORBIDDEN', 'INVALID_STATE', 'CONFLICT'],
  }),
  defineRoute({
    entry: CANCEL_TRANSFER_REQUEST,
    tag: 'Terminal transfers',
    summary: 'Cancel a transfer before the decision (the sending merchant)',
    responses: { 200: { description: 'Cancelled', body: answer('CANCELLED') } },
    errors: ['FORBIDDEN', 'INVALID_STATE', 'CONFLICT'],
  }),
];

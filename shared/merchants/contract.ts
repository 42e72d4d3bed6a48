import * as z from 'zod/mini';
import { GET_MERCHANT, LIST_MERCHANT_VERSIONS } from '../manifest/merchants';
import { defineRoute } from '../openapi/contract';
import {
  component,
  isoTime,
  MERCHANT_STATUSES,
  maskedBusiness,
  maskedSections,
  merchantNo,
  serialNumber,
  TERMINAL_STATUSES,
  terminalId,
} from '../openapi/schemas';

/* The merchant routes in the OpenAPI document (see shared/openapi/contract.ts). */

const merchantType = () => z.enum(['INDIVIDUAL', 'ENTERPRISE']);

/** The merchant, masked. */
export const merchantView = component(
  'Merchant',
  z.object({
    merchantNo: merchantNo(),
    status: z.enum(MERCHANT_STATUSES),
    version: z.int(),
    type: merchantType(),
    business: maskedBusiness(),
    ...maskedSections(),
    terminals: z.array(
      z.object({
        serialNumber: serialNumber(),
        terminalId: terminalId(),
        status: z.enum(TERMINAL_STATUSES),
        /** Suspended after a risk review. */
        suspended: z.boolean(),
      }),
    ),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const MERCHANT_CONTRACTS = [
  defineRoute({
    entry: GET_MERCHANT,
    tag: 'Merchants',
    summary: 'Read a merchant and its terminals',
    responses: { 200: { description: 'The merchant, masked', body: merchantView } },
    errors: [],
  }),
  defineRoute({
    entry: LIST_MERCHANT_VERSIONS,
    tag: 'Merchants',
    summary: "Every version of a merchant's information, oldest first",
    responses: {
      200: {
        description: 'The versions, snapshots masked',
        body: z.object({
          merchantNo: merchantNo(),
          currentVersion: z.int(),
          items: z.array(
            z.object({
              version: z.int(),
              at: isoTime(),
              actor: z.string(),
              action: z.string(),
              fields: z.array(z.string()),
              changeRequestId: z.nullable(z.string()),
              snapshot: z.object({
                status: z.enum(MERCHANT_STATUSES),
                type: merchantType(),
                business: maskedBusiness(),
                ...maskedSections(),
                locale: z.enum(['zh-CN', 'en']),
              }),
            }),
          ),
        }),
      },
    },
    errors: [],
  }),
];

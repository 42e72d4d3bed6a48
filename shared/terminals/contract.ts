import * as z from 'zod/mini';
import {
  ACTIVATE_TERMINAL,
  BIND_TERMINAL,
  GET_TERMINAL,
  REGISTER_TERMINALS,
  REISSUE_ACTIVATION_CODE,
  RUN_TEST_TRANSACTION,
  UNBIND_TERMINAL,
} from '../manifest/terminals';
import { defineRoute } from '../openapi/contract';
import { isoTime, merchantNo, serialNumber, TERMINAL_STATUSES, terminalId } from '../openapi/schemas';
import { activateSchema, bindSchema, reasonSchema } from './lifecycle';
import { registerSchema } from './stock';

/* The terminal routes in the OpenAPI document (see shared/openapi/contract.ts). */

const snParam = () => z.object({ sn: serialNumber() });
const terminalStatus = () => z.enum(TERMINAL_STATUSES);

export const TERMINAL_CONTRACTS = [
  defineRoute({
    entry: REGISTER_TERMINALS,
    tag: 'Terminals',
    summary: 'Register serial numbers in stock',
    description: 'A known serial number is reported per item; the others are still registered.',
    body: registerSchema,
    responses: {
      201: {
        description: 'What happened to each serial number',
        body: z.object({
          registered: z.int(),
          results: z.array(
            z.object({
              serialNumber: z.string(),
              result: z.enum(['REGISTERED', 'ALREADY_REGISTERED', 'DUPLICATE_IN_REQUEST']),
              status: z.optional(z.literal('IN_STOCK')),
            }),
          ),
        }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: GET_TERMINAL,
    tag: 'Terminals',
    summary: 'Read a terminal: binding, activation state and history',
    params: snParam,
    responses: {
      200: {
        description: 'The terminal',
        body: z.object({
          serialNumber: serialNumber(),
          model: z.string(),
          status: terminalStatus(),
          merchantNo: z.nullable(merchantNo()),
          terminalId: z.nullable(terminalId()),
          openTransferId: z.nullable(z.string()),
          /** Suspended by a reviewer's decision on a risk alert: activation and the test sale are refused. */
          suspended: z.boolean(),
          /** The decision that suspended it. */
          suspension: z.optional(z.object({ taskId: z.string(), by: z.string(), at: isoTime() })),
          pendingRebind: z.nullable(
            z.object({
              merchantNo: merchantNo(),
              requestedBy: z.nullable(z.string()),
              requestedAt: z.nullable(isoTime()),
            }),
          ),
          activation: z.nullable(
            z.object({
              expiresAt: isoTime(),
              expired: z.boolean(),
              attemptsLeft: z.int(),
              locked: z.boolean(),
            }),
          ),
          history: z.array(
            z.object({
              action: z.string(),
              merchantNo: z.nullable(z.string()),
              terminalId: z.nullable(z.string()),
              at: isoTime(),
              actor: z.string(),
              reason: z.optional(z.string()),
              channel: z.optional(z.enum(['EMAIL', 'SMS'])),
              template: z.optional(z.string()),
              recipient: z.optional(z.string()),
            }),
          ),
        }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: BIND_TERMINAL,
    tag: 'Terminals',
    summary: 'Bind a terminal in stock to a merchant; the activation code goes out by SMS',
    description:
      'A serial number unbound from another merchant in the last 30 days is bound only by a second ' +
      'operator: the first bind answers `202 PENDING_APPROVAL` and records the request, the same ' +
      'bind by another operator within 24 hours binds it.',
    params: snParam,
    body: bindSchema,
    responses: {
      200: {
        description: 'Bound (`activationCodeNotSent` says why a code could not be sent: reissue it later)',
        body: z.object({
          serialNumber: serialNumber(),
          merchantNo: merchantNo(),
          terminalId: terminalId(),
          status: z.literal('BOUND'),
          activationCodeSent: z.boolean(),
          activationCodeNotSent: z.optional(z.string()),
        }),
      },
      202: {
        description: 'Recorded: a second operator must make the same bind',
        body: z.object({
          serialNumber: serialNumber(),
          merchantNo: merchantNo(),
          status: z.literal('PENDING_APPROVAL'),
          requestedBy: z.string(),
          approvalExpiresAt: isoTime(),
        }),
      },
    },
    errors: ['TERMINAL_ALREADY_BOUND', 'CONFLICT'],
  }),
  defineRoute({
    entry: UNBIND_TERMINAL,
    tag: 'Terminals',
    summary: 'Unbind a terminal: back in stock, history kept',
    params: snParam,
    body: reasonSchema,
    responses: {
      200: {
        description: 'In stock again',
        body: z.object({
          serialNumber: serialNumber(),
          status: z.literal('IN_STOCK'),
          previousMerchantNo: merchantNo(),
        }),
      },
    },
    errors: ['INVALID_STATE', 'CONFLICT'],
  }),
  defineRoute({
    entry: REISSUE_ACTIVATION_CODE,
    tag: 'Terminals',
    summary: 'Send a new activation code (the lock after 5 wrong codes is lifted)',
    params: snParam,
    responses: {
      200: {
        description: 'Sent',
        body: z.object({
          serialNumber: serialNumber(),
          status: terminalStatus(),
          activationCodeSent: z.literal(true),
          expiresAt: z.optional(isoTime()),
        }),
      },
    },
    errors: ['INVALID_STATE', 'CONFLICT', 'ACTIVATION_CODE_LIMIT', 'RATE_LIMITED'],
  }),
  defineRoute({
    entry: ACTIVATE_TERMINAL,
    tag: 'Terminals',
    summary: 'Activate a bound terminal with the code sent by SMS',
    description:
      'Only for a merchant with a signed agreement in force (`409 AGREEMENT_NOT_SIGNED` before, no ' +
      'attempt counted), and neither the terminal nor the merchant suspended after a risk review ' +
      '(`409 TERMINAL_SUSPENDED`, `409 MERCHANT_SUSPENDED`).',
    params: snParam,
    body: activateSchema,
    responses: {
      200: {
        description: 'Activated',
        body: z.object({
          serialNumber: serialNumber(),
          terminalId: terminalId(),
          status: z.literal('ACTIVATED'),
        }),
      },
    },
    errors: [
      'ACTIVATION_CODE_INVALID',
      'ACTIVATION_LOCKED',
      'ACTIVATION_CODE_EXPIRED',
      'AGREEMENT_NOT_SIGNED',
      'INVALID_STATE',
      'CONFLICT',
      'MERCHANT_SUSPENDED',
      'TERMINAL_SUSPENDED',
    ],
  }),
  defineRoute({
    entry: RUN_TEST_TRANSACTION,
    tag: 'Terminals',
    summary: 'Run the 0.01 CNY test sale and its void',
    description:
      'Approved: the terminal is `VERIFIED` and the merchant `ACTIVE`. Declined: try again. A terminal ' +
      'or merchant suspended after a risk review is refused (`409 TERMINAL_SUSPENDED`, ' +
      '`409 MERCHANT_SUSPENDED`).',
    params: snParam,
    responses: {
      200: {
        description: 'The outcome',
        body: z.union([
          z.object({
            result: z.literal('APPROVED'),
            saleId: z.string(),
            voidId: z.string(),
            terminalStatus: z.literal('VERIFIED'),
            merchantStatus: z.literal('ACTIVE'),
          }),
          z.object({
            result: z.literal('DECLINED'),
            step: z.enum(['SALE', 'VOID']),
            responseCode: z.nullable(z.string()),
            saleId: z.string(),
            terminalStatus: terminalStatus(),
          }),
        ]),
      },
    },
    errors: ['INVALID_STATE', 'MERCHANT_SUSPENDED', 'TERMINAL_SUSPENDED'],
  }),
];

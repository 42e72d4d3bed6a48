import * as z from 'zod/mini';
import type { AgreementStatus } from '../agreements/agreement';
import { CHANGE_MERCHANT_FEE_PLAN, CREATE_FEE_PLAN, LIST_FEE_PLANS } from '../manifest/agreements';
import { defineRoute } from '../openapi/contract';
import { allOf, component, isoTime, merchantNo } from '../openapi/schemas';
import { CARD_TYPES, PLAN_RISK_LEVELS } from './plan';
import { feePlanSchema, merchantFeePlanSchema } from './schema';

/* The fee-plan routes in the OpenAPI document (see shared/openapi/contract.ts). */

/** The states of an agreement version (every member of `AgreementStatus`). */
export const AGREEMENT_STATUSES = allOf<AgreementStatus>()('AWAITING_SIGNATURE', 'SIGNED', 'SUPERSEDED');

const rate = () =>
  z.object({
    /** Basis points: 1 bps = 0.01 %. */
    bps: z.int(),
    /** The most one transaction pays, in fen (absent: no cap). */
    capFen: z.optional(z.int()),
  });

/** What a plan charges, every card type priced (integers only: basis points and fen). */
export const feePlanRates = component(
  'FeePlanRates',
  z.object(
    Object.fromEntries(CARD_TYPES.map((type) => [type, rate()])) as Record<
      (typeof CARD_TYPES)[number],
      ReturnType<typeof rate>
    >,
  ),
);

/** One version of a plan as the API shows it (shared/fee-plans/requests.ts `feePlanView`). */
const feePlanView = component(
  'FeePlan',
  z.object({
    code: z.string(),
    version: z.int(),
    name: z.string(),
    rates: feePlanRates,
    t0SurchargeBps: z.int(),
    mccRiskLevels: z.array(z.enum(PLAN_RISK_LEVELS)),
    createdAt: isoTime(),
    /** `system` for a shipped default, `staff:<sub>` for an operator's version. */
    createdBy: z.string(),
  }),
);

/** A plan version a merchant (or an agreement) holds. */
const feePlanRef = () => z.object({ code: z.string(), version: z.int() });

export const FEE_PLAN_CONTRACTS = [
  defineRoute({
    entry: CREATE_FEE_PLAN,
    tag: 'Fee plans',
    summary: 'Publish the next version of a fee plan',
    description:
      'Versions are never edited: publishing a code again makes its next version (1 for a new ' +
      'code); merchants keep the version they were given. Rates in basis points (1–300), caps in ' +
      'fen (0–100,000), integers only, every card type priced.',
    body: feePlanSchema,
    responses: {
      201: { description: 'Published', body: feePlanRef() },
    },
    errors: ['CONFLICT'],
  }),
  defineRoute({
    entry: LIST_FEE_PLANS,
    tag: 'Fee plans',
    summary: 'The current version of every plan, by code',
    description:
      'The shipped defaults (`DEFAULT-LOW`, `DEFAULT-HIGH`) are always listed: one not stored yet ' +
      'shows the version 1 its first use stores.',
    responses: {
      200: { description: 'Every plan', body: z.object({ items: z.array(feePlanView) }) },
    },
    errors: [],
  }),
  defineRoute({
    entry: CHANGE_MERCHANT_FEE_PLAN,
    tag: 'Fee plans',
    summary: "Move a merchant to a plan's current version: its next agreement version follows",
    description:
      "The plan must allow the merchant's MCC risk level (`feePlanCode` with `NOT_ALLOWED`, or " +
      '`UNKNOWN_FEE_PLAN` for a code never published). The merchant signs the new agreement ' +
      'version; the signed one stays in force until then. The same plan version again answers ' +
      'the agreement version made the first time.',
    params: () => z.object({ merchantNo: merchantNo() }),
    body: merchantFeePlanSchema,
    responses: {
      200: {
        description: 'The plan version and the agreement version waiting for signature',
        body: z.object({
          merchantNo: merchantNo(),
          feePlan: feePlanRef(),
          agreement: z.object({
            agreementId: z.string(),
            version: z.int(),
            status: z.enum(AGREEMENT_STATUSES),
          }),
        }),
      },
    },
    errors: [],
  }),
];

import * as z from 'zod/mini';
import { lazy } from '../validation/lazy';
import { CAP_FEN, CARD_TYPES, PLAN_RISK_LEVELS, RATE_BPS, SURCHARGE_BPS } from './plan';

/*
 * The bodies of the fee-plan routes. Integers only: a rate of 0.5 bps or a cap of 19.99 fen is
 * refused (INVALID_TYPE), as is any card type the product does not price (UNKNOWN_FIELD), each with
 * its field path (`rates.DEBIT.capFen`). Built on first use, not at import.
 */

/** A plan code: upper-case letters, digits and hyphens, e.g. `RETAIL-STD`. */
export const FEE_PLAN_CODE = /^[A-Z][A-Z0-9-]{1,31}$/;

const rate = () =>
  z.strictObject({
    bps: z.int().check(z.minimum(RATE_BPS.min), z.maximum(RATE_BPS.max)),
    capFen: z.optional(z.int().check(z.minimum(CAP_FEN.min), z.maximum(CAP_FEN.max))),
  });

/** `POST /v1/fee-plans`. */
export const feePlanSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    code: z.string().check(z.regex(FEE_PLAN_CODE)),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    // Every card type must be priced: a merchant takes all of them.
    rates: z.strictObject(
      Object.fromEntries(CARD_TYPES.map((type) => [type, rate()])) as Record<
        (typeof CARD_TYPES)[number],
        ReturnType<typeof rate>
      >,
    ),
    t0SurchargeBps: z.int().check(z.minimum(SURCHARGE_BPS.min), z.maximum(SURCHARGE_BPS.max)),
    mccRiskLevels: z.array(z.enum(PLAN_RISK_LEVELS)).check(z.minLength(1), z.maxLength(2)),
  }),
);

/** `POST /v1/merchants/{merchantNo}/fee-plan`. */
export const merchantFeePlanSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    feePlanCode: z.string().check(z.regex(FEE_PLAN_CODE)),
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  }),
);

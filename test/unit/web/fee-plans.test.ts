import { describe, expect, it } from 'vitest';
import type { FeePlanView } from '../../../web/common/api';
import { plansForMcc } from '../../../web/console/src/fee-plan-offer';

/** A plan as `GET /v1/fee-plans` lists it. */
function plan(code: string, mccRiskLevels: FeePlanView['mccRiskLevels']): FeePlanView {
  return {
    code,
    version: 1,
    name: code,
    rates: { DEBIT: { bps: 50, capFen: 2000 }, CREDIT: { bps: 60 }, QR: { bps: 38 } },
    t0SurchargeBps: 5,
    mccRiskLevels,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'system',
  };
}

const PLANS = [plan('DEFAULT-LOW', ['LOW']), plan('DEFAULT-HIGH', ['HIGH']), plan('RETAIL', ['LOW', 'HIGH'])];

describe('the fee plans the console offers for an MCC', () => {
  it('offers the plans of the MCC risk level, with that level’s default', () => {
    // 5411 (grocery) is LOW.
    const offer = plansForMcc(PLANS, '5411');
    expect(offer.level).toBe('LOW');
    expect(offer.defaultCode).toBe('DEFAULT-LOW');
    expect(offer.plans.map((p) => p.code)).toEqual(['DEFAULT-LOW', 'RETAIL']);
  });

  it('offers a HIGH-risk MCC its own default, and a PROHIBITED one every plan (never approved anyway)', () => {
    // 8299 (training schools) is HIGH; 7995 (betting) is PROHIBITED.
    expect(plansForMcc(PLANS, '8299')).toMatchObject({ level: 'HIGH', defaultCode: 'DEFAULT-HIGH' });
    expect(plansForMcc(PLANS, '8299').plans.map((p) => p.code)).toEqual(['DEFAULT-HIGH', 'RETAIL']);
    expect(plansForMcc(PLANS, '7995')).toMatchObject({ level: undefined, defaultCode: undefined });
  });

  it('offers every plan, and no default, for an MCC the reference does not know (the API decides)', () => {
    const offer = plansForMcc(PLANS, '0000');
    expect(offer).toMatchObject({ level: undefined, defaultCode: undefined });
    expect(offer.plans).toHaveLength(3);
    expect(plansForMcc(PLANS, undefined).plans).toHaveLength(3);
  });
});

import { defaultPlanCode, type PlanRiskLevel, planRiskLevelOf } from '../../../shared/fee-plans/plan';
import { findMcc } from '../../../shared/reference/mcc';
import type { FeePlanView } from '../../common/api';

/**
 * The fee plans a merchant of an MCC may be given (the plan's `mccRiskLevels`), and that risk
 * level's default plan code. An MCC the reference does not know lists every plan (the API decides).
 */
export function plansForMcc(
  plans: readonly FeePlanView[],
  mcc: string | undefined,
): { level: PlanRiskLevel | undefined; defaultCode: string | undefined; plans: FeePlanView[] } {
  const found = mcc ? findMcc(mcc) : undefined;
  const level = found ? planRiskLevelOf(found.riskLevel) : undefined;
  return {
    level,
    defaultCode: level ? defaultPlanCode(level) : undefined,
    plans: plans.filter((plan) => !level || plan.mccRiskLevels.includes(level)),
  };
}

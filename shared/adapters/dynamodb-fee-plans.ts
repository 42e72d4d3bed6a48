import type { FeePlan, FeePlanRef } from '../fee-plans/plan';
import * as keys from '../keys';
import type { FeePlanRepository } from '../ports/agreements';
import { stripKeys } from './dynamodb-applications';
import { ConditionFailedError, type DynamoTable } from './dynamodb-table';

/** The attributes of a plan (keys and bookkeeping stripped). */
function planOf(item: Record<string, unknown>): FeePlan {
  const { code, version, name, rates, t0SurchargeBps, mccRiskLevels, createdAt, createdBy } = stripKeys(
    item as FeePlan & Record<string, unknown>,
  );
  return { code, version, name, rates, t0SurchargeBps, mccRiskLevels, createdAt, createdBy };
}

/** Fee plans in the one table: one item per version, one list entry per code. */
export class DynamoFeePlanRepository implements FeePlanRepository {
  constructor(private readonly table: DynamoTable) {}

  async current(code: string): Promise<FeePlan | undefined> {
    const item = await this.table.get(keys.feePlanCurrent(code));
    return item ? planOf(item) : undefined;
  }

  async version(ref: FeePlanRef): Promise<FeePlan | undefined> {
    const item = await this.table.get(keys.feePlanVersion(ref.code, ref.version));
    return item ? planOf(item) : undefined;
  }

  async listCurrent(): Promise<FeePlan[]> {
    const plans: FeePlan[] = [];
    let startKey: Record<string, unknown> | undefined;
    // Operators publish tens of plans, not thousands: a few pages at most.
    for (let page = 0; page < 10; page++) {
      const out = await this.table.query({
        keyCondition: 'pk = :pk',
        values: { ':pk': keys.feePlanList().pk },
        limit: 100,
        startKey,
      });
      plans.push(...out.items.map(planOf));
      startKey = out.lastKey;
      if (!startKey) break;
    }
    return plans;
  }

  async publish(plan: FeePlan): Promise<boolean> {
    try {
      await this.table.transact([
        {
          put: { ...keys.feePlanVersion(plan.code, plan.version), ...plan },
          condition: 'attribute_not_exists(pk)',
        },
        plan.version === 1
          ? { put: { ...keys.feePlanCurrent(plan.code), ...plan }, condition: 'attribute_not_exists(pk)' }
          : {
              put: { ...keys.feePlanCurrent(plan.code), ...plan },
              condition: '#version = :previous',
              names: { '#version': 'version' },
              values: { ':previous': plan.version - 1 },
            },
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }
}

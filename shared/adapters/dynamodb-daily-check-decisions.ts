import { ulid } from 'ulid';
import type { MerchantStatus } from '../domain/merchant';
import * as keys from '../keys';
import type {
  DailyCheckDecisions,
  DecisionOutcome,
  LimitsWrite,
  MerchantLimitsReader,
  MerchantProfile,
  StoredLimits,
  TaskDecision,
} from '../ports/daily-checks';
import { decisionWrites, transactRetrying } from './dynamodb-review-bookkeeping';
import { ConditionFailedError, type DynamoTable, type Item, type TransactionWrite } from './dynamodb-table';

/**
 * A merchant as the daily checks see it, and its limits: the base of their adapters (the decisions
 * below, and the stores of dynamodb-daily-checks.ts), each carrying only what its port names.
 */
export class DynamoMerchantLimitsReader implements MerchantLimitsReader {
  constructor(protected readonly table: DynamoTable) {}

  async merchantProfile(merchantNo: string): Promise<MerchantProfile | undefined> {
    const item = await this.table.get<Item>(keys.merchant(merchantNo));
    if (!item) return undefined;
    const business = item.business as { address?: { divisionCode?: string } } | undefined;
    const contact = item.contact as { email?: string; phone?: string } | undefined;
    return {
      merchantNo,
      type: item.type as MerchantProfile['type'],
      status: item.status as MerchantStatus,
      divisionCode: business?.address?.divisionCode ?? '',
      locale: item.locale === 'en' ? 'en' : 'zh-CN',
      contact: { email: contact?.email ?? '', phone: contact?.phone ?? '' },
    };
  }

  async storedLimits(merchantNo: string): Promise<StoredLimits | undefined> {
    const item = await this.table.get<Item>(keys.limits(merchantNo));
    if (!item) return undefined;
    return {
      limits: (item.limits ?? {}) as StoredLimits['limits'],
      version: Number(item.version ?? 0),
      updatedAt: item.updatedAt as string | undefined,
      updatedBy: item.updatedBy as string | undefined,
    };
  }
}

/**
 * What deciding a RISK_ALERT or LIMIT_INCREASE task reads and writes: the merchant and its limits,
 * then the decision with its effect in one transaction. Apart from the daily checks' stores so
 * that the review route, which decides every kind of task, does not carry their counters, pages
 * and summaries, and they do not carry the decision.
 */
export class DynamoDailyCheckDecisions extends DynamoMerchantLimitsReader implements DailyCheckDecisions {
  async decide(input: TaskDecision): Promise<DecisionOutcome> {
    const { task } = input;
    const writes: TransactionWrite[] = decisionWrites(task, {
      decision: input.decision,
      reasons: input.reasons,
      checks: {},
      decidedBy: input.decidedBy,
      decidedAt: input.decidedAt,
    });
    const effect = input.effect;
    if (effect.kind === 'suspend-merchant') {
      writes.push({
        update: keys.merchant(effect.merchantNo),
        expression:
          'SET statusBeforeSuspension = if_not_exists(statusBeforeSuspension, #status), #status = :suspended, suspendedAt = :at, suspension = :suspension, updatedAt = :at',
        condition: 'attribute_exists(pk) AND #status <> :closed',
        names: { '#status': 'status' },
        values: {
          ':suspended': 'SUSPENDED',
          ':closed': 'CLOSED',
          ':at': input.decidedAt,
          ':suspension': { taskId: task.taskId, by: input.decidedBy, at: input.decidedAt },
        },
      });
    } else if (effect.kind === 'suspend-terminal') {
      const suspension = { taskId: task.taskId, by: input.decidedBy, at: input.decidedAt };
      writes.push(
        {
          update: keys.terminal(effect.serialNumber),
          expression: 'SET suspended = :true, suspension = :suspension',
          condition: 'merchantNo = :merchant',
          values: { ':true': true, ':suspension': suspension, ':merchant': effect.merchantNo },
        },
        {
          update: keys.merchantTerminal(effect.merchantNo, effect.serialNumber),
          expression: 'SET suspended = :true, suspension = :suspension',
          condition: 'attribute_exists(pk)',
          values: { ':true': true, ':suspension': suspension },
        },
        {
          put: {
            ...keys.terminalHistory(effect.serialNumber, input.decidedAt, ulid()),
            action: 'SUSPENDED',
            merchantNo: effect.merchantNo,
            at: input.decidedAt,
            actor: `staff:${input.decidedBy}`,
            reason: `risk alert ${task.taskId}`,
          },
        },
      );
    } else if (effect.kind === 'set-limits') {
      writes.push(
        ...limitWrites({
          merchantNo: effect.merchantNo,
          limits: effect.limits,
          expectedVersion: effect.expectedVersion,
          at: input.decidedAt,
          actor: `staff:${input.decidedBy}`,
          reason: effect.reason,
          source: effect.source,
          taskId: task.taskId,
        }),
      );
    }
    if (input.closesRequest) {
      writes.push({
        delete: keys.openLimitRequest(input.closesRequest.merchantNo, input.closesRequest.cardType),
        condition: 'taskId = :task',
        values: { ':task': task.taskId },
      });
    }
    try {
      await transactRetrying(this.table, writes);
      return 'DECIDED';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return error.failedIndexes.includes(0) ? 'TASK_CHANGED' : 'SUBJECT_CHANGED';
    }
  }
}

/** A replacement of a merchant's limits and its audit entry (the operator's change, or a decision's effect). */
export function limitWrites(input: LimitsWrite): TransactionWrite[] {
  const key = keys.limits(input.merchantNo);
  return [
    {
      put: {
        ...key,
        merchantNo: input.merchantNo,
        limits: input.limits,
        version: input.expectedVersion + 1,
        updatedAt: input.at,
        updatedBy: input.actor,
        source: input.source,
      },
      condition: input.expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(input.expectedVersion === 0 ? {} : { values: { ':v': input.expectedVersion } }),
    },
    {
      put: {
        ...keys.limitAudit(input.merchantNo, input.at, ulid()),
        action: 'LIMITS_CHANGED',
        at: input.at,
        actor: input.actor,
        reason: input.reason,
        source: input.source,
        version: input.expectedVersion + 1,
        // The card types of the merchant's own limits after the change (all of them, like
        // `limits`): the audit route compares an entry with the one before it to say what changed.
        // Never more than ids and figures.
        fields: Object.keys(input.limits).map((card) => `limits.${card}`),
        limits: input.limits,
        ...(input.taskId ? { taskId: input.taskId } : {}),
      },
    },
  ];
}

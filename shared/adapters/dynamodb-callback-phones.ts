import type { ReviewTaskRecord } from '../domain/review';
import * as keys from '../keys';
import type { CallbackPhone, CallbackPhones } from '../ports/reviews';
import type { DynamoTable } from './dynamodb-table';

/** The string at `path` of a plain item, if it is one. */
function stringAt(item: Record<string, unknown> | undefined, ...path: string[]): string | undefined {
  let value: unknown = item;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads the call-back number straight from the subject's item: phones are not field-encrypted (the
 * table's KMS key protects them at rest), so no field is opened and no KMS call is made; the other
 * attributes of the item are read by DynamoDB but never leave this function.
 */
export class DynamoCallbackPhones implements CallbackPhones {
  constructor(private readonly table: DynamoTable) {}

  async of(task: ReviewTaskRecord): Promise<CallbackPhone | undefined> {
    if (task.kind === 'APPLICATION') {
      const phone = stringAt(
        await this.table.get(keys.application(task.subjectId)),
        'body',
        'contact',
        'phone',
      );
      return phone ? { of: 'application', id: task.subjectId, phone } : undefined;
    }
    // RISK_ALERT and LIMIT_INCREASE tasks name their merchant themselves.
    const subject =
      task.kind === 'RISK_ALERT' || task.kind === 'LIMIT_INCREASE'
        ? task.merchantNo
        : task.kind === 'CHANGE_REQUEST'
          ? stringAt(await this.table.get(keys.changeRequest(task.subjectId)), 'merchantNo')
          : stringAt(await this.table.get(keys.transferRequest(task.subjectId)), 'fromMerchantNo');
    if (!subject) return undefined;
    const phone = stringAt(await this.table.get(keys.merchant(subject)), 'contact', 'phone');
    return phone ? { of: 'merchant', id: subject, phone } : undefined;
  }
}

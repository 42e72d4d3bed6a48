import type { ItemChangeMapper } from '../events/types';

/*
 * The domain events of the daily checks (spec section 9), read off the table's change stream:
 * `risk_alert.opened` (a RISK_ALERT review task created), `limits.changed` (a merchant's limits
 * item at a new version); a suspension is the merchant's own `merchant.suspended`
 * (shared/merchants/events.ts). Ids, statuses, card types and counts only.
 */

/** A RISK_ALERT task that did not exist before. */
export const riskAlertOpened: ItemChangeMapper = ({ oldImage, newImage }) => {
  if (oldImage || newImage?.sk !== 'TASK' || newImage.kind !== 'RISK_ALERT') return [];
  return [
    {
      type: 'risk_alert.opened',
      data: {
        alertId: String(newImage.taskId),
        taskId: String(newImage.taskId),
        merchantNo: String(newImage.merchantNo),
        rule: String(newImage.rule),
        day: String(newImage.day),
        serialNumber: typeof newImage.serialNumber === 'string' ? newImage.serialNumber : null,
        status: 'PENDING',
      },
    },
  ];
};

/** The limits item of a merchant at a new version (operator, approved request, lowered by a reviewer). */
export const limitsChanged: ItemChangeMapper = ({ oldImage, newImage }) => {
  if (newImage?.sk !== 'LIMIT' || oldImage?.version === newImage.version) return [];
  return [
    {
      type: 'limits.changed',
      data: {
        merchantNo: String(newImage.merchantNo),
        version: Number(newImage.version),
        source: String(newImage.source),
        cardTypes: Object.keys((newImage.limits ?? {}) as object).join(','),
      },
    },
  ];
};

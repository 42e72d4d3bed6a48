import { enteredStatus, sortKeyOf, statuses, text } from '../events/changes';
import type { ItemChangeMapper } from '../events/types';

/**
 * Merchant items (`MER#<merchantNo>`, sort key `MER`; the family's other items — terminal list,
 * versions, the open-change marker — publish nothing here): `merchant.activated` when it becomes
 * ACTIVE, `merchant.suspended` when it becomes SUSPENDED.
 */
export const merchantEvents: ItemChangeMapper = (change) => {
  if (sortKeyOf(change) !== 'MER' || change.newImage === undefined) return [];
  const entered = enteredStatus(change);
  const type =
    entered === 'ACTIVE' ? 'merchant.activated' : entered === 'SUSPENDED' ? 'merchant.suspended' : undefined;
  if (type === undefined || entered === undefined) return [];
  return [
    {
      type,
      data: {
        merchantNo: text(change.newImage, 'merchantNo') ?? null,
        status: entered,
        previousStatus: statuses(change).before ?? null,
      },
    },
  ];
};

import { enteredStatus, sortKeyOf, text } from '../events/changes';
import type { DomainEventType, ItemChangeMapper } from '../events/types';

const CHANGE_REQUEST_EVENTS: Readonly<Record<string, DomainEventType>> = {
  APPLIED: 'change_request.applied',
  REJECTED: 'change_request.rejected',
  STALE: 'change_request.stale',
};

/**
 * Change requests (`CHANGE#<id>`): applied, rejected or stale. Data: ids, the status, the merchant
 * version it produced, and the names (never the values) of the changed fields.
 */
export const changeRequestEvents: ItemChangeMapper = (change) => {
  if (sortKeyOf(change) !== 'CHANGE') return [];
  const entered = enteredStatus(change);
  const type = entered === undefined ? undefined : CHANGE_REQUEST_EVENTS[entered];
  if (type === undefined || entered === undefined) return [];
  const image = change.newImage;
  const fields = image?.fields;
  const version = image?.appliedVersion;
  return [
    {
      type,
      data: {
        changeRequestId: text(image, 'changeRequestId') ?? null,
        merchantNo: text(image, 'merchantNo') ?? null,
        status: entered,
        appliedVersion: typeof version === 'number' ? version : null,
        fields: Array.isArray(fields) ? fields.filter((field) => typeof field === 'string').join(',') : null,
      },
    },
  ];
};

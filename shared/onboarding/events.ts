import { enteredStatus, sortKeyOf, statuses, text } from '../events/changes';
import type { DomainEventType, ItemChangeMapper } from '../events/types';

/** The event of each application state a change can enter (spec 9). */
const APPLICATION_EVENTS: Readonly<Record<string, DomainEventType>> = {
  SUBMITTED: 'application.submitted',
  NEEDS_CHANGES: 'application.needs_changes',
  APPROVED: 'application.approved',
  REJECTED: 'application.rejected',
  EXPIRED: 'application.expired',
  WITHDRAWN: 'application.withdrawn',
};

/**
 * Application items (`APP#<id>`, sort key `APP`): one event per state entered. (A draft never
 * submitted expires without a write, it only reads as EXPIRED: it publishes nothing; nor does the
 * retention sweep's audit stub, with `purgedAt`, which stores that EXPIRED months later.) Data:
 * ids and statuses only.
 */
export const applicationEvents: ItemChangeMapper = (change) => {
  if (sortKeyOf(change) !== 'APP' || change.newImage === undefined) return [];
  if (text(change.newImage, 'purgedAt') !== undefined) return [];
  const entered = enteredStatus(change);
  const type = entered === undefined ? undefined : APPLICATION_EVENTS[entered];
  if (entered === undefined || type === undefined) return [];
  const image = change.newImage;
  return [
    {
      type,
      data: {
        applicationId: text(image, 'applicationId') ?? null,
        status: entered,
        previousStatus: statuses(change).before ?? null,
        ...(entered === 'APPROVED'
          ? { merchantNo: text(image, 'merchantNo') ?? null, terminalId: text(image, 'terminalId') ?? null }
          : {}),
      },
    },
  ];
};

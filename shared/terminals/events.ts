import { enteredStatus, sortKeyOf, text } from '../events/changes';
import type { ItemChangeMapper } from '../events/types';

/**
 * Terminal items (`TERM#<sn>`, sort key `TERM`; history entries publish nothing): a binding that
 * ends is `terminal.unbound` (with the old merchant), a new binding `terminal.bound` (with the new
 * one) — a completed transfer is both — and activation `terminal.activated`.
 */
export const terminalEvents: ItemChangeMapper = (change) => {
  if (sortKeyOf(change) !== 'TERM') return [];
  const { oldImage, newImage } = change;
  const serialNumber = text(newImage ?? oldImage, 'serialNumber') ?? null;
  const before = text(oldImage, 'merchantNo');
  const after = text(newImage, 'merchantNo');
  const events: ReturnType<ItemChangeMapper>[number][] = [];
  if (before !== undefined && before !== after) {
    events.push({
      type: 'terminal.unbound',
      data: { serialNumber, merchantNo: before, terminalId: text(oldImage, 'terminalId') ?? null },
    });
  }
  if (after !== undefined && after !== before) {
    events.push({
      type: 'terminal.bound',
      data: {
        serialNumber,
        merchantNo: after,
        terminalId: text(newImage, 'terminalId') ?? null,
        status: text(newImage, 'status') ?? null,
      },
    });
  }
  if (enteredStatus(change) === 'ACTIVATED') {
    events.push({
      type: 'terminal.activated',
      data: {
        serialNumber,
        merchantNo: after ?? null,
        terminalId: text(newImage, 'terminalId') ?? null,
        status: 'ACTIVATED',
      },
    });
  }
  return events;
};

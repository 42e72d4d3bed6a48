import { enteredStatus, sortKeyOf, text } from '../events/changes';
import type { ItemChangeMapper } from '../events/types';

/** Transfer requests (`TRANSFER#<id>`): `transfer.completed` when the terminal moved. */
export const transferEvents: ItemChangeMapper = (change) => {
  if (sortKeyOf(change) !== 'TRANSFER' || enteredStatus(change) !== 'COMPLETED') return [];
  const image = change.newImage;
  return [
    {
      type: 'transfer.completed',
      data: {
        transferRequestId: text(image, 'transferRequestId') ?? null,
        serialNumber: text(image, 'serialNumber') ?? null,
        fromMerchantNo: text(image, 'fromMerchantNo') ?? null,
        toMerchantNo: text(image, 'toMerchantNo') ?? null,
        terminalId: text(image, 'toTerminalId') ?? null,
        status: 'COMPLETED',
      },
    },
  ];
};

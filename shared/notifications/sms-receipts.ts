import { logger } from '../logger';
import type { DeliveryReceipts } from '../ports/merchants';
import type { SmsReceiptSource } from '../ports/notifications';

/**
 * Most receipts a source returns per pull (Tencent Cloud's PullSmsSendStatus limit); a pull that
 * returns fewer has none left.
 */
export const RECEIPTS_PER_PULL = 100;

/** What recording SMS delivery receipts needs. */
export interface SmsReceiptDeps {
  readonly source: SmsReceiptSource;
  readonly receipts: DeliveryReceipts;
}

/** How one run went, in counts (numbers and addresses never leave the provider's answer). */
export interface SmsReceiptOutcome {
  readonly pulled: number;
  /** Recorded on the send record they belong to. */
  readonly recorded: number;
  readonly delivered: number;
  readonly undelivered: number;
  /** Without a reference of ours, or naming a send record that holds another provider id. */
  readonly unmatched: number;
}

/**
 * Pulls the provider's delivery receipts, batch after batch until one comes back short (at most
 * `maxBatches` per run, so a backlog drains over a few runs within the function's timeout), and
 * records each on the send record named by the reference the provider echoed, only if that record
 * was sent with the receipt's provider message id. What a receipt says never changes a send's
 * status: a message the provider accepted stays SENT, exactly once; the receipt adds whether the
 * handset got it.
 */
export async function recordSmsReceipts(
  deps: SmsReceiptDeps,
  options: { readonly maxBatches: number },
): Promise<SmsReceiptOutcome> {
  const counts = { pulled: 0, recorded: 0, delivered: 0, undelivered: 0, unmatched: 0 };
  for (let batch = 0; batch < options.maxBatches; batch += 1) {
    const receipts = await deps.source.pull();
    counts.pulled += receipts.length;
    for (const receipt of receipts) {
      counts[receipt.delivered ? 'delivered' : 'undelivered'] += 1;
      const recorded =
        receipt.reference !== undefined &&
        (await deps.receipts.recordDelivery({
          ...receipt.reference,
          channel: 'SMS',
          providerMessageId: receipt.providerMessageId,
          delivery: receipt.delivered ? 'DELIVERED' : 'UNDELIVERED',
          at: receipt.at,
          ...(receipt.detail === undefined ? {} : { detail: receipt.detail }),
        }));
      counts[recorded ? 'recorded' : 'unmatched'] += 1;
    }
    if (receipts.length < RECEIPTS_PER_PULL) break;
  }
  logger.info('SMS delivery receipts recorded', counts);
  return counts;
}

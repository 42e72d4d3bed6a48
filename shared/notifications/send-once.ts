import { logger } from '../logger';
import type { Clock } from '../ports';
import type { SendRecordRepository } from '../ports/merchants';

/** Outcome of one exactly-once send. */
export type SendOutcome = 'SENT' | 'ALREADY_CLAIMED' | 'FAILED';

/**
 * Sends one message at most once per (subject, template, channel): the send record is claimed
 * with a conditional write before the provider is called, and the provider's message id stored
 * after. A failed send is recorded FAILED (so a retry may claim it again) and reported, never
 * thrown, so one channel's failure does not stop the other; callers throw after both so the
 * workflow retries with backoff.
 */
export async function sendOnce(
  deps: { sends: SendRecordRepository; clock: Clock },
  input: { subjectId: string; template: string; channel: 'EMAIL' | 'SMS'; maskedRecipient: string },
  send: () => Promise<string>,
): Promise<SendOutcome> {
  const { subjectId, template, channel } = input;
  const at = () => deps.clock.now().toISOString();
  if (
    !(await deps.sends.claim({ subjectId, template, channel, recipient: input.maskedRecipient, at: at() }))
  ) {
    return 'ALREADY_CLAIMED';
  }
  try {
    const providerMessageId = await send();
    await deps.sends.complete({ subjectId, template, channel, status: 'SENT', providerMessageId, at: at() });
    return 'SENT';
  } catch (error) {
    await deps.sends.complete({ subjectId, template, channel, status: 'FAILED', at: at() });
    logger.error('notification failed', { subjectId, template, channel, errorName: (error as Error).name });
    return 'FAILED';
  }
}

/** Throws when any send failed, so the workflow step is retried (sent ones are not sent again). */
export function throwIfAnyFailed(outcomes: readonly SendOutcome[]): void {
  const failed = outcomes.filter((outcome) => outcome === 'FAILED').length;
  if (failed > 0) throw new Error(`${failed} notification(s) failed`);
}

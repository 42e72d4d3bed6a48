import type { Deadlines } from '../config/env';

/**
 * The two waits of every review (ASL `TimeoutSecondsPath`, from the execution input): until the
 * escalation, then on to the final deadline.
 */
export interface ReviewWaits {
  readonly reviewEscalationSeconds: number;
  readonly reviewFinalExtraSeconds: number;
}

/** The review waits of the configured deadlines (the final one counted from the escalation). */
export function reviewWaits(deadlines: Deadlines): ReviewWaits {
  return {
    reviewEscalationSeconds: deadlines.reviewEscalationSeconds,
    reviewFinalExtraSeconds: deadlines.reviewFinalSeconds - deadlines.reviewEscalationSeconds,
  };
}

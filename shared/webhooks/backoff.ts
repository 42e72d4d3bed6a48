/*
 * When a failed webhook delivery is tried again: exponential backoff with jitter. The n-th retry
 * waits between half and all of `base × 2^(n-1)` seconds, at most 12 hours (the longest an SQS
 * message can stay invisible); past the maximum age of the delivery it is FAILED instead.
 */

/** The longest wait between two attempts (SQS visibility timeout limit). */
export const MAX_RETRY_DELAY_SECONDS = 12 * 3600;

/**
 * Seconds to wait after the `attempt`-th failed attempt (1 for the first), with `random` in
 * [0, 1) for the jitter; at least 1.
 */
export function retryDelaySeconds(attempt: number, baseSeconds: number, random: number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(ceiling / 2 + (ceiling / 2) * random));
}

import type { Channel, SuppressionReason } from '../domain/notification';

/**
 * Ports of the notification guards. Addresses reach them only as keyed hashes (HMAC), so the table
 * never holds an email address or phone number outside the records that need it.
 */

/** Addresses that bounced, complained or opted out: nothing is sent to them again. */
export interface SuppressionList {
  isSuppressed(channel: Channel, addressHash: string): Promise<boolean>;
  /** Records the address as suppressed; recording it again keeps the first entry. */
  suppress(entry: {
    channel: Channel;
    addressHash: string;
    reason: SuppressionReason;
    at: string;
    /** Provider detail such as the bounce type (never the address). */
    detail?: string;
  }): Promise<void>;
}

/** The per-phone SMS limit (abuse protection). */
export interface SmsQuota {
  /**
   * Atomically counts one SMS to the phone in the clock hour of `at`, unless `limit` were counted
   * in that hour already: `false` then, and nothing is counted.
   */
  take(phoneHash: string, at: Date, limit: number): Promise<boolean>;
}

/** Thrown by an SMS sender when the provider reports that the recipient opted out of SMS. */
export class RecipientOptedOutError extends Error {
  override readonly name = 'RecipientOptedOutError';
}

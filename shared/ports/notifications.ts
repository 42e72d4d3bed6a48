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

/**
 * The hourly counter a message counts against, per address (abuse protection): nobody can make
 * the acquirer flood a phone or a mailbox.
 */
export type SendQuotaPool =
  /** Every SMS to a phone, except those that carry an activation code. */
  | 'SMS'
  /**
   * SMS that carry a terminal activation code: a counter of their own, so that other traffic to
   * the phone (verification codes anyone may request, notices) cannot use up the code's.
   */
  | 'SMS_ACTIVATION_CODE'
  /** Every email to an address. */
  | 'EMAIL';

/** Per-address hourly send limits. */
export interface SendQuota {
  /**
   * Atomically counts one message of `pool` to the address (its keyed hash) in the clock hour of
   * `at`, unless `limit` were counted in that hour already: `false` then, and nothing is counted.
   */
  take(pool: SendQuotaPool, addressHash: string, at: Date, limit: number): Promise<boolean>;
}

/** Thrown by an SMS sender when the provider reports that the recipient opted out of SMS. */
export class RecipientOptedOutError extends Error {
  override readonly name = 'RecipientOptedOutError';
}

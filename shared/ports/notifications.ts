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

/**
 * Thrown by a mailer or an SMS sender when the provider refuses the recipient for good (a
 * permanent rejection of the address, an opt-out): a fact about the recipient, not a failure to
 * retry. The exactly-once sender suppresses the address with `reason`.
 */
export class RecipientRefusedError extends Error {
  override readonly name: string = 'RecipientRefusedError';
  constructor(
    message: string,
    readonly reason: SuppressionReason,
    /** Provider detail (a reply code, never the address). */
    readonly detail?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Thrown by an SMS sender when the provider reports that the recipient opted out of SMS. */
export class RecipientOptedOutError extends RecipientRefusedError {
  override readonly name = 'RecipientOptedOutError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'OPT_OUT', undefined, options);
  }
}

/** One delivery receipt of an SMS provider. */
export interface SmsReceipt {
  /** The provider's id of the message (what the send record holds as `providerMessageId`). */
  readonly providerMessageId: string;
  /** The send record it belongs to, as the provider echoed it; absent for messages not sent by us. */
  readonly reference: { readonly subjectId: string; readonly template: string } | undefined;
  readonly delivered: boolean;
  /** When the handset received it (or the carrier gave up), ISO 8601. */
  readonly at: string;
  /** The carrier's status code of an undelivered message (never the number). */
  readonly detail?: string;
}

/** Delivery receipts of a provider that reports them on request (each is returned once). */
export interface SmsReceiptSource {
  /** The receipts not pulled before (at most one batch). */
  pull(): Promise<SmsReceipt[]>;
}

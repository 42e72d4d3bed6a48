/**
 * Notifications as the rest of the domain sees them: channels, what a subject's timeline records
 * about a message that did not reach its recipient, and why an address is suppressed.
 */

/** The channels a message goes out on. */
export type Channel = 'EMAIL' | 'SMS';

/** Timeline actions for a message that was not delivered (each with channel, template and masked recipient). */
export type NotificationAction =
  /** The provider failed on every attempt. */
  | 'NOTIFICATION_FAILED'
  /** The address bounced, complained or opted out earlier: nothing was sent. */
  | 'NOTIFICATION_SUPPRESSED'
  /** The phone already received the hourly maximum of SMS: nothing was sent. */
  | 'NOTIFICATION_RATE_LIMITED'
  /** The provider may have accepted it, but the outcome was not recorded: it is not sent again. */
  | 'NOTIFICATION_UNCONFIRMED';

/** The notification part of a timeline entry: the masked recipient, never the address itself. */
export interface NotificationNote {
  readonly channel: Channel;
  readonly template: string;
  readonly recipient: string;
}

/** Why an address is on the suppression list. */
export type SuppressionReason = 'BOUNCE' | 'COMPLAINT' | 'OPT_OUT';

/** A mainland mobile (`13800138000`) in E.164 (`+8613800138000`); E.164 numbers are kept as they are. */
export function toE164(phone: string): string {
  return phone.startsWith('+') ? phone : `+86${phone}`;
}

/**
 * The one spelling of an address that its keyed hash is taken of: SES reports bounces with the
 * address as the recipient's server wrote it, and the provider reports opt-outs in E.164.
 */
export function normalizedAddress(channel: Channel, address: string): string {
  return channel === 'EMAIL' ? address.trim().toLowerCase() : toE164(address.trim());
}

/**
 * The dependencies a step picks to email and text the merchant exactly once (send records,
 * suppression list by keyed hash, per-phone SMS limit, the providers, the clock and the SMS
 * signature): `Pick<Deps, 'merchants' | MessagingKeys>`.
 */
export type MessagingKeys =
  | 'sends'
  | 'suppressions'
  | 'sendQuota'
  | 'hasher'
  | 'mailer'
  | 'sms'
  | 'clock'
  | 'config';

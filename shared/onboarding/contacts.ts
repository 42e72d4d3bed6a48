import { type ApplicationRecord, contactVerified } from '../domain/application';
import { type Channel, normalizedAddress } from '../domain/notification';

/*
 * The contact channels of an application as verification (spec 6) sees them: which address each
 * channel has, which are verified, and which verifications a corrected body keeps.
 */

/** The channels a contact is verified on. */
export const CONTACT_CHANNELS = ['SMS', 'EMAIL'] as const;

/** The contact field of each channel (field paths of errors). */
export const CONTACT_FIELD: Readonly<Record<Channel, 'contact.phone' | 'contact.email'>> = {
  SMS: 'contact.phone',
  EMAIL: 'contact.email',
};

/** The contact address of a channel. */
export function contactAddress(record: ApplicationRecord, channel: Channel): string {
  return channel === 'SMS' ? record.body.contact.phone : record.body.contact.email;
}

/** The unverified contact channels of an application, as submit reports them. */
export function unverifiedContacts(record: ApplicationRecord) {
  return CONTACT_CHANNELS.filter((channel) => !contactVerified(record, channel)).map((channel) => ({
    field: CONTACT_FIELD[channel],
    code: 'UNVERIFIED',
    message:
      channel === 'SMS'
        ? 'Verify the contact phone first: POST …/verifications {"channel": "SMS"}, then confirm the code'
        : 'Verify the contact email first: POST …/verifications {"channel": "EMAIL"}, then confirm the code',
  }));
}

/**
 * The verifications a corrected body keeps: a changed phone or email loses its own (spec 6). An
 * application from before verification keeps having none recorded until an address changes.
 */
export function keptVerifications(
  record: ApplicationRecord,
  body: ApplicationRecord['body'],
): ApplicationRecord['contactVerifications'] {
  const changed = (channel: Channel) =>
    normalizedAddress(channel, contactAddress(record, channel)) !==
    normalizedAddress(channel, channel === 'SMS' ? body.contact.phone : body.contact.email);
  if (record.contactVerifications === undefined && !CONTACT_CHANNELS.some(changed)) return undefined;
  const kept: Partial<Record<Channel, string>> = {};
  for (const channel of CONTACT_CHANNELS) {
    // An application from before verification: its addresses in use count from its creation.
    const at =
      record.contactVerifications?.[channel] ??
      (contactVerified(record, channel) ? record.createdAt : undefined);
    if (at !== undefined && !changed(channel)) kept[channel] = at;
  }
  return kept;
}

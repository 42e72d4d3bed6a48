import type { Context, SNSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { addressHash } from '../../../shared/notifications/send-once';
import { notificationFakes } from '../../support/notification-fakes';

process.env.TABLE_NAME = 'unit';
for (const key of ['IDENTITY', 'ACTIVATION_CODE', 'ONE_TIME_CODE', 'NOTIFICATION_ADDRESS'])
  process.env[`HMAC_LOCAL_SECRET_${key}`] = 'unit-secret';
process.env.FIELD_CIPHER_LOCAL_KEY = 'unit-field-key';
const { makeHandler } = await import('../../../functions/handle-email-events');

/** SNS delivering SES events to the function, as the configuration set's event destination does. */
function snsEvent(...messages: string[]): SNSEvent {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:email-events:sub',
      Sns: {
        Type: 'Notification',
        MessageId: `m-${i}`,
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:email-events',
        Subject: '',
        Message,
        Timestamp: '2026-11-23T08:00:00.000Z',
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    })),
  };
}

const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

describe('handle-email-events', () => {
  it('suppresses bounced and complaining addresses by keyed hash, skipping what it cannot read', async () => {
    const fakes = notificationFakes();
    const handler = makeHandler({ ...fakes, clock: { now: () => new Date('2026-11-23T08:00:00Z') } });
    const bounce = {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'NoEmail',
        bouncedRecipients: [{ emailAddress: 'gone@example.com' }, { emailAddress: 'Moved@Example.com' }],
      },
      mail: { messageId: 'ses-1' },
    };
    const complaint = {
      eventType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'angry@example.com' }] },
    };
    const result = await handler(
      snsEvent(JSON.stringify(bounce), '{not json', JSON.stringify(complaint)),
      context,
    );
    expect(result.outcomes).toEqual([
      { kind: 'Bounce', suppressed: 2 },
      { kind: 'Complaint', suppressed: 1 },
    ]);
    for (const address of ['gone@example.com', 'moved@example.com', 'ANGRY@example.com']) {
      expect(
        await fakes.suppressions.isSuppressed('EMAIL', await addressHash(fakes.hasher, 'EMAIL', address)),
      ).toBe(true);
    }
    expect(
      await fakes.suppressions.isSuppressed('SMS', await addressHash(fakes.hasher, 'SMS', '13800138000')),
    ).toBe(false);
    expect(JSON.stringify([...fakes.suppressions.entries])).not.toMatch(/example\.com/);
    expect([...fakes.suppressions.entries.values()]).toContainEqual({
      reason: 'BOUNCE',
      detail: 'Permanent/NoEmail',
    });
  });
});

import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SmsSender } from '../ports';

/**
 * SMS through AWS End User Messaging SMS (`pinpoint-sms-voice-v2` SendTextMessage) rather than SNS:
 * it takes an explicit origination identity (needed for mainland sender registration), a
 * per-message context, opt-out lists and configuration-set event destinations; SNS SMS offers
 * none of these. Locally the same client reaches the SMS outbox endpoint.
 */
export class EndUserMessagingSmsSender implements SmsSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly originationIdentity: string,
  ) {}

  async send(message: { to: string; body: string; templateId: string }): Promise<string> {
    const out = await this.client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: message.to.startsWith('+') ? message.to : `+86${message.to}`,
        MessageBody: message.body,
        MessageType: 'TRANSACTIONAL',
        OriginationIdentity: this.originationIdentity || undefined,
        Context: { templateId: message.templateId },
      }),
    );
    return out.MessageId ?? '';
  }
}

/** The SMS sender of this deployment. */
export function smsSenderFromEnv(): EndUserMessagingSmsSender {
  return new EndUserMessagingSmsSender(
    new PinpointSMSVoiceV2Client({}),
    process.env.SMS_ORIGINATION_IDENTITY ?? '',
  );
}

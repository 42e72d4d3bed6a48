import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { readSmsOriginationIdentity } from '../config/env';
import { toE164 } from '../domain/notification';
import type { SmsSender } from '../ports';
import { RecipientOptedOutError } from '../ports/notifications';

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
    try {
      const out = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: toE164(message.to),
          MessageBody: message.body,
          MessageType: 'TRANSACTIONAL',
          OriginationIdentity: this.originationIdentity || undefined,
          Context: { templateId: message.templateId },
        }),
      );
      return out.MessageId ?? '';
    } catch (error) {
      // The number is on the account's opt-out list (the recipient replied TD/STOP): a fact about
      // the recipient, not a failure to retry.
      if (error instanceof ConflictException && error.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT') {
        throw new RecipientOptedOutError('The recipient opted out of SMS', { cause: error });
      }
      throw error;
    }
  }
}

/** The SMS sender of this deployment. */
export function smsSenderFromEnv(): EndUserMessagingSmsSender {
  return new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}), readSmsOriginationIdentity());
}

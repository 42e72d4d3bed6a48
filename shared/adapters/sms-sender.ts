import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { readSmsOriginationIdentity, readSmsProviderConfig, readSmsTransport } from '../config/env';
import { toE164 } from '../domain/notification';
import type { SmsMessage, SmsSender } from '../ports';
import { RecipientOptedOutError, type SmsReceiptSource } from '../ports/notifications';

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

  async send(message: SmsMessage): Promise<string> {
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

/**
 * The mainland provider's adapter, imported on first use: only the China profile's bundles
 * contain it (infra/house-function.ts), with the Secrets Manager client it reads its key with.
 */
function deferredTencentSms(): SmsSender & SmsReceiptSource {
  const config = readSmsProviderConfig();
  let adapter: Promise<SmsSender & SmsReceiptSource> | undefined;
  const load = () => {
    adapter ??= import('./tencent-sms').then((tencent) => tencent.tencentSmsFromEnv(config));
    // A failed import is not kept: the next message tries again.
    adapter.catch(() => {
      adapter = undefined;
    });
    return adapter;
  };
  return {
    send: async (message) => (await load()).send(message),
    pull: async () => (await load()).pull(),
  };
}

/**
 * The SMS sender of this deployment: End User Messaging SMS (the global profile, and the local
 * outbox in `npm run dev`), or the mainland provider where SMS_TRANSPORT says `tencent-cloud` (the
 * China profile). Its configuration is read now, at cold start, either way.
 */
export function smsSenderFromEnv(): SmsSender {
  if (readSmsTransport() === 'tencent-cloud') return deferredTencentSms();
  return new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}), readSmsOriginationIdentity());
}

/** The delivery receipts of this deployment's SMS provider, where it reports them on request. */
export function smsReceiptSourceFromEnv(): SmsReceiptSource {
  if (readSmsTransport() !== 'tencent-cloud')
    throw new Error('End User Messaging SMS publishes delivery events; it has no receipts to pull');
  return deferredTencentSms();
}

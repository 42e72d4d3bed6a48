import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { readEmailConfig } from '../config/env';
import type { EmailMessage, Mailer } from '../ports';

/**
 * Email through SES v2 (aws-ses-v2-local in `npm run dev`). With a configuration set, SES publishes
 * the bounces and complaints of every message to the topic that feeds the suppression list.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet = '',
  ) {}

  async send(message: EmailMessage): Promise<string> {
    const out = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        ConfigurationSetName: this.configurationSet || undefined,
        Destination: { ToAddresses: [...message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              Html: { Data: message.html, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    return out.MessageId ?? '';
  }
}

/** The mailer of this deployment. */
export function mailerFromEnv(): SesMailer {
  // No configuration set locally: the emulator has none (bounces are fed in by `/_local/email-events`).
  const { from, configurationSet } = readEmailConfig();
  return new SesMailer(new SESv2Client({}), from, configurationSet);
}

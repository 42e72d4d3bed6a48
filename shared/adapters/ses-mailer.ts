import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { readEmailConfig, readEmailTransport, readSmtpConfig } from '../config/env';
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

/**
 * A mailer whose module is imported on its first message: the SMTP adapter of the China profile,
 * which only that profile's bundles contain (infra/house-function.ts ships it, nodemailer and the
 * Secrets Manager client only where the profile sends email through a relay).
 */
class DeferredMailer implements Mailer {
  private mailer: Promise<Mailer> | undefined;
  constructor(private readonly load: () => Promise<Mailer>) {}
  async send(message: EmailMessage): Promise<string> {
    this.mailer ??= this.load();
    // A failed import is not kept: the next message tries again.
    this.mailer.catch(() => {
      this.mailer = undefined;
    });
    return (await this.mailer).send(message);
  }
}

/**
 * The mailer of this deployment: SES (the global profile, and the emulator in `npm run dev`), or
 * the SMTP relay where EMAIL_TRANSPORT says `smtp` (the China profile). Its configuration is read
 * now, at cold start, either way.
 */
export function mailerFromEnv(): Mailer {
  if (readEmailTransport() === 'smtp') {
    const config = readSmtpConfig();
    return new DeferredMailer(() => import('./smtp-mailer').then((smtp) => smtp.smtpMailerFromEnv(config)));
  }
  // No configuration set locally: the emulator has none (bounces are fed in by `/_local/email-events`).
  const { from, configurationSet } = readEmailConfig();
  return new SesMailer(new SESv2Client({}), from, configurationSet);
}

import { createTransport } from 'nodemailer';
import * as z from 'zod/mini';
import { readSmtpConfig, type SmtpConfig } from '../config/env';
import { logger } from '../logger';
import type { EmailMessage, Mailer } from '../ports';
import { RecipientRefusedError } from '../ports/notifications';
import { ProviderSecret } from './provider-secret';

/**
 * What the relay's secret holds: the SMTP AUTH user name and password, and optionally the PEM of
 * the CA that signed the relay's certificate (a relay inside the acquirer's network may use a
 * private CA; a public one needs none).
 */
export const SMTP_SECRET_SCHEMA = /* @__PURE__ */ z.object({
  username: z.string().check(z.minLength(1)),
  password: z.string().check(z.minLength(1)),
  ca: z.optional(z.string()),
});

/** The relay's credentials. */
export type SmtpCredentials = z.infer<typeof SMTP_SECRET_SCHEMA>;

/** Where the credentials come from: cached, or fresh after the relay refused the cached ones. */
export interface SmtpCredentialSource {
  get(): Promise<SmtpCredentials>;
  refresh(): Promise<SmtpCredentials>;
}

/** The relay and the sender. */
export interface SmtpMailerOptions {
  readonly from: string;
  readonly host: string;
  /** 465: TLS from the first byte; any other port: STARTTLS, required (never plain text). */
  readonly port: number;
  /** TLS from the first byte on another port than 465. @default port === 465 */
  readonly implicitTls?: boolean;
  readonly credentials: SmtpCredentialSource;
  /** Connection, greeting and socket timeouts. @default 10 s (within the functions' timeouts) */
  readonly timeoutMs?: number;
}

/** The parts of nodemailer's SMTP error that say what the relay answered. */
interface SmtpError {
  readonly code?: string;
  /** The command the relay answered (`RCPT TO` for a refused recipient, `MAIL FROM` for a refused sender). */
  readonly command?: string;
  readonly responseCode?: number;
  readonly response?: string;
}

/** `550 5.1.1 <x@y> user unknown` → `550 5.1.1` (the reply and enhanced codes, never the address). */
function replyCodes(error: SmtpError): string {
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(error.response ?? '')?.[1];
  return [error.responseCode, enhanced].filter((part) => part !== undefined).join(' ');
}

/**
 * Email through an SMTP relay (the China profile, where SES is not offered), with nodemailer: TLS
 * always (implicit on 465, STARTTLS required elsewhere; TLS 1.2 or later; the relay's certificate
 * verified against the system CAs or the secret's `ca`), SMTP AUTH with credentials from Secrets
 * Manager. What the relay reports while the message is handed over is used like SES's events:
 * - the recipient refused for good (a 5xx answer to RCPT TO) is a bounce: {@link RecipientRefusedError}
 *   with reason BOUNCE, so the exactly-once sender suppresses the address;
 * - a refused login (535, e.g. the credentials were rotated) reads the secret again, once;
 * - anything else (4xx, connection failures) is thrown, and the step retries.
 * A bounce the relay only reports later (a delivery status notification to the sender) does not
 * reach this adapter (docs/deploy.md).
 */
export class SmtpMailer implements Mailer {
  private readonly timeoutMs: number;

  constructor(private readonly options: SmtpMailerOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(message: EmailMessage): Promise<string> {
    try {
      return await this.sendWith(await this.options.credentials.get(), message);
    } catch (error) {
      if ((error as SmtpError).code !== 'EAUTH') throw this.classified(error);
      logger.warn('SMTP relay refused the cached credentials; reading the secret again');
      try {
        return await this.sendWith(await this.options.credentials.refresh(), message);
      } catch (retried) {
        throw this.classified(retried);
      }
    }
  }

  private async sendWith(credentials: SmtpCredentials, message: EmailMessage): Promise<string> {
    const { host, port, from } = this.options;
    const implicitTls = this.options.implicitTls ?? port === 465;
    const transport = createTransport({
      host,
      port,
      secure: implicitTls,
      requireTLS: !implicitTls,
      auth: { user: credentials.username, pass: credentials.password },
      tls: {
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
        ...(credentials.ca ? { ca: credentials.ca } : {}),
      },
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
      // No logger, no debug: they would write addresses and message bodies.
      logger: false,
      debug: false,
    });
    try {
      const info = await transport.sendMail({
        from,
        to: [...message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      return info.messageId;
    } finally {
      transport.close();
    }
  }

  /** A permanent refusal of the recipient as {@link RecipientRefusedError}; anything else as it is. */
  private classified(error: unknown): unknown {
    const smtp = error as SmtpError;
    const permanent = smtp.responseCode !== undefined && smtp.responseCode >= 500 && smtp.responseCode < 600;
    // Only a refused recipient: a refused sender (MAIL FROM) is our configuration, not the merchant's address.
    if (smtp.code === 'EENVELOPE' && smtp.command === 'RCPT TO' && permanent) {
      return new RecipientRefusedError('The mail relay refused the recipient', 'BOUNCE', replyCodes(smtp), {
        cause: error,
      });
    }
    return error;
  }
}

/** The SMTP mailer of this deployment (EMAIL_TRANSPORT=smtp): relay, sender and secret from configuration. */
export function smtpMailerFromEnv(config: SmtpConfig = readSmtpConfig()): SmtpMailer {
  const { from, host, port, secretId } = config;
  return new SmtpMailer({ from, host, port, credentials: new ProviderSecret(secretId, SMTP_SECRET_SCHEMA) });
}

import { createHash, createHmac } from 'node:crypto';
import * as z from 'zod/mini';
import { readSmsProviderConfig, type SmsProviderConfig } from '../config/env';
import { toE164 } from '../domain/notification';
import { logger } from '../logger';
import { RECEIPTS_PER_PULL } from '../notifications/sms-receipts';
import type { SendReference, SmsMessage, SmsSender } from '../ports';
import { RecipientOptedOutError, type SmsReceipt, type SmsReceiptSource } from '../ports/notifications';
import { ProviderSecret } from './provider-secret';

/*
 * SMS through a mainland provider's HTTP API: Tencent Cloud SMS (API 3.0, version 2021-01-11),
 * `SendSms` and `PullSmsSendStatus`, signed with TC3-HMAC-SHA256 over node:crypto. Mainland
 * carriers deliver only registered templates under an approved signature (签名), so a message goes
 * as its provider template id and parameters, not as text: the text each template id was approved
 * for is the message's registered text (shared/notifications/template-engine.ts), and the secret
 * maps one to the other.
 */

/** The signing service, version and algorithm of the Tencent Cloud SMS API. */
const SERVICE = 'sms';
const API_VERSION = '2021-01-11';
const ALGORITHM = 'TC3-HMAC-SHA256';
const CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The provider secret: the API key pair (SecretId/SecretKey of a sub-account allowed only
 * `sms:SendSms` and `sms:PullSmsSendStatus`) and, for every registered text, the template id the
 * provider approved it under.
 */
export const TENCENT_SMS_SECRET_SCHEMA = /* @__PURE__ */ z.object({
  secretId: z.string().check(z.minLength(1)),
  secretKey: z.string().check(z.minLength(1)),
  templates: z.record(z.string(), z.string().check(z.minLength(1))),
});

/** The provider secret's contents. */
export type TencentSmsSecret = z.infer<typeof TENCENT_SMS_SECRET_SCHEMA>;

/** Where the secret comes from: cached, or fresh after the provider refused the cached key. */
export interface TencentSmsSecretSource {
  get(): Promise<TencentSmsSecret>;
  refresh(): Promise<TencentSmsSecret>;
}

/** An error the provider answered (`Response.Error`), or a send status other than `Ok`. */
export class TencentCloudError extends Error {
  override readonly name = 'TencentCloudError';
  constructor(
    /** The provider's code, e.g. `AuthFailure.SignatureFailure`, `LimitExceeded.PhoneNumberDailyLimit`. */
    readonly code: string,
    /** The provider's request id, for support tickets. */
    readonly requestId: string | undefined,
  ) {
    super(`Tencent Cloud SMS answered ${code}`);
  }
}

/** A registered text with no template id in the secret: configuration, not a provider failure. */
export class SmsTemplateNotRegisteredError extends Error {
  override readonly name = 'SmsTemplateNotRegisteredError';
}

/** The send status code of a number that unsubscribed (replied 退订/TD) or is on the blocklist. */
const OPTED_OUT_CODE = 'FailedOperation.PhoneNumberInBlacklist';

const errorSchema = /* @__PURE__ */ z.looseObject({
  Response: z.looseObject({
    Error: z.optional(z.looseObject({ Code: z.string(), Message: z.optional(z.string()) })),
    RequestId: z.optional(z.string()),
  }),
});

const sendSchema = /* @__PURE__ */ z.looseObject({
  Response: z.looseObject({
    SendStatusSet: z.array(z.looseObject({ SerialNo: z.string(), Code: z.string() })),
    RequestId: z.optional(z.string()),
  }),
});

const pullSchema = /* @__PURE__ */ z.looseObject({
  Response: z.looseObject({
    PullSmsSendStatusSet: z.nullish(
      z.array(
        z.looseObject({
          SerialNo: z.string(),
          ReportStatus: z.string(),
          UserReceiveTime: z.optional(z.string()),
          Description: z.optional(z.string()),
          SessionContext: z.optional(z.string()),
        }),
      ),
    ),
  }),
});

const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
const hmac = (key: string | Buffer, value: string) =>
  createHmac('sha256', key).update(value, 'utf8').digest();

/**
 * The `Authorization` header of a TC3-HMAC-SHA256 request (Tencent Cloud API 3.0, "Signature v3"):
 * the canonical request (POST, `/`, no query, the signed headers `content-type` and `host`, the
 * payload's SHA-256), the string to sign with the credential scope `<UTC date>/sms/tc3_request`,
 * and the key derived from `TC3<SecretKey>` through the date, the service and `tc3_request`.
 */
export function tc3Authorization(input: {
  readonly secretId: string;
  readonly secretKey: string;
  readonly host: string;
  readonly payload: string;
  /** Seconds since the epoch (the X-TC-Timestamp header). */
  readonly timestamp: number;
}): string {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${CONTENT_TYPE}\nhost:${input.host}\n`,
    signedHeaders,
    sha256Hex(input.payload),
  ].join('\n');
  const scope = `${date}/${SERVICE}/tc3_request`;
  const stringToSign = [ALGORITHM, String(input.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, date), SERVICE), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `${ALGORITHM} Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** `SessionContext` of a message: the send record it belongs to, echoed back in its receipt. */
export function sessionContextOf(reference: SendReference): string {
  return JSON.stringify({ s: reference.subjectId, t: reference.template });
}

/** The send record a receipt's `SessionContext` names, if it is one of ours. */
export function referenceOf(sessionContext: string | undefined): SendReference | undefined {
  if (!sessionContext) return undefined;
  try {
    const parsed = JSON.parse(sessionContext) as { s?: unknown; t?: unknown };
    return typeof parsed.s === 'string' && typeof parsed.t === 'string'
      ? { subjectId: parsed.s, template: parsed.t }
      : undefined;
  } catch {
    return undefined;
  }
}

/** `2026-12-06 17:18:37` (the provider's time, Beijing) → ISO 8601 in UTC; now when absent or unreadable. */
function receiptTime(value: string | undefined, now: Date): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(value ?? '');
  const parsed = match ? new Date(`${match[1]}T${match[2]}+08:00`) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : now.toISOString();
}

/** What the adapter needs besides the secret: the provider configuration, and how long to wait. */
export interface TencentSmsOptions
  extends Pick<SmsProviderConfig, 'endpoint' | 'region' | 'appId' | 'signature'> {
  readonly secret: TencentSmsSecretSource;
  /** Per request. @default 5 s */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/**
 * The Tencent Cloud SMS adapter: sends a message as its template id and parameters under the
 * approved signature, with the send record's reference as `SessionContext`; pulls delivery
 * receipts, which carry that reference back. A number that unsubscribed is reported as an opt-out
 * ({@link RecipientOptedOutError}: the exactly-once sender suppresses it); a refused API key
 * (`AuthFailure.*`, e.g. after a rotation) reads the secret again, once.
 */
export class TencentSms implements SmsSender, SmsReceiptSource {
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: TencentSmsOptions) {
    this.url = new URL(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.now = options.now ?? (() => new Date());
  }

  async send(message: SmsMessage): Promise<string> {
    const registeredText = message.registeredText ?? message.body;
    const response = await this.call('SendSms', (secret) => {
      const templateId = secret.templates[registeredText];
      if (templateId === undefined)
        throw new SmsTemplateNotRegisteredError(
          `No provider template id for the ${message.templateId} text in the SMS provider secret`,
        );
      return {
        PhoneNumberSet: [toE164(message.to)],
        SmsSdkAppId: this.options.appId,
        SignName: this.options.signature,
        TemplateId: templateId,
        TemplateParamSet: [...(message.params ?? [])],
        ...(message.reference ? { SessionContext: sessionContextOf(message.reference) } : {}),
      };
    });
    const parsed = z.parse(sendSchema, response).Response;
    const status = parsed.SendStatusSet[0];
    if (!status) throw new TencentCloudError('EmptySendStatusSet', parsed.RequestId);
    if (status.Code === OPTED_OUT_CODE)
      throw new RecipientOptedOutError('The recipient unsubscribed from SMS');
    if (status.Code !== 'Ok') throw new TencentCloudError(status.Code, parsed.RequestId);
    return status.SerialNo;
  }

  async pull(): Promise<SmsReceipt[]> {
    const response = await this.call('PullSmsSendStatus', () => ({
      Limit: RECEIPTS_PER_PULL,
      SmsSdkAppId: this.options.appId,
    }));
    const now = this.now();
    return (z.parse(pullSchema, response).Response.PullSmsSendStatusSet ?? []).map((receipt) => ({
      providerMessageId: receipt.SerialNo,
      reference: referenceOf(receipt.SessionContext),
      delivered: receipt.ReportStatus === 'SUCCESS',
      at: receiptTime(receipt.UserReceiveTime, now),
      ...(receipt.ReportStatus === 'SUCCESS' || !receipt.Description ? {} : { detail: receipt.Description }),
    }));
  }

  /** One signed call; `AuthFailure.*` once more with the secret read again. */
  private async call(
    action: string,
    body: (secret: TencentSmsSecret) => Record<string, unknown>,
  ): Promise<unknown> {
    const secret = await this.options.secret.get();
    try {
      return await this.post(action, secret, body(secret));
    } catch (error) {
      if (!(error instanceof TencentCloudError) || !error.code.startsWith('AuthFailure')) throw error;
      logger.warn('SMS provider refused the cached API key; reading the secret again', { code: error.code });
      const fresh = await this.options.secret.refresh();
      return this.post(action, fresh, body(fresh));
    }
  }

  private async post(
    action: string,
    secret: TencentSmsSecret,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    const payload = JSON.stringify(body);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': CONTENT_TYPE,
        authorization: tc3Authorization({
          secretId: secret.secretId,
          secretKey: secret.secretKey,
          host: this.url.host,
          payload,
          timestamp,
        }),
        'x-tc-action': action,
        'x-tc-version': API_VERSION,
        'x-tc-timestamp': String(timestamp),
        'x-tc-region': this.options.region,
      },
      body: payload,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new TencentCloudError(`HTTP${response.status}`, undefined);
    const json: unknown = await response.json();
    const error = z.safeParse(errorSchema, json);
    if (!error.success) throw new TencentCloudError('UnreadableResponse', undefined);
    if (error.data.Response.Error)
      throw new TencentCloudError(error.data.Response.Error.Code, error.data.Response.RequestId);
    return json;
  }
}

/** The Tencent Cloud SMS adapter of this deployment (SMS_TRANSPORT=tencent-cloud). */
export function tencentSmsFromEnv(provider: SmsProviderConfig = readSmsProviderConfig()): TencentSms {
  const { secretId, ...config } = provider;
  return new TencentSms({ ...config, secret: new ProviderSecret(secretId, TENCENT_SMS_SECRET_SCHEMA) });
}

import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import * as ENV from './env-names';

/** Names of every environment variable the functions read (see env-names.ts). */
export { ENV };

/**
 * The processes that run as a state machine of their own, each defined by
 * `workflow/<process>.asl.json`. A function that starts executions of one reads its ARN from
 * {@link stateMachineArnVariable}.
 */
export const WORKFLOW_PROCESSES = ['onboarding', 'terminal-transfer', 'change-request', 'agreement'] as const;

/** One process with a state machine of its own. */
export type WorkflowProcess = (typeof WORKFLOW_PROCESSES)[number];

/**
 * The variable holding a process's state machine ARN: `onboarding` → `ONBOARDING_STATE_MACHINE_ARN`,
 * `terminal-transfer` → `TERMINAL_TRANSFER_STATE_MACHINE_ARN`. Derived, so a new process needs no
 * entry here beyond its name.
 */
export function stateMachineArnVariable(process: WorkflowProcess): string {
  return `${process.toUpperCase().replaceAll('-', '_')}_STATE_MACHINE_ARN`;
}

/** A process's state machine ARN (throws at cold start when missing, never at request time). */
export function readStateMachineArn(process: WorkflowProcess): string {
  return requiredString(stateMachineArnVariable(process));
}

/** Defaults used when a deadline variable is absent (seconds). */
export const DEADLINE_DEFAULTS = {
  reviewEscalationSeconds: 2 * 24 * 3600,
  reviewFinalSeconds: 7 * 24 * 3600,
  resubmissionSeconds: 14 * 24 * 3600,
  draftTtlSeconds: 30 * 24 * 3600,
  transferAcceptanceSeconds: 7 * 24 * 3600,
  agreementReminderSeconds: 3 * 24 * 3600,
} as const;

/*
 * Every environment variable a function reads is read here, through the readers below, once per
 * cold start (the payment-host simulator's switch excepted). Adapters and the composition call
 * them; nothing else under shared/ or functions/ reads process.env.
 */

/** Reads a required string variable (throws at cold start when missing, never at request time). */
export function requiredString(name: string): string {
  return getStringFromEnv({ key: name });
}

/** A required variable that must not be empty either. */
function nonEmpty(name: string): string {
  const value = getStringFromEnv({ key: name, defaultValue: '' });
  if (value === '') throw new Error(`${name} is not set`);
  return value;
}

/** Reads an optional string variable. */
export function optionalString(name: string, defaultValue = ''): string {
  return getStringFromEnv({ key: name, defaultValue });
}

/** The workflow deadlines, from configuration so local tests can use seconds. */
export interface Deadlines {
  readonly reviewEscalationSeconds: number;
  readonly reviewFinalSeconds: number;
  readonly resubmissionSeconds: number;
  readonly draftTtlSeconds: number;
  /** How long the receiving merchant has to accept a terminal transfer. */
  readonly transferAcceptanceSeconds: number;
}

/** Reads the deadlines; the final review deadline can never be earlier than the escalation. */
export function readDeadlines(): Deadlines {
  const reviewEscalationSeconds = getNumberFromEnv({
    key: ENV.reviewEscalationSeconds,
    defaultValue: DEADLINE_DEFAULTS.reviewEscalationSeconds,
  });
  const reviewFinalSeconds = getNumberFromEnv({
    key: ENV.reviewFinalSeconds,
    defaultValue: DEADLINE_DEFAULTS.reviewFinalSeconds,
  });
  if (reviewFinalSeconds <= reviewEscalationSeconds) {
    throw new Error(`${ENV.reviewFinalSeconds} must be greater than ${ENV.reviewEscalationSeconds}`);
  }
  return {
    reviewEscalationSeconds,
    reviewFinalSeconds,
    resubmissionSeconds: getNumberFromEnv({
      key: ENV.resubmissionSeconds,
      defaultValue: DEADLINE_DEFAULTS.resubmissionSeconds,
    }),
    draftTtlSeconds: getNumberFromEnv({
      key: ENV.draftTtlSeconds,
      defaultValue: DEADLINE_DEFAULTS.draftTtlSeconds,
    }),
    transferAcceptanceSeconds: getNumberFromEnv({
      key: ENV.transferAcceptanceSeconds,
      defaultValue: DEADLINE_DEFAULTS.transferAcceptanceSeconds,
    }),
  };
}

/** Default of {@link ENV.retentionSeconds}: 180 days (PIPL minimisation). */
export const DEFAULT_RETENTION_SECONDS = 180 * 24 * 3600;

/** The retention period of applications that never became a merchant: a whole number of seconds ≥ 1. */
export function readRetentionSeconds(): number {
  const value = getNumberFromEnv({ key: ENV.retentionSeconds, defaultValue: DEFAULT_RETENTION_SECONDS });
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${ENV.retentionSeconds} must be a whole number ≥ 1`);
  return value;
}

/** Default of {@link ENV.reviewClaimSeconds}: a 15-minute lease, renewed while the reviewer works. */
export const DEFAULT_REVIEW_CLAIM_SECONDS = 15 * 60;

/** The lease of a claim on a review task: a whole number of seconds ≥ 1. */
export function readReviewClaimSeconds(): number {
  const value = getNumberFromEnv({ key: ENV.reviewClaimSeconds, defaultValue: DEFAULT_REVIEW_CLAIM_SECONDS });
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${ENV.reviewClaimSeconds} must be a whole number ≥ 1`);
  return value;
}

/** Default of {@link ENV.staffTokenMaxAgeSeconds}: the user pool's token lifetime. */
export const DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS = 300;

/** Default of {@link ENV.smsPerPhonePerHour}. */
export const DEFAULT_SMS_PER_PHONE_PER_HOUR = 5;

/** Default of {@link ENV.emailPerAddressPerHour}. */
export const DEFAULT_EMAIL_PER_ADDRESS_PER_HOUR = 10;

/** A limit: a positive whole number (a bad value fails the cold start, not a send). */
function positiveInteger(key: string, defaultValue: number): number {
  const value = getNumberFromEnv({ key, defaultValue });
  if (!Number.isInteger(value) || value < 1) throw new Error(`${key} must be a whole number ≥ 1`);
  return value;
}

/** The SMS abuse limit (per phone, per clock hour). */
export function readSmsPerPhonePerHour(): number {
  return positiveInteger(ENV.smsPerPhonePerHour, DEFAULT_SMS_PER_PHONE_PER_HOUR);
}

/** The email abuse limit (per address, per clock hour). */
export function readEmailPerAddressPerHour(): number {
  return positiveInteger(ENV.emailPerAddressPerHour, DEFAULT_EMAIL_PER_ADDRESS_PER_HOUR);
}

/** The supervisors' locale: `zh-CN` unless `SUPERVISOR_LOCALE` says `en`. */
export function readSupervisorLocale(): 'zh-CN' | 'en' {
  const value = getStringFromEnv({ key: ENV.supervisorLocale, defaultValue: 'zh-CN' });
  if (value !== 'zh-CN' && value !== 'en') throw new Error(`${ENV.supervisorLocale} must be zh-CN or en`);
  return value;
}

/** Where escalated reviews go when SUPERVISOR_EMAIL is not set (also the CDK context default). */
export const DEFAULT_SUPERVISOR_EMAIL = 'supervisor@example.com';

/** Acquirer and messaging configuration of the notifications. */
export interface MessagingConfig {
  readonly acquirerCode: string;
  readonly smsSignature: string;
  readonly supervisorEmail: string;
  readonly supervisorLocale: 'zh-CN' | 'en';
  readonly smsPerPhonePerHour: number;
  readonly emailPerAddressPerHour: number;
  /** The merchant pages' address for links in messages; empty for none. */
  readonly merchantPagesUrl: string;
}

/** Reads the acquirer and messaging configuration. */
export function readMessagingConfig(): MessagingConfig {
  return {
    acquirerCode: requiredString(ENV.acquirerCode),
    smsSignature: requiredString(ENV.smsSignature),
    supervisorEmail: optionalString(ENV.supervisorEmail, DEFAULT_SUPERVISOR_EMAIL),
    supervisorLocale: readSupervisorLocale(),
    smsPerPhonePerHour: readSmsPerPhonePerHour(),
    emailPerAddressPerHour: readEmailPerAddressPerHour(),
    merchantPagesUrl: optionalString(ENV.merchantPagesUrl),
  };
}

/** The table of this deployment. */
export function readTableName(): string {
  return nonEmpty(ENV.tableName);
}

/**
 * The documents bucket, whether S3 needs path-style URLs and whether it keeps versions (neither
 * holds for s3rver locally).
 */
export function readDocumentsConfig(): {
  readonly bucket: string;
  readonly forcePathStyle: boolean;
  readonly versioned: boolean;
} {
  return {
    bucket: nonEmpty(ENV.documentsBucket),
    forcePathStyle: optionalString(ENV.s3ForcePathStyle) === 'true',
    versioned: optionalString(ENV.documentsVersioned, 'true') !== 'false',
  };
}

/** The sender address, and the SES configuration set (none locally: the emulator has none). */
export function readEmailConfig(): { readonly from: string; readonly configurationSet: string } {
  return { from: nonEmpty(ENV.senderEmail), configurationSet: optionalString(ENV.sesConfigurationSet) };
}

/** The End User Messaging SMS origination identity; empty lets the service pick one. */
export function readSmsOriginationIdentity(): string {
  return optionalString(ENV.smsOriginationIdentity);
}

/**
 * A KMS key (AWS) or, without one, a local secret (`npm run dev`, tests): an HMAC key's
 * (HMAC_KEY_ID_* / HMAC_LOCAL_SECRET_*) or the field cipher's (FIELD_CIPHER_*).
 */
export type KeySource = { readonly keyId: string } | { readonly localSecret: string };

/**
 * The HMAC keys, one per purpose, so that a function allowed to hash one kind of value cannot
 * compute the keyed hashes of another (and one key's exposure says nothing about the others):
 * - `identity`: licence, legal-person ID and settlement-account numbers (uniqueness markers,
 *   duplicate checks, the blocklist);
 * - `activation-code`: terminal activation codes;
 * - `one-time-code`: verification, sign-in and signature codes (shared/one-time-codes/);
 * - `notification-address`: phones and email addresses (suppression list, send quotas).
 */
export const HMAC_KEYS = ['identity', 'activation-code', 'one-time-code', 'notification-address'] as const;

/** One HMAC key (by purpose). */
export type HmacKey = (typeof HMAC_KEYS)[number];

const variableSuffix = (key: HmacKey) => key.toUpperCase().replaceAll('-', '_');

/** `HMAC_KEY_ID_IDENTITY`, …: the KMS HMAC_256 key of a purpose (AWS; set only where granted). */
export function hmacKeyIdVariable(key: HmacKey): string {
  return `HMAC_KEY_ID_${variableSuffix(key)}`;
}

/** `HMAC_LOCAL_SECRET_IDENTITY`, …: the local stand-in secret of a purpose (`npm run dev`, tests). */
export function hmacLocalSecretVariable(key: HmacKey): string {
  return `HMAC_LOCAL_SECRET_${variableSuffix(key)}`;
}

/**
 * The HMAC keys this function has: KMS where `HMAC_KEY_ID_<KEY>` is set, else the local secret of
 * `HMAC_LOCAL_SECRET_<KEY>`; a key with neither is absent (the function may not use it).
 */
export function readHmacKeys(): Partial<Record<HmacKey, KeySource>> {
  const keys: Partial<Record<HmacKey, KeySource>> = {};
  for (const key of HMAC_KEYS) {
    const keyId = optionalString(hmacKeyIdVariable(key));
    const localSecret = optionalString(hmacLocalSecretVariable(key));
    if (keyId) keys[key] = { keyId };
    else if (localSecret) keys[key] = { localSecret };
  }
  return keys;
}

function keySource(keyVariable: string, localVariable: string): KeySource {
  const keyId = optionalString(keyVariable);
  if (keyId) return { keyId };
  const localSecret = optionalString(localVariable);
  if (!localSecret) throw new Error(`Neither ${keyVariable} nor ${localVariable} is set`);
  return { localSecret };
}

/** The field cipher's key: KMS when FIELD_CIPHER_KEY_ID is set, the local key otherwise. */
export function readFieldCipherKey(): KeySource {
  return keySource(ENV.fieldCipherKeyId, ENV.fieldCipherLocalKey);
}

/** Signature algorithms a staff JWT may be signed with (asymmetric only: never `none` or HMAC). */
export const STAFF_JWT_ALGORITHMS = ['RS256', 'ES256'] as const;

/** One of {@link STAFF_JWT_ALGORITHMS}. */
export type StaffJwtAlgorithm = (typeof STAFF_JWT_ALGORITHMS)[number];

/** What a staff JWT is verified against, and where its groups are. */
export interface StaffJwtConfig {
  readonly jwksUri: string;
  readonly issuer: string;
  readonly audience: string;
  /** Pinned algorithms; a token signed otherwise is refused. */
  readonly algorithms: readonly StaffJwtAlgorithm[];
  /** The claim holding the groups (`cognito:groups`, or the IdP's, e.g. `groups`). */
  readonly groupsClaim: string;
  /** The `token_use` claim required (`id` for Cognito); empty when the IdP sets none. */
  readonly tokenUse: string;
  /** The oldest token (by `iat`) still accepted, whatever its `exp` says. */
  readonly maxTokenAgeSeconds: number;
}

/** Parses a comma-separated list of staff JWT algorithms; throws on anything else (or nothing). */
export function parseStaffJwtAlgorithms(value: string): StaffJwtAlgorithm[] {
  const names = value.split(',').map((name) => name.trim());
  const known = (name: string): name is StaffJwtAlgorithm =>
    (STAFF_JWT_ALGORITHMS as readonly string[]).includes(name);
  const unknown = names.filter((name) => !known(name));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(`Staff JWT algorithms must be among ${STAFF_JWT_ALGORITHMS.join(', ')}, got "${value}"`);
  return names.filter(known);
}

/**
 * What a staff JWT is verified against (Cognito's ID tokens unless configured otherwise), and the
 * oldest one (by `iat`) still accepted.
 */
export function readStaffJwtConfig(): StaffJwtConfig {
  const [jwksUri, issuer, audience] = [ENV.staffJwksUri, ENV.staffJwtIssuer, ENV.staffJwtAudience].map(
    (name) => optionalString(name),
  );
  if (!jwksUri || !issuer || !audience) throw new Error('STAFF_JWT_* is not set');
  const maxTokenAgeSeconds = getNumberFromEnv({
    key: ENV.staffTokenMaxAgeSeconds,
    defaultValue: DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS,
  });
  if (!Number.isInteger(maxTokenAgeSeconds) || maxTokenAgeSeconds < 1)
    throw new Error(`${ENV.staffTokenMaxAgeSeconds} must be a whole number ≥ 1`);
  return {
    jwksUri,
    issuer,
    audience,
    algorithms: parseStaffJwtAlgorithms(optionalString(ENV.staffJwtAlgorithms, 'RS256')),
    groupsClaim: optionalString(ENV.staffGroupsClaim, 'cognito:groups'),
    tokenUse: getStringFromEnv({ key: ENV.staffTokenUse, defaultValue: 'id' }),
    maxTokenAgeSeconds,
  };
}

/** How email leaves this deployment. */
export type EmailTransport = 'ses' | 'smtp';

/** The email transport: SES unless `EMAIL_TRANSPORT` says `smtp`. */
export function readEmailTransport(): EmailTransport {
  const value = optionalString(ENV.emailTransport, 'ses');
  if (value !== 'ses' && value !== 'smtp') throw new Error(`${ENV.emailTransport} must be ses or smtp`);
  return value;
}

/** The SMTP relay: host, port and the secret of its credentials. */
export interface SmtpConfig {
  readonly from: string;
  readonly host: string;
  readonly port: number;
  readonly secretId: string;
}

/** Reads the SMTP relay's configuration (the transport `smtp`). */
export function readSmtpConfig(): SmtpConfig {
  const port = getNumberFromEnv({ key: ENV.smtpPort, defaultValue: 465 });
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${ENV.smtpPort} is not a port`);
  return {
    from: nonEmpty(ENV.senderEmail),
    host: nonEmpty(ENV.smtpHost),
    port,
    secretId: nonEmpty(ENV.smtpSecretId),
  };
}

/** How SMS leave this deployment. */
export type SmsTransport = 'end-user-messaging' | 'tencent-cloud';

/** The SMS transport: End User Messaging SMS unless `SMS_TRANSPORT` says `tencent-cloud`. */
export function readSmsTransport(): SmsTransport {
  const value = optionalString(ENV.smsTransport, 'end-user-messaging');
  if (value !== 'end-user-messaging' && value !== 'tencent-cloud')
    throw new Error(`${ENV.smsTransport} must be end-user-messaging or tencent-cloud`);
  return value;
}

/** The mainland SMS provider's API: endpoint, region, application, approved signature and secret. */
export interface SmsProviderConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly appId: string;
  /** The approved signature (签名), the same as SMS_SIGNATURE. */
  readonly signature: string;
  readonly secretId: string;
}

/** Reads the mainland SMS provider's configuration (the transport `tencent-cloud`). */
export function readSmsProviderConfig(): SmsProviderConfig {
  return {
    endpoint: nonEmpty(ENV.smsProviderEndpoint),
    region: nonEmpty(ENV.smsProviderRegion),
    appId: nonEmpty(ENV.smsProviderAppId),
    signature: nonEmpty(ENV.smsSignature),
    secretId: nonEmpty(ENV.smsProviderSecretId),
  };
}

/** Where the operators' daily report goes when OPERATOR_EMAIL is not set (also the CDK context default). */
export const DEFAULT_OPERATOR_EMAIL = 'operators@example.com';

/** The daily-checks settings as configured (JSON text; empty means the defaults). */
export function readDailyChecksSettingsText(): string {
  return optionalString(ENV.dailyChecksSettings);
}

/** The operators' address of the daily report. */
export function readOperatorEmail(): string {
  return optionalString(ENV.operatorEmail, DEFAULT_OPERATOR_EMAIL);
}

/** The queue of the daily run's pages (throws at cold start when missing). */
export function readDailyRunQueueUrl(): string {
  return nonEmpty(ENV.dailyRunQueueUrl);
}

/** The payment-host simulator calls to decline (`sale`, `void`), read at every call so a test can switch it. */
export function paymentHostSimulatorDeclines(): readonly string[] {
  return optionalString(ENV.paymentHostSimulatorDecline).split(',');
}

/** Seconds an agreement waits unsigned before the reminder (default 3 days; seconds in tests). */
export function readAgreementReminderSeconds(): number {
  const value = getNumberFromEnv({
    key: ENV.agreementReminderSeconds,
    defaultValue: DEADLINE_DEFAULTS.agreementReminderSeconds,
  });
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${ENV.agreementReminderSeconds} must be a whole number of seconds ≥ 1`);
  return value;
}

/** The archive bucket of signed agreements; empty where a function does not archive. */
export function readAgreementArchiveBucket(): string {
  return optionalString(ENV.agreementArchiveBucket);
}

/** The merchant pages' base address for links in messages, or empty (no link). */
export function readMerchantPagesUrl(): string {
  return optionalString(ENV.merchantPagesUrl);
}

/** The domain event bus. */
export function readEventBusName(): string {
  return nonEmpty(ENV.eventBusName);
}

/** Defaults of the webhook settings (seconds). */
export const WEBHOOK_DEFAULTS = {
  retryBaseSeconds: 30,
  retryMaxAgeSeconds: 72 * 3600,
  timeoutSeconds: 10,
  secretOverlapSeconds: 24 * 3600,
} as const;

/** How webhooks are delivered and retried. */
export interface WebhookConfig {
  readonly queueUrl: string;
  /** First retry delay, doubled at each attempt (with jitter), at most 12 hours. */
  readonly retryBaseSeconds: number;
  /** A delivery not answered 2xx within this long after the event is FAILED. */
  readonly retryMaxAgeSeconds: number;
  readonly timeoutSeconds: number;
  readonly secretOverlapSeconds: number;
  /** Local only: `http://127.0.0.1:<port>` URLs and loopback addresses are allowed. */
  readonly allowLoopback: boolean;
}

function positiveNumber(name: string, defaultValue: number, minimum = 1): number {
  const value = getNumberFromEnv({ key: name, defaultValue });
  if (!Number.isFinite(value) || value < minimum) throw new Error(`${name} must be a number ≥ ${minimum}`);
  return value;
}

/** The webhook settings (a bad value fails the cold start). */
export function readWebhookConfig(): WebhookConfig {
  return {
    queueUrl: optionalString(ENV.webhookQueueUrl),
    retryBaseSeconds: Math.floor(
      positiveNumber(ENV.webhookRetryBaseSeconds, WEBHOOK_DEFAULTS.retryBaseSeconds),
    ),
    retryMaxAgeSeconds: positiveNumber(ENV.webhookRetryMaxAgeSeconds, WEBHOOK_DEFAULTS.retryMaxAgeSeconds),
    timeoutSeconds: positiveNumber(ENV.webhookTimeoutSeconds, WEBHOOK_DEFAULTS.timeoutSeconds),
    secretOverlapSeconds: positiveNumber(
      ENV.webhookSecretOverlapSeconds,
      WEBHOOK_DEFAULTS.secretOverlapSeconds,
    ),
    allowLoopback: optionalString(ENV.webhookAllowLoopback) === 'true',
  };
}

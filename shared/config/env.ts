import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';

/**
 * Names of every environment variable the functions read. CDK sets them on the deployed
 * functions; the local stack sets them on its process before loading the same handlers.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  documentsBucket: 'DOCUMENTS_BUCKET',
  acquirerCode: 'ACQUIRER_CODE',
  senderEmail: 'SENDER_EMAIL',
  supervisorEmail: 'SUPERVISOR_EMAIL',
  smsOriginationIdentity: 'SMS_ORIGINATION_IDENTITY',
  smsSignature: 'SMS_SIGNATURE',
  /** Most SMS one phone may receive per clock hour (abuse limit); default 5. */
  smsPerPhonePerHour: 'SMS_PER_PHONE_PER_HOUR',
  /** Language of the supervisors' escalation notices: `zh-CN` (default) or `en`. */
  supervisorLocale: 'SUPERVISOR_LOCALE',
  /** SES configuration set that publishes bounces and complaints (AWS); unset locally. */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  reviewEscalationSeconds: 'REVIEW_ESCALATION_SECONDS',
  reviewFinalSeconds: 'REVIEW_FINAL_SECONDS',
  resubmissionSeconds: 'RESUBMISSION_SECONDS',
  draftTtlSeconds: 'DRAFT_TTL_SECONDS',
  transferAcceptanceSeconds: 'TRANSFER_ACCEPTANCE_SECONDS',
  /** KMS HMAC_256 key used for keyed hashes of licence and ID numbers (AWS). */
  piiHmacKeyId: 'PII_HMAC_KEY_ID',
  /** Local-only HMAC secret used instead of KMS by `npm run dev` and tests. */
  piiHmacLocalSecret: 'PII_HMAC_LOCAL_SECRET',
  /** Symmetric KMS key whose data keys encrypt ID and account numbers field by field (AWS). */
  fieldCipherKeyId: 'FIELD_CIPHER_KEY_ID',
  /** Local-only key wrapping those data keys, used instead of KMS by `npm run dev` and tests. */
  fieldCipherLocalKey: 'FIELD_CIPHER_LOCAL_KEY',
  staffJwtIssuer: 'STAFF_JWT_ISSUER',
  staffJwtAudience: 'STAFF_JWT_AUDIENCE',
  staffJwksUri: 'STAFF_JWKS_URI',
  /** `true` only against s3rver, which needs path-style URLs. */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  /** Simulator only: `sale` and/or `void` (comma-separated) are declined (read at every call). */
  paymentHostSimulatorDecline: 'PAYMENT_HOST_SIMULATOR_DECLINE',
  /**
   * Daily checks (limits by merchant type, rule thresholds, daily run page size): a JSON object
   * merged over the defaults of shared/daily-checks/settings.ts; empty for the defaults.
   */
  dailyChecksSettings: 'DAILY_CHECKS_SETTINGS',
  /** Who receives the operators' daily report (dormant terminals, alerts of the day). */
  operatorEmail: 'OPERATOR_EMAIL',
  /** The SQS queue of the daily run's pages (each message: one page of one index shard). */
  dailyRunQueueUrl: 'DAILY_RUN_QUEUE_URL',
} as const;

/**
 * The processes that run as a state machine of their own, each defined by
 * `workflow/<process>.asl.json`. A function that starts executions of one reads its ARN from
 * {@link stateMachineArnVariable}.
 */
export const WORKFLOW_PROCESSES = ['onboarding', 'terminal-transfer', 'change-request'] as const;

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

/** Default of {@link ENV.smsPerPhonePerHour}. */
export const DEFAULT_SMS_PER_PHONE_PER_HOUR = 5;

/** The SMS abuse limit: a positive whole number (a bad value fails the cold start, not a send). */
export function readSmsPerPhonePerHour(): number {
  const value = getNumberFromEnv({
    key: ENV.smsPerPhonePerHour,
    defaultValue: DEFAULT_SMS_PER_PHONE_PER_HOUR,
  });
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${ENV.smsPerPhonePerHour} must be a whole number ≥ 1`);
  return value;
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
}

/** Reads the acquirer and messaging configuration. */
export function readMessagingConfig(): MessagingConfig {
  return {
    acquirerCode: requiredString(ENV.acquirerCode),
    smsSignature: requiredString(ENV.smsSignature),
    supervisorEmail: optionalString(ENV.supervisorEmail, DEFAULT_SUPERVISOR_EMAIL),
    supervisorLocale: readSupervisorLocale(),
    smsPerPhonePerHour: readSmsPerPhonePerHour(),
  };
}

/** The table of this deployment. */
export function readTableName(): string {
  return nonEmpty(ENV.tableName);
}

/** The documents bucket, and whether S3 needs path-style URLs (s3rver locally). */
export function readDocumentsConfig(): { readonly bucket: string; readonly forcePathStyle: boolean } {
  return {
    bucket: nonEmpty(ENV.documentsBucket),
    forcePathStyle: optionalString(ENV.s3ForcePathStyle) === 'true',
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
 * A KMS key (AWS) or, without one, a local secret (`npm run dev`, tests): the keyed hasher's
 * (PII_HMAC_*) or the field cipher's (FIELD_CIPHER_*).
 */
export type KeySource = { readonly keyId: string } | { readonly localSecret: string };

function keySource(keyVariable: string, localVariable: string): KeySource {
  const keyId = optionalString(keyVariable);
  if (keyId) return { keyId };
  const localSecret = optionalString(localVariable);
  if (!localSecret) throw new Error(`Neither ${keyVariable} nor ${localVariable} is set`);
  return { localSecret };
}

/** The HMAC key of keyed hashes: KMS when PII_HMAC_KEY_ID is set, the local secret otherwise. */
export function readPiiHmacKey(): KeySource {
  return keySource(ENV.piiHmacKeyId, ENV.piiHmacLocalSecret);
}

/** The field cipher's key: KMS when FIELD_CIPHER_KEY_ID is set, the local key otherwise. */
export function readFieldCipherKey(): KeySource {
  return keySource(ENV.fieldCipherKeyId, ENV.fieldCipherLocalKey);
}

/** What a staff ID token is verified against. */
export function readStaffJwtConfig(): {
  readonly jwksUri: string;
  readonly issuer: string;
  readonly audience: string;
} {
  const [jwksUri, issuer, audience] = [ENV.staffJwksUri, ENV.staffJwtIssuer, ENV.staffJwtAudience].map(
    (name) => optionalString(name),
  );
  if (!jwksUri || !issuer || !audience) throw new Error('STAFF_JWT_* is not set');
  return { jwksUri, issuer, audience };
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

/*
 * Names of every environment variable the functions read. CDK sets them on the deployed
 * functions; the local stack sets them on its process before loading the same handlers.
 *
 * Each name is an export of its own and shared/config/env.ts imports this module as a namespace
 * (`ENV.tableName`): a bundle keeps only the names its function reads.
 */

export const tableName = 'TABLE_NAME';

export const documentsBucket = 'DOCUMENTS_BUCKET';

export const acquirerCode = 'ACQUIRER_CODE';

export const senderEmail = 'SENDER_EMAIL';

export const supervisorEmail = 'SUPERVISOR_EMAIL';

export const smsOriginationIdentity = 'SMS_ORIGINATION_IDENTITY';

export const smsSignature = 'SMS_SIGNATURE';

/**
 * Most SMS one phone may receive per clock hour (abuse limit); default 5. Activation-code SMS
 * have a counter of their own with the same limit.
 */
export const smsPerPhonePerHour = 'SMS_PER_PHONE_PER_HOUR';

/** Most emails one address may receive per clock hour (abuse limit); default 10. */
export const emailPerAddressPerHour = 'EMAIL_PER_ADDRESS_PER_HOUR';

/** Language of the supervisors' escalation notices: `zh-CN` (default) or `en`. */
export const supervisorLocale = 'SUPERVISOR_LOCALE';

/** SES configuration set that publishes bounces and complaints (AWS); unset locally. */
export const sesConfigurationSet = 'SES_CONFIGURATION_SET';

export const reviewEscalationSeconds = 'REVIEW_ESCALATION_SECONDS';

export const reviewFinalSeconds = 'REVIEW_FINAL_SECONDS';

export const resubmissionSeconds = 'RESUBMISSION_SECONDS';

export const draftTtlSeconds = 'DRAFT_TTL_SECONDS';

export const transferAcceptanceSeconds = 'TRANSFER_ACCEPTANCE_SECONDS';

/** How long rejected, withdrawn and expired applications are kept before they are erased (default 180 days). */
export const retentionSeconds = 'RETENTION_SECONDS';

/** How long a reviewer's claim on a review task holds unless renewed (default 900: 15 minutes). */
export const reviewClaimSeconds = 'REVIEW_CLAIM_SECONDS';

/** Oldest staff ID token (by `iat`) a handler accepts, in seconds (default 300: revocation within 5 minutes). */
export const staffTokenMaxAgeSeconds = 'STAFF_TOKEN_MAX_AGE_SECONDS';

/** How long an agreement may wait unsigned before the merchant is reminded (seconds). */
export const agreementReminderSeconds = 'AGREEMENT_REMINDER_SECONDS';

/** The write-once bucket of signed agreements (S3 Object Lock in AWS). */
export const agreementArchiveBucket = 'AGREEMENT_ARCHIVE_BUCKET';

/** The merchant pages' address, for links in messages (`https://…/m/`); empty for no link. */
export const merchantPagesUrl = 'MERCHANT_PAGES_URL';

/** Symmetric KMS key whose data keys encrypt ID and account numbers field by field (AWS). */
export const fieldCipherKeyId = 'FIELD_CIPHER_KEY_ID';

/** Local-only key wrapping those data keys, used instead of KMS by `npm run dev` and tests. */
export const fieldCipherLocalKey = 'FIELD_CIPHER_LOCAL_KEY';

export const staffJwtIssuer = 'STAFF_JWT_ISSUER';

export const staffJwtAudience = 'STAFF_JWT_AUDIENCE';

export const staffJwksUri = 'STAFF_JWKS_URI';

/** Signature algorithms a staff JWT may use, comma-separated (`RS256`, `ES256`); default `RS256`. */
export const staffJwtAlgorithms = 'STAFF_JWT_ALGORITHMS';

/** The claim holding a staff member's groups; default `cognito:groups`. */
export const staffGroupsClaim = 'STAFF_GROUPS_CLAIM';

/** The `token_use` a staff JWT must carry (`id` for Cognito ID tokens, the default); empty: not checked. */
export const staffTokenUse = 'STAFF_TOKEN_USE';

/** How email leaves: `ses` (default) or `smtp` (a relay, in the China profile). */
export const emailTransport = 'EMAIL_TRANSPORT';

/** The SMTP relay's host name (with `smtp`). */
export const smtpHost = 'SMTP_HOST';

/** The SMTP relay's port: 465 (TLS from the first byte) or 587 (STARTTLS, required); default 465. */
export const smtpPort = 'SMTP_PORT';

/** Secrets Manager secret (name or ARN) of the relay's `username` and `password` (and optional `ca`). */
export const smtpSecretId = 'SMTP_SECRET_ID';

/** How SMS leave: `end-user-messaging` (default) or `tencent-cloud` (a mainland provider's API). */
export const smsTransport = 'SMS_TRANSPORT';

/** The mainland SMS provider's API endpoint (`https://sms.tencentcloudapi.com`). */
export const smsProviderEndpoint = 'SMS_PROVIDER_ENDPOINT';

/** The provider's region of the SMS application (`ap-guangzhou`). */
export const smsProviderRegion = 'SMS_PROVIDER_REGION';

/** The provider's SMS application id (`SmsSdkAppId`). */
export const smsProviderAppId = 'SMS_PROVIDER_APP_ID';

/** Secrets Manager secret (name or ARN) of the provider's API key and registered template ids. */
export const smsProviderSecretId = 'SMS_PROVIDER_SECRET_ID';

/** `true` only against s3rver, which needs path-style URLs. */
export const s3ForcePathStyle = 'S3_FORCE_PATH_STYLE';

/** `false` only against s3rver, which keeps no object versions (the bucket in AWS is versioned). */
export const documentsVersioned = 'DOCUMENTS_VERSIONED';

/** Simulator only: `sale` and/or `void` (comma-separated) are declined (read at every call). */
export const paymentHostSimulatorDecline = 'PAYMENT_HOST_SIMULATOR_DECLINE';

/** The EventBridge bus the domain events go to. */
export const eventBusName = 'EVENT_BUS_NAME';

/** The SQS queue of webhook deliveries. */
export const webhookQueueUrl = 'WEBHOOK_QUEUE_URL';

/** First retry delay of a failed webhook delivery, doubled at each attempt (seconds, ≥ 1); default 30. */
export const webhookRetryBaseSeconds = 'WEBHOOK_RETRY_BASE_SECONDS';

/** How long a delivery is retried before it is FAILED (seconds); default 72 hours. */
export const webhookRetryMaxAgeSeconds = 'WEBHOOK_RETRY_MAX_AGE_SECONDS';

/** How long a receiver has to answer 2xx (seconds); default 10. */
export const webhookTimeoutSeconds = 'WEBHOOK_TIMEOUT_SECONDS';

/** How long a rotated secret keeps signing beside the new one (seconds); default 24 hours. */
export const webhookSecretOverlapSeconds = 'WEBHOOK_SECRET_OVERLAP_SECONDS';

/**
 * `true` only in `npm run dev` and the tests: webhook URLs may be `http://127.0.0.1:<port>` (and
 * loopback addresses are allowed). Unset in AWS: https only, no private, loopback or link-local.
 */
export const webhookAllowLoopback = 'WEBHOOK_ALLOW_LOOPBACK';

/**
 * Daily checks (limits by merchant type, rule thresholds, daily run page size): a JSON object
 * merged over the defaults of shared/daily-checks/settings.ts; empty for the defaults.
 */
export const dailyChecksSettings = 'DAILY_CHECKS_SETTINGS';

/** Who receives the operators' daily report (dormant terminals, alerts of the day). */
export const operatorEmail = 'OPERATOR_EMAIL';

/** The SQS queue of the daily run's pages (each message: one page of one index shard). */
export const dailyRunQueueUrl = 'DAILY_RUN_QUEUE_URL';

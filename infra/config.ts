import type { Node } from 'constructs';
import { DEFAULT_OPERATOR_EMAIL, DEFAULT_SUPERVISOR_EMAIL } from '../shared/config/env';
import { parseDailyChecksSettings } from '../shared/daily-checks/settings';
import { smsTemplatesTooLongFor } from '../shared/notifications/catalog';

/**
 * Deployment configuration, read from CDK context (`cdk.json` defaults, overridable with
 * `npx cdk deploy -c key=value`). Every value is validated at synth time, so a bad value fails
 * `cdk synth` instead of a function's cold start.
 */
export interface OnboardingConfig {
  /** Context `stage`: API Gateway stage name (default `prod`). */
  readonly stage: string;
  /** Context `acquirerCode`: the 3-digit acquirer code that starts every merchant number (default `102`). */
  readonly acquirerCode: string;
  /**
   * Context `senderEmail`: the From address of every email. Its SES identity (the address or its
   * domain) is created and verified by the operator outside this app, and the account must be out
   * of the SES sandbox to mail merchants.
   */
  readonly senderEmail: string;
  /** Context `supervisorEmail`: who is told when a review passes its escalation deadline. */
  readonly supervisorEmail: string;
  /** Context `supervisorLocale`: language of the supervisors' escalation notices, `zh-CN` (default) or `en`. */
  readonly supervisorLocale: 'zh-CN' | 'en';
  /**
   * Context `smsOriginationIdentity`: the AWS End User Messaging SMS origination identity (sender ID,
   * phone number, pool ID or its ARN). Empty lets the service choose; an ARN also narrows the IAM grant.
   */
  readonly smsOriginationIdentity: string;
  /**
   * Context `smsSignature`: the sender signature every SMS starts with, inside 【】 (default `拉卡拉`);
   * every SMS template must still fit one 70-character segment with it (checked at synth).
   */
  readonly smsSignature: string;
  /**
   * Context `smsPerPhonePerHour`: most SMS one phone number receives per clock hour (default 5);
   * SMS with an activation code have their own counter with the same limit.
   */
  readonly smsPerPhonePerHour: number;
  /** Context `emailPerAddressPerHour`: most emails one address receives per clock hour (default 10). */
  readonly emailPerAddressPerHour: number;
  /** Context `reviewEscalationSeconds`: review waiting time before the task is escalated (default 2 days). */
  readonly reviewEscalationSeconds: number;
  /** Context `reviewFinalSeconds`: review waiting time before the application expires; greater than the escalation (default 7 days). */
  readonly reviewFinalSeconds: number;
  /** Context `resubmissionSeconds`: how long a NEEDS_CHANGES application waits for the merchant (default 14 days). */
  readonly resubmissionSeconds: number;
  /** Context `draftTtlSeconds`: lifetime of a never-submitted draft (default 30 days). */
  readonly draftTtlSeconds: number;
  /** Context `transferAcceptanceSeconds`: how long the receiving merchant has to accept a terminal transfer (default 7 days). */
  readonly transferAcceptanceSeconds: number;
  /**
   * Context `retentionSeconds`: how long rejected, withdrawn and expired applications (and drafts
   * past their lifetime) are kept before the daily sweep erases them, documents included, leaving
   * an audit stub (default 180 days, PIPL minimisation).
   */
  readonly retentionSeconds: number;
  /** Context `reviewClaimSeconds`: how long a reviewer's claim on a review task holds unless renewed (default 15 minutes). */
  readonly reviewClaimSeconds: number;
  /** Context `alarmEmail` (optional): an address subscribed to the operational alarm topic; empty for none. */
  readonly alarmEmail: string;
  /** Context `operatorEmail`: who receives the daily checks' report (dormant terminals, alerts). */
  readonly operatorEmail: string;
  /**
   * Context `dailyChecks` (optional): JSON of the daily-check settings over their defaults (limits by
   * merchant type, rule thresholds; shared/daily-checks/settings.ts), validated at synth.
   */
  readonly dailyChecks: string;
  /**
   * Context `webDomainName` (optional): the host name the web apps and `/v1` are served at (a CNAME or
   * alias to the CloudFront distribution, created by the operator); with `webCertificateArn`. Only with
   * a custom domain does CloudFront enforce TLS 1.2 or later: its default `*.cloudfront.net`
   * certificate always accepts TLS 1.0. Empty: the distribution's own domain name.
   */
  readonly webDomainName: string;
  /** Context `webCertificateArn`: the ACM certificate of `webDomainName`, in us-east-1 (CloudFront's rule). */
  readonly webCertificateArn: string;
  /**
   * Context `staffSignInDomainPrefix` (optional): prefix of the staff Hosted UI's domain,
   * `<prefix>.auth.<region>.amazoncognito.com`, unique in the region. Empty: `merchant-onboarding-<account id>`.
   */
  readonly staffSignInDomainPrefix: string;
  /** Context `agreementReminderSeconds`: how long an agreement waits unsigned before the reminder (default 3 days). */
  readonly agreementReminderSeconds: number;
  /**
   * Context `agreementRetentionDays`: the S3 Object Lock retention (compliance mode) of signed
   * agreements in the archive bucket (default 1825 days, 5 years). Nobody, the root user included,
   * can delete or shorten it before it ends.
   */
  readonly agreementRetentionDays: number;
  /** Context `merchantPagesUrl` (optional): the merchant pages' address, linked from agreement messages; empty for no link. */
  readonly merchantPagesUrl: string;
}

/** The values of `cdk.json`, used when a context key is absent (e.g. in tests). */
export const DEFAULT_CONFIG: OnboardingConfig = {
  stage: 'prod',
  acquirerCode: '102',
  senderEmail: 'noreply@example.com',
  supervisorEmail: DEFAULT_SUPERVISOR_EMAIL,
  supervisorLocale: 'zh-CN',
  smsOriginationIdentity: '',
  smsSignature: '拉卡拉',
  smsPerPhonePerHour: 5,
  emailPerAddressPerHour: 10,
  reviewEscalationSeconds: 172_800,
  reviewFinalSeconds: 604_800,
  resubmissionSeconds: 1_209_600,
  draftTtlSeconds: 2_592_000,
  transferAcceptanceSeconds: 604_800,
  retentionSeconds: 15_552_000,
  reviewClaimSeconds: 900,
  alarmEmail: '',
  operatorEmail: DEFAULT_OPERATOR_EMAIL,
  dailyChecks: '',
  webDomainName: '',
  webCertificateArn: '',
  staffSignInDomainPrefix: '',
  agreementReminderSeconds: 259_200,
  agreementRetentionDays: 1825,
  merchantPagesUrl: '',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function contextString(node: Node, key: keyof OnboardingConfig): string {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return String(DEFAULT_CONFIG[key]);
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`Context "${key}" must be a string, got ${JSON.stringify(value)}`);
  }
  return String(value);
}

/** A context value given as JSON text or as an object (cdk.json), kept as JSON text. */
function contextJson(node: Node, key: keyof OnboardingConfig): string {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return String(DEFAULT_CONFIG[key]);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function contextSeconds(node: Node, key: keyof OnboardingConfig): number {
  return contextPositiveInteger(node, key, ' of seconds');
}

function contextPositiveInteger(node: Node, key: keyof OnboardingConfig, unit = ''): number {
  const raw = contextString(node, key);
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`Context "${key}" must be a positive whole number${unit}, got "${raw}"`);
  }
  return value;
}

/** Reads and validates the configuration from the context of `node` (usually the App's). */
export function readConfig(node: Node): OnboardingConfig {
  const config: OnboardingConfig = {
    stage: contextString(node, 'stage'),
    acquirerCode: contextString(node, 'acquirerCode'),
    senderEmail: contextString(node, 'senderEmail'),
    supervisorEmail: contextString(node, 'supervisorEmail'),
    supervisorLocale: contextString(node, 'supervisorLocale') as OnboardingConfig['supervisorLocale'],
    smsOriginationIdentity: contextString(node, 'smsOriginationIdentity'),
    smsSignature: contextString(node, 'smsSignature'),
    smsPerPhonePerHour: contextPositiveInteger(node, 'smsPerPhonePerHour'),
    emailPerAddressPerHour: contextPositiveInteger(node, 'emailPerAddressPerHour'),
    reviewEscalationSeconds: contextSeconds(node, 'reviewEscalationSeconds'),
    reviewFinalSeconds: contextSeconds(node, 'reviewFinalSeconds'),
    resubmissionSeconds: contextSeconds(node, 'resubmissionSeconds'),
    draftTtlSeconds: contextSeconds(node, 'draftTtlSeconds'),
    transferAcceptanceSeconds: contextSeconds(node, 'transferAcceptanceSeconds'),
    retentionSeconds: contextSeconds(node, 'retentionSeconds'),
    reviewClaimSeconds: contextSeconds(node, 'reviewClaimSeconds'),
    alarmEmail: contextString(node, 'alarmEmail'),
    operatorEmail: contextString(node, 'operatorEmail'),
    dailyChecks: contextJson(node, 'dailyChecks'),
    webDomainName: contextString(node, 'webDomainName').trim().toLowerCase(),
    webCertificateArn: contextString(node, 'webCertificateArn').trim(),
    staffSignInDomainPrefix: contextString(node, 'staffSignInDomainPrefix').trim(),
    agreementReminderSeconds: contextSeconds(node, 'agreementReminderSeconds'),
    agreementRetentionDays: contextPositiveInteger(node, 'agreementRetentionDays', ' of days'),
    merchantPagesUrl: contextString(node, 'merchantPagesUrl'),
  };
  validateConfig(config);
  return config;
}

/** Throws on the first invalid value, naming its context key. */
export function validateConfig(config: OnboardingConfig): void {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(config.stage)) {
    throw new Error(`Context "stage" must be 1-64 letters, digits or underscores, got "${config.stage}"`);
  }
  if (!/^\d{3}$/.test(config.acquirerCode)) {
    throw new Error(`Context "acquirerCode" must be exactly 3 digits, got "${config.acquirerCode}"`);
  }
  parseDailyChecksSettings(config.dailyChecks);
  for (const key of ['senderEmail', 'supervisorEmail', 'operatorEmail'] as const) {
    if (!EMAIL.test(config[key])) throw new Error(`Context "${key}" must be an email address`);
  }
  if (config.alarmEmail !== '' && !EMAIL.test(config.alarmEmail)) {
    throw new Error('Context "alarmEmail" must be an email address or empty');
  }
  if (config.smsSignature.trim() === '' || config.smsSignature.length > 16) {
    throw new Error('Context "smsSignature" must be 1-16 characters (it is sent inside 【】 in every SMS)');
  }
  const tooLong = smsTemplatesTooLongFor(config.smsSignature);
  if (tooLong.length > 0) {
    throw new Error(
      `Context "smsSignature" is too long: these SMS would not fit one 70-character segment: ${tooLong.join(', ')}`,
    );
  }
  if (config.supervisorLocale !== 'zh-CN' && config.supervisorLocale !== 'en') {
    throw new Error('Context "supervisorLocale" must be zh-CN or en');
  }
  if (config.merchantPagesUrl !== '' && !/^https:\/\/[^\s]+$/.test(config.merchantPagesUrl)) {
    throw new Error('Context "merchantPagesUrl" must be an https:// address or empty');
  }
  if (config.reviewFinalSeconds <= config.reviewEscalationSeconds) {
    throw new Error('Context "reviewFinalSeconds" must be greater than "reviewEscalationSeconds"');
  }
  validateWebConfig(config);
}

function validateWebConfig(config: OnboardingConfig): void {
  const { webDomainName, webCertificateArn, staffSignInDomainPrefix } = config;
  if ((webDomainName === '') !== (webCertificateArn === '')) {
    throw new Error('Context "webDomainName" and "webCertificateArn" go together: set both or neither');
  }
  if (
    webDomainName !== '' &&
    !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(webDomainName)
  ) {
    throw new Error(
      `Context "webDomainName" must be a host name such as onboarding.example.com, got "${webDomainName}"`,
    );
  }
  if (
    webCertificateArn !== '' &&
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/.test(webCertificateArn)
  ) {
    throw new Error(
      'Context "webCertificateArn" must be the ARN of an ACM certificate in us-east-1 (CloudFront only uses certificates from there)',
    );
  }
  // Cognito's rule for a prefix domain: lowercase letters, digits and hyphens, and no reserved word.
  if (
    staffSignInDomainPrefix !== '' &&
    (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(staffSignInDomainPrefix) ||
      /aws|amazon|cognito/.test(staffSignInDomainPrefix))
  ) {
    throw new Error(
      'Context "staffSignInDomainPrefix" must be 1-63 lowercase letters, digits and hyphens, without "aws", "amazon" or "cognito"',
    );
  }
}

/** Domain part of an email address (the SES domain identity that may authorize it). */
export function emailDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

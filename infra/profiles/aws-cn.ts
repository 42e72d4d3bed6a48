import type { FunctionEntry } from '../../shared/manifest/types';
import type { DeploymentProfile, EmailProfile, SmsProfile, StaffIdentityProfile } from './types';

/** The AWS China regions: Beijing (operated by Sinnet) and Ningxia (operated by NWCD). */
export const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;

/** Why the China profile turns X-Ray off (AWS China's "Getting Started" guide, Lambda page). */
const XRAY_REASON =
  'AWS X-Ray integration with Lambda functions is not offered in the AWS China regions (Getting Started with AWS in China, Lambda: feature availability); the China profile turns tracing off everywhere rather than trace half of each request. CloudWatch logs, metrics and alarms are unchanged.';

/**
 * The AWS managed WAF rule groups of the global regions are offered in the China regions too, but
 * Bot Control only at its common inspection level (AWS China's "Getting Started" guide, AWS WAF).
 * The API uses no Bot Control; a construct that adds a managed group consults this.
 */
function wafManagedRuleGroupOffered(ruleGroup: string, inspectionLevel?: 'COMMON' | 'TARGETED'): boolean {
  return !(ruleGroup === 'AWSManagedRulesBotControlRuleSet' && inspectionLevel === 'TARGETED');
}

/** What the China profile's providers are, from context (./index.ts reads and checks it). */
export interface ChinaProviders {
  readonly email: Extract<EmailProfile, { kind: 'smtp' }>;
  readonly staffIdentity: Extract<StaffIdentityProfile, { kind: 'oidc' }>;
  readonly sms: Extract<SmsProfile, { kind: 'tencent-cloud' }>;
}

/**
 * The China profile (partition `aws-cn`, `cn-north-1` or `cn-northwest-1`), where SES, Cognito user
 * pools and End User Messaging SMS are not offered: email through an SMTP relay (TLS, credentials
 * in Secrets Manager), staff at the acquirer's OIDC identity provider behind a Lambda authorizer
 * (the same JWT verifier as `npm run dev`), SMS through a mainland provider's HTTP API (Tencent
 * Cloud SMS; credentials and registered template ids in Secrets Manager, delivery receipts pulled
 * every minute). X-Ray off; the same WAF rules.
 */
export function chinaProfile(
  region: (typeof CHINA_REGIONS)[number],
  providers: ChinaProviders,
): DeploymentProfile {
  return {
    name: 'china',
    partition: 'aws-cn',
    region,
    ...providers,
    xray: { enabled: false, reason: XRAY_REASON },
    wafManagedRules: { available: wafManagedRuleGroupOffered },
    providerSecrets: [
      {
        id: 'SmtpRelaySecret',
        description:
          'Merchant onboarding: SMTP relay credentials, JSON {"username","password"} and optionally {"ca"} (PEM of a private CA)',
      },
      {
        id: 'SmsProviderSecret',
        description:
          'Merchant onboarding: Tencent Cloud SMS API key and template ids, JSON {"secretId","secretKey","templates":{"<registered text>":"<template id>"}}',
      },
    ],
    bundledAdapters: ['./smtp-mailer', './tencent-sms'],
    webHosting: {
      enabled: false,
      reason:
        'CloudFront in the China regions has no origin access control (only OAI), serves only an ICP-licensed domain of the acquirer, and there is no Cognito Hosted UI: the acquirer serves .dist/web from its own licensed site, with /console/config.json naming its OIDC IdP (docs/deploy.md)',
    },
    deploys: (entry: FunctionEntry) => {
      const { trigger } = entry;
      // No SES events to receive: the relay's refusals are handled as the message is handed over.
      return !(trigger.kind === 'event' && trigger.source === 'email-events');
    },
  };
}

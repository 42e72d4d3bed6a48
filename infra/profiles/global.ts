import type { FunctionEntry } from '../../shared/manifest/types';
import type { DeploymentProfile } from './types';

/**
 * The global profile (partition `aws`, any region with SES, Cognito user pools and End User
 * Messaging SMS): the design card's managed services. Email through SES with its configuration
 * set (bounces and complaints to the suppression list), staff in a Cognito user pool behind API
 * Gateway's Cognito authorizer, SMS through End User Messaging SMS; X-Ray on; every AWS managed
 * WAF rule group the API uses.
 */
export function globalProfile(region: string | undefined): DeploymentProfile {
  return {
    name: 'global',
    partition: 'aws',
    region,
    email: { kind: 'ses' },
    staffIdentity: { kind: 'cognito' },
    sms: { kind: 'end-user-messaging' },
    xray: { enabled: true },
    wafManagedRules: { available: () => true },
    providerSecrets: [],
    bundledAdapters: [],
    webHosting: { enabled: true },
    deploys: (entry: FunctionEntry) => {
      const { trigger } = entry;
      // No Lambda authorizer (Cognito's authorizer is API Gateway's own), no receipts to pull
      // (End User Messaging SMS publishes its events).
      return (
        trigger.kind !== 'authorizer' &&
        !(trigger.kind === 'schedule' && 'provider' in trigger && trigger.provider !== undefined)
      );
    },
  };
}

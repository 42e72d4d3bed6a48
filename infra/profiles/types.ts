import type { StaffJwtAlgorithm } from '../../shared/config/env';
import type { FunctionEntry } from '../../shared/manifest/types';
import type { ProfileAdapterModule } from '../house-function';

/** The AWS partitions the app deploys to. */
export type Partition = 'aws' | 'aws-cn';

/** How email leaves: SES (configuration set, bounce and complaint events), or an SMTP relay over TLS. */
export type EmailProfile =
  | { readonly kind: 'ses' }
  | {
      readonly kind: 'smtp';
      readonly host: string;
      /** 465 (implicit TLS) or another port with STARTTLS required. */
      readonly port: number;
    };

/**
 * Who staff are and how the API knows them: a Cognito user pool (API Gateway's Cognito authorizer),
 * or the acquirer's own OIDC identity provider (a Lambda TOKEN authorizer verifying its JWTs).
 */
export type StaffIdentityProfile =
  | { readonly kind: 'cognito' }
  | {
      readonly kind: 'oidc';
      /** `iss` of the IdP's tokens (an https URL). */
      readonly issuer: string;
      /** `aud` the tokens must carry (the client id registered for this app at the IdP). */
      readonly audience: string;
      /** The IdP's signing keys (an https URL). */
      readonly jwksUri: string;
      /** The claim holding the staff member's groups (`reviewer`, `operator`). */
      readonly groupsClaim: string;
      /** Pinned signature algorithms. */
      readonly algorithms: readonly StaffJwtAlgorithm[];
    };

/** How SMS leave: AWS End User Messaging SMS, or a mainland provider's HTTP API (Tencent Cloud SMS). */
export type SmsProfile =
  | { readonly kind: 'end-user-messaging' }
  | {
      readonly kind: 'tencent-cloud';
      /** The API endpoint (an https URL). */
      readonly endpoint: string;
      /** The provider's region of the SMS application, e.g. `ap-guangzhou`. */
      readonly region: string;
      /** The SMS application id (`SmsSdkAppId`). */
      readonly appId: string;
    };

/** A secret the stateful stack keeps for a provider of the profile (credentials the operator puts in). */
export interface ProviderSecretSpec {
  /** Construct id, also what the grants name it by. */
  readonly id: 'SmtpRelaySecret' | 'SmsProviderSecret';
  readonly description: string;
}

/**
 * Everything that differs between the partitions the app deploys to, as one object the constructs
 * consult (never `if (partition === 'aws-cn')` in a construct): which providers carry email, staff
 * identity and SMS, which AWS features the region offers (X-Ray integration, WAF managed rule
 * groups), which functions of the manifest are deployed and which adapter modules their bundles
 * carry. Built from CDK context by `readProfile` (./index.ts).
 */
export interface DeploymentProfile {
  /** `global` (partition `aws`) or `china` (partition `aws-cn`). */
  readonly name: 'global' | 'china';
  readonly partition: Partition;
  /**
   * The region both stacks are synthesized for; `undefined` leaves them environment-agnostic
   * (the global profile without `-c region` or CDK_DEFAULT_REGION).
   */
  readonly region: string | undefined;
  readonly email: EmailProfile;
  readonly staffIdentity: StaffIdentityProfile;
  readonly sms: SmsProfile;
  /** X-Ray tracing of functions, the API stage and the state machines; where off, why. */
  readonly xray: { readonly enabled: true } | { readonly enabled: false; readonly reason: string };
  /**
   * Whether an AWS managed WAF rule group (e.g. `AWSManagedRulesCommonRuleSet`), at an inspection
   * level for Bot Control, is offered there.
   */
  readonly wafManagedRules: {
    available(ruleGroup: string, inspectionLevel?: 'COMMON' | 'TARGETED'): boolean;
  };
  /** The secrets the stateful stack keeps for this profile's providers. */
  readonly providerSecrets: readonly ProviderSecretSpec[];
  /** Adapter modules the functions' bundles carry (the others stay out of every bundle). */
  readonly bundledAdapters: readonly ProfileAdapterModule[];
  /** Whether the stacks deploy the function of this manifest entry. */
  deploys(entry: FunctionEntry): boolean;
  /**
   * Whether the web apps are hosted by the stacks (S3 + CloudFront with origin access control and
   * the console signing in through the Cognito Hosted UI); where not, why.
   */
  readonly webHosting: { readonly enabled: true } | { readonly enabled: false; readonly reason: string };
}

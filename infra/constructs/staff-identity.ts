import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/env';
import type { StaffGroup } from '../../shared/manifest/types';
import type { StaffIdentityProfile } from '../profiles';
import { StackPart } from './stack-part';

/** Every staff group of the manifest, with its precedence and what its members do. */
const STAFF_GROUPS: Readonly<
  Record<StaffGroup, { readonly precedence: number; readonly description: string }>
> = {
  reviewer: {
    precedence: 10,
    description: 'Works the review queue: call-backs, site inspections, decisions',
  },
  operator: {
    precedence: 20,
    description: 'Keeps the terminal inventory, binds and unbinds terminals',
  },
};

/**
 * Where staff sign in, as the profile says (infra/profiles/):
 * - `cognito`: the staff user pool (MFA, strong passwords, threat protection, no self sign-up), one
 *   Cognito group per staff group of the manifest, and the SRP-only public client whose ID tokens
 *   API Gateway's Cognito authorizer and the merchant-or-staff handlers accept;
 * - `oidc`: the acquirer's own identity provider, nothing to create here: its issuer, audience and
 *   keys, which the Lambda authorizer and the merchant-or-staff handlers verify tokens against.
 */
export class StaffIdentity extends StackPart {
  /** The staff user pool and its client (`cognito` only). */
  readonly userPool: cognito.UserPool | undefined;
  readonly userPoolClient: cognito.UserPoolClient | undefined;
  /** `iss` of the staff tokens. */
  readonly issuer: string;
  /** `aud` of the staff tokens. */
  readonly audience: string;
  /** Where the handlers fetch the signing keys. */
  readonly jwksUri: string;
  /** Every variable a function that verifies staff tokens reads (STAFF_JWT_*, STAFF_GROUPS_CLAIM, …). */
  readonly verifierEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, profile: StaffIdentityProfile = { kind: 'cognito' }) {
    super(scope, id);
    if (profile.kind === 'oidc') {
      this.userPool = undefined;
      this.userPoolClient = undefined;
      this.issuer = profile.issuer;
      this.audience = profile.audience;
      this.jwksUri = profile.jwksUri;
      this.verifierEnvironment = {
        [ENV.staffJwtIssuer]: this.issuer,
        [ENV.staffJwtAudience]: this.audience,
        [ENV.staffJwksUri]: this.jwksUri,
        [ENV.staffJwtAlgorithms]: profile.algorithms.join(','),
        [ENV.staffGroupsClaim]: profile.groupsClaim,
        // An OIDC IdP's tokens carry no Cognito `token_use`.
        [ENV.staffTokenUse]: '',
      };
      return;
    }
    const userPool = new cognito.UserPool(this, 'StaffUserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus tier: threat protection blocks risky sign-ins and compromised passwords of staff
      // accounts, which can approve merchants (a few staff MAUs).
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool = userPool;
    for (const [groupName, { precedence, description }] of Object.entries(STAFF_GROUPS)) {
      new cognito.CfnUserPoolGroup(this, `${groupName.charAt(0).toUpperCase()}${groupName.slice(1)}Group`, {
        userPoolId: userPool.userPoolId,
        groupName,
        precedence,
        description,
      });
    }
    // API Gateway's Cognito authorizer (no OAuth scopes) and the handlers accept the ID token,
    // whose `aud` is this client's id (STAFF_JWT_AUDIENCE).
    const userPoolClient = userPool.addClient('StaffClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: false, adminUserPassword: false, custom: false },
      disableOAuth: true,
      // The shortest Cognito allows: a revoked staff member (disabled, signed out everywhere, removed
      // from a group) cannot refresh, so their last token dies within 5 minutes. The API's
      // authorizer caches nothing and the handlers refuse older tokens (STAFF_TOKEN_MAX_AGE_SECONDS).
      idTokenValidity: Duration.minutes(5),
      accessTokenValidity: Duration.minutes(5),
      refreshTokenValidity: Duration.hours(8),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    this.userPoolClient = userPoolClient;
    this.issuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${userPool.userPoolId}`;
    this.audience = userPoolClient.userPoolClientId;
    this.jwksUri = `${this.issuer}/.well-known/jwks.json`;
    // The verifier's defaults are Cognito's (RS256, `cognito:groups`, `token_use` id).
    this.verifierEnvironment = {
      [ENV.staffJwtIssuer]: this.issuer,
      [ENV.staffJwtAudience]: this.audience,
      [ENV.staffJwksUri]: this.jwksUri,
    };
  }
}

import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { StaffGroup } from '../../shared/manifest/types';
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
 * The staff user pool (MFA, strong passwords, threat protection, no self sign-up), one Cognito
 * group per staff group of the manifest, and the SRP-only public client whose ID tokens API
 * Gateway's Cognito authorizer and the merchant-or-staff handlers accept.
 */
export class StaffIdentity extends StackPart {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** `iss` of the staff ID tokens. */
  readonly issuer: string;
  /** Where the handlers fetch the pool's signing keys. */
  readonly jwksUri: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'StaffUserPool', {
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
    for (const [groupName, { precedence, description }] of Object.entries(STAFF_GROUPS)) {
      new cognito.CfnUserPoolGroup(this, `${groupName.charAt(0).toUpperCase()}${groupName.slice(1)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName,
        precedence,
        description,
      });
    }
    // API Gateway's Cognito authorizer (no OAuth scopes) and the handlers accept the ID token,
    // whose `aud` is this client's id (STAFF_JWT_AUDIENCE).
    this.userPoolClient = this.userPool.addClient('StaffClient', {
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
    this.issuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;
    this.jwksUri = `${this.issuer}/.well-known/jwks.json`;
  }
}

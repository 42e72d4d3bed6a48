import { Aws, Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
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

/** Where staff sign in to the console. */
export interface StaffIdentityProps {
  /**
   * Prefix of the Hosted UI domain, `https://<prefix>.auth.<region>.amazoncognito.com` (unique in
   * the region across all accounts). @default `merchant-onboarding-<account id>`
   */
  readonly signInDomainPrefix?: string;
}

/**
 * The staff user pool (MFA, strong passwords, threat protection, no self sign-up), one Cognito
 * group per staff group of the manifest, and the public client (no secret) whose ID tokens API
 * Gateway's Cognito authorizer and the merchant-or-staff handlers accept. Staff sign in to the
 * console through the pool's Hosted UI with that client (authorization code + PKCE, back to the
 * console's addresses given by {@link allowConsole}); SRP stays open to scripts.
 */
export class StaffIdentity extends StackPart {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** `iss` of the staff ID tokens. */
  readonly issuer: string;
  /** Where the handlers fetch the pool's signing keys. */
  readonly jwksUri: string;
  /** The Hosted UI's base URL (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  readonly signInUrl: string;
  private consoleUrls: readonly string[] | undefined;

  constructor(scope: Construct, id: string, props: StaffIdentityProps = {}) {
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
    // whose `aud` is this client's id (STAFF_JWT_AUDIENCE): the console signs in with this very
    // client, so its tokens are the ones the API already accepts.
    const consoleUrls = Lazy.list({
      produce: () => {
        if (!this.consoleUrls)
          throw new Error('StaffIdentity: the console addresses were never given (allowConsole)');
        return [...this.consoleUrls];
      },
    });
    this.userPoolClient = this.userPool.addClient('StaffClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: false, adminUserPassword: false, custom: false },
      // The Hosted UI's authorization code grant only (no implicit grant: tokens never travel in a
      // URL); the console sends a PKCE S256 challenge with every authorization request.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: consoleUrls,
        logoutUrls: consoleUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
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
    // The classic Hosted UI (sign-in, new password, TOTP set-up and challenge) on a Cognito domain.
    const domain = this.userPool.addDomain('StaffSignInDomain', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `merchant-onboarding-${Aws.ACCOUNT_ID}` },
      managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    this.signInUrl = domain.baseUrl();
  }

  /**
   * The console's addresses (`https://<host>/console/`): where the Hosted UI may send a code
   * (callback URLs, exact match) and come back to after sign-out (logout URLs). Called once.
   */
  allowConsole(urls: readonly string[]): void {
    if (this.consoleUrls) throw new Error('StaffIdentity: the console addresses are already given');
    if (urls.length === 0) throw new Error('StaffIdentity: the console needs at least one address');
    this.consoleUrls = urls;
  }
}

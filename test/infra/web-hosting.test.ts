import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config';
import { API_PATH_PATTERN, WebHosting, webPathsFunctionCode } from '../../infra/constructs/web-hosting';
import { PROJECT_ROOT } from '../../infra/house-function';
import { buildOnboardingApp, type OnboardingStacks } from '../../infra/onboarding-app';
import { parseConsoleConfig } from '../../web/runtime-config';
import { WEB_APPS, webSecurityHeaders } from '../../web/security-headers';
import { WEB_FIXTURE_DIR } from './fixtures/web';

/** The global profile hosts the web apps: both parts exist. */
function defined<T>(part: T | undefined): T {
  if (part === undefined) throw new Error('the global profile hosts the web apps');
  return part;
}

/*
 * The web hosting and the web stack, synthesized with the CDK context of cdk.json and cdk-nag's
 * AwsSolutions and NIST 800-53 R5 packs (a finding fails the synth): origin access control, the
 * bucket policy, the security headers (exactly those of web/security-headers.ts), the behaviours and
 * the viewer-request function (run here), the staff client's Hosted UI settings and the console's
 * config.json as deployed.
 */

const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8'),
).context;

/** AWS managed policies of CloudFront (their ids are fixed by AWS). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

type Json = ReturnType<Template['toJSON']>;

/**
 * A template value as text: `Fn::Join` concatenated, every other intrinsic (Ref, GetAtt,
 * ImportValue) replaced by what `name` makes of it, so a header value can be compared whole.
 */
function render(value: unknown, name: (intrinsic: Json) => string): string {
  if (typeof value === 'string') return value;
  const object = value as Json;
  if (Array.isArray(object['Fn::Join'])) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => render(part, name)).join(separator);
  }
  return name(object);
}

/** Runs the viewer-request function on a request as CloudFront Functions would hand it over. */
function runPaths(uri: string, querystring: Record<string, { value: string }> = {}) {
  const handler = new Function(`${webPathsFunctionCode()}; return handler;`)() as (event: unknown) => Json;
  return handler({ request: { uri, querystring, headers: {} } });
}

describe('web hosting and the web stack (whole app, cdk.json context, cdk-nag)', () => {
  let stacks: OnboardingStacks;
  let hosting: Template;
  let web: Template;
  let stateless: Template;
  let hostingResources: Record<string, Json>;

  beforeAll(() => {
    const app = new App({ context: CDK_CONTEXT });
    stacks = buildOnboardingApp(app, { skipBundling: true, env: {}, webDir: WEB_FIXTURE_DIR });
    hosting = Template.fromStack(Stack.of(defined(stacks.stateless.webHosting)));
    web = Template.fromStack(defined(stacks.web));
    stateless = Template.fromStack(stacks.stateless);
    hostingResources = hosting.toJSON().Resources;
  }, 240_000);

  const distribution = () => {
    const [config] = Object.values(hosting.findResources('AWS::CloudFront::Distribution')).map(
      (resource) => resource.Properties.DistributionConfig as Json,
    );
    if (!config) throw new Error('no distribution');
    return config;
  };
  const behaviour = (pattern: string) =>
    (distribution().CacheBehaviors as Json[]).find((candidate) => candidate.PathPattern === pattern);
  const logicalIdOf = (type: string) => {
    const ids = Object.keys(hosting.findResources(type));
    expect(ids, type).toHaveLength(1);
    return ids[0] as string;
  };

  it('reads the private bucket through origin access control (SigV4), never an OAI', () => {
    hosting.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    hosting.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
        Name: Match.anyValue(),
      },
    });
    const oac = logicalIdOf('AWS::CloudFront::OriginAccessControl');
    const s3Origins = (distribution().Origins as Json[]).filter((origin) => origin.S3OriginConfig);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]).toMatchObject({
      OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    const bucket = hostingResources[webBucketId()];
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { LogFilePrefix: 'web-bucket/' },
    });
  });

  function webBucketId(): string {
    const hostingStack = Stack.of(defined(stacks.stateless.webHosting));
    return hostingStack.getLogicalId(defined(stacks.stateless.webHosting).bucket.node.defaultChild as never);
  }

  it('lets only this distribution read the bucket (GetObject), and only over TLS', () => {
    const bucket = webBucketId();
    const [policy] = Object.values(
      hosting.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucket } } }),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as Json[];
    const distributionId = logicalIdOf('AWS::CloudFront::Distribution');
    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allow = statements.find((statement) => statement.Effect === 'Allow');
    expect(allow).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
    });
    expect(JSON.stringify(allow?.Condition)).toContain(`{"Ref":"${distributionId}"}`);
    expect(JSON.stringify(allow?.Condition)).toContain('AWS:SourceArn');
  });

  it('sends exactly the security headers of web/security-headers.ts, the console’s CSP also allowing its sign-in domain', () => {
    const policies = Object.entries(hosting.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies).toHaveLength(2);
    const byComment = (part: string) => {
      const found = policies.find(([, resource]) =>
        resource.Properties.ResponseHeadersPolicyConfig.Comment.includes(part),
      );
      if (!found) throw new Error(part);
      return found[1].Properties.ResponseHeadersPolicyConfig as Json;
    };
    const name = (intrinsic: Json): string => {
      const text = JSON.stringify(intrinsic);
      if (text.includes('DocumentsBucket') && text.includes('RegionalDomainName')) return 'documents.example';
      if (text.includes('SignInDomain')) return 'staff-sign-in';
      if (text.includes('AWS::Region')) return 'region-1';
      throw new Error(`unexpected value in a header: ${text}`);
    };
    const headersOf = (config: Json): Record<string, string> => {
      const security = config.SecurityHeadersConfig as Json;
      const hsts = security.StrictTransportSecurity as Json;
      const headers: Record<string, string> = {
        'Content-Security-Policy': render(security.ContentSecurityPolicy.ContentSecurityPolicy, name),
        'Strict-Transport-Security': `max-age=${hsts.AccessControlMaxAgeSec}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}${hsts.Preload ? '; preload' : ''}`,
        'X-Frame-Options': security.FrameOptions.FrameOption,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': security.ReferrerPolicy.ReferrerPolicy,
      };
      for (const custom of config.CustomHeadersConfig.Items as Json[])
        headers[custom.Header] = render(custom.Value, name);
      // Every header replaces whatever the origin (S3, API Gateway) sends.
      for (const key of [
        'ContentSecurityPolicy',
        'ContentTypeOptions',
        'FrameOptions',
        'ReferrerPolicy',
        'StrictTransportSecurity',
      ])
        expect(security[key].Override, key).toBe(true);
      return headers;
    };

    const documentsOrigin = 'https://documents.example';
    expect(headersOf(byComment('PagesHeaders'))).toEqual(webSecurityHeaders({ documentsOrigin }));
    const consoleHeaders = headersOf(byComment('ConsoleHeaders'));
    expect(consoleHeaders).toEqual(
      webSecurityHeaders({
        documentsOrigin,
        connectOrigins: ['https://staff-sign-in.auth.region-1.amazoncognito.com'],
      }),
    );
    const csp = consoleHeaders['Content-Security-Policy'] ?? '';
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(consoleHeaders['Strict-Transport-Security']).toMatch(/^max-age=\d{8}; includeSubDomains/);
    expect(consoleHeaders['X-Frame-Options']).toBe('DENY');

    // The console's behaviour gets the console's policy; the other behaviours the pages' one.
    const [consolePolicy, pagesPolicy] = ['ConsoleHeaders', 'PagesHeaders'].map(
      (part) =>
        policies.find(([, resource]) =>
          resource.Properties.ResponseHeadersPolicyConfig.Comment.includes(part),
        )?.[0],
    );
    expect(behaviour('/console/*')?.ResponseHeadersPolicyId).toEqual({ Ref: consolePolicy });
    for (const pattern of ['/m/*', API_PATH_PATTERN])
      expect(behaviour(pattern)?.ResponseHeadersPolicyId, pattern).toEqual({ Ref: pagesPolicy });
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: pagesPolicy });
  });

  it('forwards /v1/* to the API stage uncached, every method, every viewer header but Host, HTTPS and TLS 1.2 only', () => {
    const api = behaviour(API_PATH_PATTERN);
    expect(api).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
    });
    expect(api?.FunctionAssociations).toBeUndefined();
    const origin = (distribution().Origins as Json[]).find(
      (candidate) => candidate.Id === api?.TargetOriginId,
    );
    expect(origin).toMatchObject({
      OriginPath: `/${CDK_CONTEXT.stage}`,
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    // The REST API's regional host, from the API's id alone (a nested stack parameter).
    expect(
      render(origin?.DomainName, (intrinsic) =>
        intrinsic.Ref === 'AWS::Region'
          ? 'region-1'
          : intrinsic.Ref === 'AWS::URLSuffix'
            ? 'amazonaws.com'
            : 'api-id',
      ),
    ).toBe('api-id.execute-api.region-1.amazonaws.com');
    if (!origin) throw new Error('no API origin');
    const parameter = (origin.DomainName['Fn::Join'][1][0] as Json).Ref as string;
    // The hosting stack is the nested stack given that parameter (the log groups' and alarms' are others).
    const nested = Object.values(stateless.findResources('AWS::CloudFormation::Stack'))
      .map((resource) => resource.Properties?.Parameters as Record<string, unknown> | undefined)
      .find((parameters) => parameters !== undefined && parameter in parameters);
    const apiId = stacks.stateless.getLogicalId(stacks.stateless.api.node.defaultChild as never);
    expect(nested?.[parameter]).toEqual({ Ref: apiId });
  });

  it('serves each app from the bucket over HTTPS with its index.html for page paths (the function, run here)', () => {
    const functionId = logicalIdOf('AWS::CloudFront::Function');
    const fn = hostingResources[functionId]?.Properties;
    expect(fn?.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn?.FunctionCode).toBe(webPathsFunctionCode());
    for (const app of WEB_APPS) {
      expect(behaviour(`${app.basePath}*`), app.name).toMatchObject({
        AllowedMethods: ['GET', 'HEAD'],
        CachePolicyId: CACHING_OPTIMIZED,
        ViewerProtocolPolicy: 'redirect-to-https',
        Compress: true,
        FunctionAssociations: [
          { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
        ],
      });
    }
    expect(distribution().DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    expect(distribution().CacheBehaviors).toHaveLength(WEB_APPS.length + 1);

    expect(runPaths('/console/').uri).toBe('/console/index.html');
    expect(runPaths('/console/cases/01J', { code: { value: 'c' } }).uri).toBe('/console/index.html');
    expect(runPaths('/m/').uri).toBe('/m/index.html');
    expect(runPaths('/console/assets/index-abc.js').uri).toBe('/console/assets/index-abc.js');
    expect(runPaths('/console/config.json').uri).toBe('/console/config.json');
    expect(runPaths('/console', { lang: { value: 'en' } })).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/console/?lang=en' } },
    });
    expect(runPaths('/m')).toMatchObject({ statusCode: 301, headers: { location: { value: '/m/' } } });
    expect(runPaths('/')).toMatchObject({ statusCode: 302, headers: { location: { value: '/m/' } } });
    expect(runPaths('/robots.txt').uri).toBe('/robots.txt');
  });

  it('logs every request to the log bucket and, without a custom domain, uses the distribution’s own certificate', () => {
    const logs =
      hostingResources[
        Stack.of(defined(stacks.stateless.webHosting)).getLogicalId(
          defined(stacks.stateless.webHosting).logsBucket.node.defaultChild as never,
        )
      ];
    expect(distribution().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [expect.any(String), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    expect(logs?.Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(logs?.DeletionPolicy).toBe('Retain');
    expect(distribution().ViewerCertificate).toBeUndefined();
    expect(distribution().Aliases).toBeUndefined();
    // Acknowledgements live on the constructs (not copied into the template's Metadata).
    const acknowledged = Stack.of(defined(stacks.stateless.webHosting))
      .node.findAll()
      .flatMap((scope) => scope.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(JSON.stringify(acknowledged)).toContain('AwsSolutions-CFR4');
  });

  it('signs staff in through the Hosted UI with the staff client: code flow only, back to the console', () => {
    const distributionDomain = Match.objectLike({
      'Fn::GetAtt': [Match.stringLikeRegexp('WebHosting'), Match.stringLikeRegexp('DomainName$')],
    });
    const consoleUrl = { 'Fn::Join': ['', ['https://', distributionDomain, '/console/']] };
    stateless.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    stateless.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['', ['merchant-onboarding-', { Ref: 'AWS::AccountId' }]] },
      ManagedLoginVersion: 1,
    });
  });

  it('deploys each app’s hashed assets for a year and its shell with config.json revalidated, then invalidates the app', () => {
    const deployments = Object.values(web.findResources('Custom::CDKBucketDeployment')).map(
      (resource) => resource.Properties,
    );
    expect(deployments).toHaveLength(WEB_APPS.length * 2);
    for (const app of WEB_APPS) {
      const prefix = app.basePath.slice(1);
      const assets = deployments.find(
        (properties) => properties.DestinationBucketKeyPrefix === `${prefix}assets/`,
      );
      const shell = deployments.find((properties) => properties.DestinationBucketKeyPrefix === prefix);
      expect(assets, app.name).toMatchObject({
        Prune: false,
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      });
      expect(shell, app.name).toMatchObject({
        Prune: true,
        Exclude: ['assets/*'],
        SystemMetadata: { 'cache-control': 'no-cache' },
        DistributionId: { 'Fn::ImportValue': 'MerchantOnboarding-Stateless-WebDistributionId' },
        DistributionPaths: [`${app.basePath}*`],
      });
    }
    web.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 90 });
    web.hasOutput('ConsoleUrl', {
      Value: {
        'Fn::Join': ['', [{ 'Fn::ImportValue': 'MerchantOnboarding-Stateless-WebUrl' }, '/console/']],
      },
    });
  });

  it('writes a config.json the console accepts: the Hosted UI’s endpoints and the staff client', () => {
    const assembly = (defined(stacks.web).node.root as App).synth();
    const shell = Object.values(web.findResources('Custom::CDKBucketDeployment'))
      .map((resource) => resource.Properties)
      .find((properties) => properties.DestinationBucketKeyPrefix === 'console/');
    if (!shell) throw new Error('no deployment of the console shell');
    const keys = shell.SourceObjectKeys as string[];
    const markers = (shell.SourceMarkers as Record<string, Json>[])[1] ?? {};
    const values: Record<string, string> = {};
    for (const [marker, value] of Object.entries(markers)) {
      const text = JSON.stringify(value);
      values[marker] = text.includes('StaffClient')
        ? 'staff-client-id'
        : text.includes('SignInDomain')
          ? 'staff-sign-in'
          : text.includes('AWS::Region')
            ? 'region-1'
            : 'unexpected';
    }
    const hash = (keys[1] ?? '').replace(/\.zip$/, '');
    let text = readFileSync(join(assembly.directory, `asset.${hash}`, 'config.json'), 'utf8');
    for (const [marker, value] of Object.entries(values)) text = text.split(marker).join(value);
    const base = 'https://staff-sign-in.auth.region-1.amazoncognito.com';
    expect(parseConsoleConfig(JSON.parse(text))).toEqual({
      signIn: {
        kind: 'oidc',
        authorizationEndpoint: `${base}/oauth2/authorize`,
        tokenEndpoint: `${base}/oauth2/token`,
        revocationEndpoint: `${base}/oauth2/revoke`,
        logout: { endpoint: `${base}/logout`, redirectParameter: 'logout_uri' },
        clientId: 'staff-client-id',
        scopes: ['openid', 'email', 'profile'],
        groupsClaim: 'cognito:groups',
      },
    });
  });

  it('keeps the hosting and web templates small (a nested stack and a stack of their own)', () => {
    const assembly = (defined(stacks.web).node.root as App).synth();
    const hostingBytes = JSON.stringify(hosting.toJSON()).length;
    expect(hostingBytes).toBeLessThan(50_000);
    const webBytes = readFileSync(join(assembly.directory, defined(stacks.web).templateFile)).byteLength;
    expect(webBytes).toBeLessThan(50_000);
  });

  it('refuses to synthesize without the built apps, saying how to build them', () => {
    const app = new App({ context: CDK_CONTEXT });
    expect(() =>
      buildOnboardingApp(app, {
        skipBundling: true,
        env: {},
        nag: false,
        webDir: join(WEB_FIXTURE_DIR, 'missing'),
      }),
    ).toThrow(/npm run build:web/);
  });
});

describe('web hosting behind a custom domain', () => {
  it('serves the domain with its us-east-1 certificate and TLS 1.2 at least, cdk-nag clean without the TLS acknowledgement', () => {
    const app = new App({ context: CDK_CONTEXT });
    const stack = new Stack(app, 'WebHostingWithDomain');
    const hosting = new WebHosting(stack, 'Web', {
      restApiId: 'abc123',
      stage: 'prod',
      documentsOrigin: 'https://documents.s3.ap-southeast-1.amazonaws.com',
      consoleConnectOrigins: ['https://staff.auth.ap-southeast-1.amazoncognito.com'],
      domain: {
        name: 'onboarding.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      },
    });
    const nag = { writeSuppressionsToCloudFormation: true };
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, nag), new NIST80053R5Checks(app, nag));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['onboarding.example.com'],
        ViewerCertificate: {
          AcmCertificateArn:
            'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    expect(hosting.url).toBe('https://onboarding.example.com');
    const acknowledged = JSON.stringify(template.toJSON());
    expect(acknowledged).toContain('AwsSolutions-CFR2');
    expect(acknowledged).not.toContain('AwsSolutions-CFR4');
    // Literal origins need no deploy-time substitution: the module's own output, word for word.
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: webSecurityHeaders({
              documentsOrigin: 'https://documents.s3.ap-southeast-1.amazonaws.com',
              connectOrigins: ['https://staff.auth.ap-southeast-1.amazoncognito.com'],
            })['Content-Security-Policy'],
            Override: true,
          },
        }),
      }),
    });
  });
});

describe('the web context values', () => {
  const read = (context: Record<string, unknown>) =>
    readConfig(new App({ context: { ...CDK_CONTEXT, ...context } }).node);

  it('takes a custom domain with its us-east-1 certificate, both or neither', () => {
    const certificateArn =
      'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
    expect(
      read({ webDomainName: 'Onboarding.Example.com', webCertificateArn: certificateArn }),
    ).toMatchObject({
      webDomainName: 'onboarding.example.com',
      webCertificateArn: certificateArn,
    });
    expect(() => read({ webDomainName: 'onboarding.example.com' })).toThrow(
      /"webDomainName" and "webCertificateArn"/,
    );
    expect(() =>
      read({
        webDomainName: 'onboarding.example.com',
        webCertificateArn: certificateArn.replace('us-east-1', 'eu-west-1'),
      }),
    ).toThrow(/us-east-1/);
    expect(() =>
      read({ webDomainName: 'https://onboarding.example.com', webCertificateArn: certificateArn }),
    ).toThrow(/"webDomainName" must be a host name/);
  });

  it('checks the Hosted UI domain prefix against Cognito’s rules', () => {
    expect(read({ staffSignInDomainPrefix: 'acquirer-staff' }).staffSignInDomainPrefix).toBe(
      'acquirer-staff',
    );
    for (const bad of ['Acquirer', 'my-cognito-login', '-staff', 'a'.repeat(64)])
      expect(() => read({ staffSignInDomainPrefix: bad }), bad).toThrow(/staffSignInDomainPrefix/);
  });
});

import { Aws, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { WEB_APPS, type WebSecurityOptions, webSecurityHeaders } from '../../web/security-headers';

/** The app `/` sends visitors to (merchants are the public; staff know `/console/`). */
export const DEFAULT_APP_PATH = WEB_APPS.find((app) => app.name === 'merchant')?.basePath ?? '/m/';

/** The API's path prefix, forwarded to the REST API's stage. */
export const API_PATH_PATTERN = '/v1/*';

export interface WebHostingProps {
  /**
   * The REST API `/v1/*` goes to. Only its id is used (the origin is its regional
   * `execute-api` host), so the hosting depends on the API resource alone, not on its stage,
   * methods or functions.
   */
  readonly restApiId: string;
  /** The API Gateway stage, the origin path of `/v1/*`. */
  readonly stage: string;
  /** Origin of the documents bucket's presigned URLs (`https://<bucket>.s3.<region>.amazonaws.com`). */
  readonly documentsOrigin: string;
  /** Origins the console calls to sign in: its identity provider's token (and revocation) endpoints. */
  readonly consoleConnectOrigins: readonly string[];
  /**
   * A custom host name with its ACM certificate (us-east-1): served with TLS 1.2 or later. Without
   * one, the distribution's `*.cloudfront.net` name, where CloudFront also accepts TLS 1.0.
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
}

/**
 * The hosting of both web apps and the API under one origin: a private S3 bucket read by CloudFront
 * through origin access control (no public access, no OAI), the apps at `/console/` and `/m/` (a
 * viewer-request function serves each app's `index.html` for its page paths, redirects the bare
 * prefixes and `/`), `/v1/*` passed uncached to the REST API's stage with every method and every
 * viewer header but Host (Authorization and Idempotency-Key included), so the apps use relative
 * paths and need no CORS. Every answer carries the security headers of web/security-headers.ts;
 * HTTPS only; access logs of the distribution and the bucket go to a log bucket.
 */
export class WebHosting extends Construct {
  /** Holds `<basePath>/…` of each app (`console/…`, `m/…`). */
  readonly bucket: s3.Bucket;
  /** CloudFront's standard logs (`cloudfront/`) and the bucket's server access logs (`web-bucket/`). */
  readonly logsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<host>`: the custom domain, else the distribution's domain name. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);

    this.logsBucket = new s3.Bucket(this, 'WebLogsBucket', {
      // CloudFront standard logging writes with an ACL grant (awslogsdelivery), and neither it nor
      // S3 server access logging delivers to an SSE-KMS bucket.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-web-logs',
          expiration: Duration.days(365),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logsBucket).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason:
          'This bucket is the destination of the web logs (CloudFront standard logs and the web bucket’s server access logs); logging it into itself would loop.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketLoggingEnabled',
        reason:
          'This bucket is the destination of the web logs (CloudFront standard logs and the web bucket’s server access logs); logging it into itself would loop.',
      },
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          'CloudFront standard logging and S3 server access logging do not deliver to SSE-KMS buckets, so the logs are encrypted with SSE-S3. They hold request metadata (paths, statuses, client addresses), never bodies.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'Web access logs are kept 365 days in the deployment region, versioned and retained on stack deletion; replicating them elsewhere would move them out of the chosen region.',
      },
    );

    this.bucket = new s3.Bucket(this, 'WebBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Old files stay readable for a month after a deployment replaces them (pages already open
      // keep loading their chunks); then they go.
      versioned: true,
      lifecycleRules: [{ id: 'expire-replaced-files', noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'web-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge(
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          'The bucket holds the built web apps, the same files CloudFront sends to every visitor (no personal data, no secret); SSE-S3 encrypts them at rest, and a KMS key would add a key policy for CloudFront and a cost per request without protecting anything more.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'The files are a build output: any deployment writes them again from the repository, so a replica adds nothing to their recovery.',
      },
    );

    const pagesHeaders = this.headersPolicy('PagesHeaders', {
      documentsOrigin: props.documentsOrigin,
    });
    const consoleHeaders = this.headersPolicy('ConsoleHeaders', {
      documentsOrigin: props.documentsOrigin,
      connectOrigins: props.consoleConnectOrigins,
    });

    const paths = new cloudfront.Function(this, 'WebPaths', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Web apps: index.html for page paths, redirects of / and the bare app prefixes',
      code: cloudfront.FunctionCode.fromInline(webPathsFunctionCode()),
    });
    // Named per region: OAC and response headers policy names are global to the account.
    const originAccessControl = new cloudfront.S3OriginAccessControl(this, 'WebOriginAccessControl', {
      originAccessControlName: `merchant-onboarding-web-${Aws.REGION}`,
      description: 'CloudFront reads the web apps from their private bucket (SigV4 on every request)',
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });
    const s3Origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessControl });
    const pageBehavior = (headers: cloudfront.IResponseHeadersPolicy): cloudfront.BehaviorOptions => ({
      origin: s3Origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      compress: true,
      functionAssociations: [{ function: paths, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    });
    const apiOrigin = new origins.HttpOrigin(
      `${props.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
      {
        originPath: `/${props.stage}`,
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      },
    );

    const certificate = props.domain
      ? acm.Certificate.fromCertificateArn(this, 'WebCertificate', props.domain.certificateArn)
      : undefined;
    this.distribution = new cloudfront.Distribution(this, 'WebDistribution', {
      comment: 'POS merchant onboarding: staff console, merchant pages and /v1',
      defaultBehavior: pageBehavior(pagesHeaders),
      additionalBehaviors: {
        ...Object.fromEntries(
          WEB_APPS.map((app) => [
            `${app.basePath}*`,
            pageBehavior(app.name === 'console' ? consoleHeaders : pagesHeaders),
          ]),
        ),
        [API_PATH_PATTERN]: {
          origin: apiOrigin,
          // HTTPS_ONLY rather than a redirect: a redirected POST would lose its body.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Nothing of the API is cached; with caching disabled CloudFront forwards Authorization
          // through the origin request policy. Every viewer header but Host goes on (API Gateway
          // answers for its own host name only), Idempotency-Key and the query string included.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: pagesHeaders,
          compress: true,
        },
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domain && certificate
        ? {
            domainNames: [props.domain.name],
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
    });
    this.url = `https://${props.domain ? props.domain.name : this.distribution.distributionDomainName}`;

    const acknowledgements: { id: string; reason: string }[] = [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: merchants apply from anywhere in mainland China (often through WeChat on the road) and staff work from the acquirer’s offices; which countries to refuse is the operator’s policy, not a default of this app.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'A CloudFront web ACL can only be created in us-east-1, and this stack deploys to the acquirer’s region. The static pages are public files; /v1 is forwarded to the REST API, whose regional WAF web ACL (managed rule groups, body size, rate limits) inspects every API request.',
      },
    ];
    if (!props.domain) {
      acknowledgements.push({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain (context webDomainName and webCertificateArn) the distribution uses its *.cloudfront.net certificate, for which CloudFront sets the TLSv1 security policy whatever is asked. Set both context values to serve with TLS 1.2 or later (docs/deploy.md).',
      });
    }
    Validations.of(this.distribution).acknowledge(...acknowledgements);
  }

  /**
   * A response headers policy with exactly the headers of web/security-headers.ts, overriding any
   * the origin sends. The module checks its origins as URLs, and these are deploy-time values
   * (bucket and domain names), so it is given placeholders which are then replaced by the values.
   */
  private headersPolicy(id: string, options: WebSecurityOptions): cloudfront.ResponseHeadersPolicy {
    const values = new Map<string, string>();
    const placeholder = (origin: string) => {
      if (!Token.isUnresolved(origin)) return origin;
      const stand = `https://deploy-time-origin-${values.size}.invalid`;
      values.set(stand, origin);
      return stand;
    };
    const headers = webSecurityHeaders({
      documentsOrigin: placeholder(options.documentsOrigin),
      connectOrigins: (options.connectOrigins ?? []).map(placeholder),
    });
    const resolve = (value: string) =>
      [...values].reduce((text, [stand, origin]) => text.split(stand).join(origin), value);
    const security: cloudfront.ResponseSecurityHeadersBehavior = {};
    const custom: cloudfront.ResponseCustomHeader[] = [];
    const mutable = security as Record<string, unknown>;
    for (const [name, value] of Object.entries(headers)) {
      switch (name.toLowerCase()) {
        case 'content-security-policy':
          mutable.contentSecurityPolicy = { contentSecurityPolicy: resolve(value), override: true };
          break;
        case 'strict-transport-security':
          mutable.strictTransportSecurity = { ...parseHsts(value), override: true };
          break;
        case 'x-frame-options':
          mutable.frameOptions = { frameOption: frameOption(value), override: true };
          break;
        case 'x-content-type-options':
          if (value !== 'nosniff')
            throw new Error(`X-Content-Type-Options ${value}: CloudFront sends nosniff only`);
          mutable.contentTypeOptions = { override: true };
          break;
        case 'referrer-policy':
          mutable.referrerPolicy = { referrerPolicy: referrerPolicy(value), override: true };
          break;
        default:
          custom.push({ header: name, value: resolve(value), override: true });
      }
    }
    return new cloudfront.ResponseHeadersPolicy(this, id, {
      responseHeadersPolicyName: `merchant-onboarding-${id}-${Aws.REGION}`,
      comment: `Security headers of web/security-headers.ts (${id})`,
      securityHeadersBehavior: security,
      ...(custom.length > 0 ? { customHeadersBehavior: { customHeaders: custom } } : {}),
    });
  }
}

function parseHsts(value: string): Omit<cloudfront.ResponseHeadersStrictTransportSecurity, 'override'> {
  const directives = value.split(';').map((part) => part.trim().toLowerCase());
  const maxAge = /^max-age=(\d+)$/.exec(directives.find((part) => part.startsWith('max-age=')) ?? '');
  if (!maxAge?.[1]) throw new Error(`Strict-Transport-Security without max-age: ${value}`);
  return {
    accessControlMaxAge: Duration.seconds(Number(maxAge[1])),
    includeSubdomains: directives.includes('includesubdomains'),
    preload: directives.includes('preload'),
  };
}

function frameOption(value: string): cloudfront.HeadersFrameOption {
  const option = {
    DENY: cloudfront.HeadersFrameOption.DENY,
    SAMEORIGIN: cloudfront.HeadersFrameOption.SAMEORIGIN,
  }[value.toUpperCase() as 'DENY' | 'SAMEORIGIN'];
  if (!option) throw new Error(`X-Frame-Options ${value} has no CloudFront equivalent`);
  return option;
}

function referrerPolicy(value: string): cloudfront.HeadersReferrerPolicy {
  const policy = Object.values(cloudfront.HeadersReferrerPolicy).find((candidate) => candidate === value);
  if (!policy) throw new Error(`Referrer-Policy ${value} has no CloudFront equivalent`);
  return policy;
}

/**
 * The viewer-request function of every page behaviour (CloudFront Functions, JavaScript 2.0): a
 * path under an app without a file extension is one of its pages and gets its `index.html` (the apps
 * route with the hash, so this is the app's root and the sign-in callback `/console/?code=…`); the
 * bare prefix (`/console`) is redirected to the directory, `/` to the merchant pages. The prefixes
 * come from WEB_APPS.
 */
export function webPathsFunctionCode(): string {
  const bases = JSON.stringify(WEB_APPS.map((app) => app.basePath));
  return `var BASES = ${bases};
var HOME = ${JSON.stringify(DEFAULT_APP_PATH)};
function query(qs) {
  var parts = [];
  for (var key in qs) {
    var item = qs[key];
    var items = item.multiValue ? item.multiValue : [item];
    for (var i = 0; i < items.length; i++) parts.push(items[i].value === '' ? key : key + '=' + items[i].value);
  }
  return parts.length ? '?' + parts.join('&') : '';
}
function redirect(location, status) {
  return { statusCode: status, statusDescription: status === 301 ? 'Moved Permanently' : 'Found',
    headers: { location: { value: location }, 'cache-control': { value: 'no-cache' } } };
}
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') return redirect(HOME + query(request.querystring), 302);
  for (var i = 0; i < BASES.length; i++) {
    var base = BASES[i];
    if (uri === base.slice(0, -1)) return redirect(base + query(request.querystring), 301);
    if (uri.indexOf(base) === 0) {
      if (uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) request.uri = base + 'index.html';
      return request;
    }
  }
  return request;
}
`;
}

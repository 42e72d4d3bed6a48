import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { ErrorCode } from '../../shared/errors';
import { MAX_BODY_BYTES } from '../../shared/manifest/api';
import { StackPart } from './stack-part';

/** Requests per IP per 5 minutes before WAF answers 429. */
const WAF_RATE_LIMIT_PER_IP = 1000;

/** A per-IP rate limit on one kind of request, matched by method and path pattern. */
export interface RouteRateRule {
  readonly name: string;
  readonly method: 'POST';
  /**
   * Regular expression on the URI path, as WAF sees it: with the stage in front
   * (`/prod/v1/...`, the execute-api URL) or without (a custom domain's base path mapping).
   */
  readonly pathPattern: string;
  /** Requests per IP per 5 minutes (WAF's minimum is 10). */
  readonly limit: number;
}

/**
 * Per-IP limits on the requests worth abusing one by one, far below the general limit: a method
 * throttle alone is shared by every client, so one abuser would exhaust it for all (a cheap denial
 * of service). Creating drafts (anonymous), guessing activation codes, and asking for or guessing
 * one-time codes (contact verification, merchant sessions) — matched by the paths of the spec,
 * including the routes that other parts add (`…/verifications`, `…/sessions` and their `/confirm`).
 */
export const ROUTE_RATE_RULES: readonly RouteRateRule[] = [
  {
    name: 'CreateApplicationPerIp',
    method: 'POST',
    pathPattern: '^(/[^/]+)?/v1/applications/?$',
    limit: 100,
  },
  {
    name: 'ActivateTerminalPerIp',
    method: 'POST',
    pathPattern: '^(/[^/]+)?/v1/terminals/[^/]+/activate/?$',
    limit: 30,
  },
  {
    name: 'ContactVerificationPerIp',
    method: 'POST',
    pathPattern: '^(/[^/]+)?/v1/applications/[^/]+/verifications(/confirm)?/?$',
    limit: 30,
  },
  {
    name: 'MerchantSessionPerIp',
    method: 'POST',
    pathPattern: '^(/[^/]+)?/v1/applications/[^/]+/sessions(/confirm)?/?$',
    limit: 30,
  },
];

/**
 * How much of a body WAF inspects: the body limit itself, so that the size rule sees every valid
 * body whole and anything longer is "oversize", which the rule treats as a match. WAF offers 16, 32,
 * 48 and 64 KB for API Gateway.
 */
function inspectionLimit(bytes: number): string {
  const kb = bytes / 1024;
  if (![16, 32, 48, 64].includes(kb)) throw new Error(`WAF cannot inspect exactly ${bytes} bytes of a body`);
  return `KB_${kb}`;
}

/** A WAF answer in the spec's error shape (WAF has no request id to add). */
function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

export interface ApiWafProps {
  readonly api: apigw.RestApi;
  readonly logsKey: kms.IKey;
}

/**
 * A regional WAF web ACL on the API stage: AWS managed common, known-bad-input and IP-reputation
 * rules, a per-IP rate limit on everything and tighter ones on the requests worth abusing one by
 * one ({@link ROUTE_RATE_RULES}), and the body size limit. Sampled requests are off because they would store
 * Authorization headers; the WAF log redacts them.
 */
export class ApiWaf extends StackPart {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWafProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: false,
    });
    const managed = (
      name: string,
      priority: number,
      ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
      visibilityConfig: visibility(name),
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'ApiWebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('merchant-onboarding-api'),
      customResponseBodies: {
        rateLimited: {
          contentType: 'APPLICATION_JSON',
          content: errorBody('RATE_LIMITED', 'Too many requests'),
        },
        tooLarge: {
          contentType: 'APPLICATION_JSON',
          content: errorBody('PAYLOAD_TOO_LARGE', 'Request too large'),
        },
      },
      // WAF inspects the first 16 KB of an API Gateway body by default.
      associationConfig: {
        requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: inspectionLimit(MAX_BODY_BYTES) } },
      },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rateLimited' } } },
          statement: { rateBasedStatement: { limit: WAF_RATE_LIMIT_PER_IP, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        ...ROUTE_RATE_RULES.map(
          (rule, index): wafv2.CfnWebACL.RuleProperty => ({
            name: rule.name,
            priority: 1 + index,
            action: {
              block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rateLimited' } },
            },
            statement: {
              rateBasedStatement: {
                limit: rule.limit,
                aggregateKeyType: 'IP',
                // Only these requests are counted (and blocked) by this rule.
                scopeDownStatement: {
                  andStatement: {
                    statements: [
                      {
                        byteMatchStatement: {
                          fieldToMatch: { method: {} },
                          positionalConstraint: 'EXACTLY',
                          searchString: rule.method,
                          textTransformations: [{ priority: 0, type: 'NONE' }],
                        },
                      },
                      {
                        regexMatchStatement: {
                          fieldToMatch: { uriPath: {} },
                          regexString: rule.pathPattern,
                          // `/prod//v1/./applications` or percent-encoding reach the same route.
                          textTransformations: [
                            { priority: 0, type: 'URL_DECODE' },
                            { priority: 1, type: 'NORMALIZE_PATH' },
                          ],
                        },
                      },
                    ],
                  },
                },
              },
            },
            visibilityConfig: visibility(rule.name),
          }),
        ),
        {
          name: 'BodyOver32KB',
          priority: 1 + ROUTE_RATE_RULES.length,
          action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: 'tooLarge' } } },
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: MAX_BODY_BYTES,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('BodyOver32KB'),
        },
        managed('AWSManagedRulesAmazonIpReputationList', 2 + ROUTE_RATE_RULES.length),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 3 + ROUTE_RATE_RULES.length),
        // Bodies up to 32 KB are valid (spec 4.1; BodyOver32KB above blocks beyond, the handler
        // answers 413 too), whereas this group's SizeRestrictions_BODY blocks at 8 KB; and API clients
        // such as POS back ends need not send a User-Agent: count these two rules instead of blocking.
        managed('AWSManagedRulesCommonRuleSet', 4 + ROUTE_RATE_RULES.length, [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
          { name: 'NoUserAgent_HEADER', actionToUse: { count: {} } },
        ]),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'ApiWebAclAssociation', {
      resourceArn: props.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    // WAF's own log: which rule matched which request. WAF logs headers, so the Authorization header
    // (merchant tokens, staff JWTs) is redacted, and so is Idempotency-Key (with the body, what a
    // replay of a create needs); bodies are never logged by WAF.
    const stackName = Stack.of(this).stackName;
    const wafLogs = new logs.LogGroup(this, 'WafLogs', {
      logGroupName: `aws-waf-logs-${stackName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new wafv2.CfnLoggingConfiguration(this, 'ApiWebAclLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` suffix that CloudFormation's Arn attribute has.
      logDestinationConfigs: [
        `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${wafLogs.logGroupName}`,
      ],
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
        { singleHeader: { Name: 'idempotency-key' } },
      ],
    });
  }
}

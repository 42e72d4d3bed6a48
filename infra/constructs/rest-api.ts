import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { statusOf } from '../../shared/errors';
import { GATEWAY_RESPONSES } from '../../shared/manifest/api';
import type { RouteAuth, RouteDefinition } from '../../shared/manifest/types';
import { ApiWaf } from './api-waf';
import { StackPart } from './stack-part';

/** Stage-wide throttling; WAF adds a per-IP rate limit in front of it. */
export const API_THROTTLING = { rateLimit: 50, burstLimit: 100 } as const;

const ACK_NO_APIG_AUTHORIZER: Record<Exclude<RouteAuth, 'staff'>, string> = {
  public:
    'Public by design (spec 4.1): the health probe and the creation of a draft application need no prior credential; the route is behind the WAF rate limit and the handler validates the body and the Idempotency-Key.',
  merchant:
    "The merchant's credential is the opaque per-application access token issued by create-application (stored only as a hash in DynamoDB), not a Cognito identity; the handler verifies the Bearer token on every request, so no API Gateway authorizer type can check it.",
  'merchant-or-staff':
    "Accepts either a merchant's opaque access token or a staff Cognito JWT; a Cognito authorizer would reject every merchant. The handler verifies both: the access-token hash, or the staff JWT's signature against STAFF_JWKS_URI, issuer, audience and cognito:groups.",
};

export interface RestApiProps {
  /** Every route of the manifest. */
  readonly routes: readonly RouteDefinition[];
  /** The function that serves a route. */
  readonly functionOf: (name: string) => lambda.IFunction;
  /** The staff user pool behind the Cognito authorizer of `staff` routes. */
  readonly userPool: cognito.IUserPool;
  readonly logsKey: kms.IKey;
  readonly stage: string;
}

/**
 * The regional REST API: one Lambda proxy method per manifest route (Cognito authorizer on `staff`
 * routes, the handler's own check elsewhere), per-route throttles from the manifest, access and
 * execution logs, tracing, API Gateway's own errors in the spec's shape, and the WAF.
 */
export class OnboardingRestApi extends StackPart {
  readonly api: apigw.RestApi;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.logsKey,
    });
    const methodOptions: Record<string, apigw.MethodDeploymentOptions> = {};
    for (const route of props.routes) {
      if (!route.throttle) continue;
      methodOptions[`${route.path}/${route.method}`] = {
        throttlingRateLimit: route.throttle.rateLimit,
        throttlingBurstLimit: route.throttle.burstLimit,
      };
    }
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'POS merchant onboarding API (/v1)',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Execution logging needs the account-level API Gateway CloudWatch role; kept on stack deletion
      // because it is an account/region-wide setting other APIs may rely on.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stage,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        // resourcePath (`/v1/applications/{id}`) rather than the raw path, and no bodies/headers.
        accessLogFormat: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: apigw.AccessLogField.contextRequestId(),
            extendedRequestId: apigw.AccessLogField.contextExtendedRequestId(),
            requestTime: apigw.AccessLogField.contextRequestTime(),
            sourceIp: apigw.AccessLogField.contextIdentitySourceIp(),
            userAgent: apigw.AccessLogField.contextIdentityUserAgent(),
            httpMethod: apigw.AccessLogField.contextHttpMethod(),
            resourcePath: apigw.AccessLogField.contextResourcePath(),
            protocol: apigw.AccessLogField.contextProtocol(),
            status: apigw.AccessLogField.contextStatus(),
            responseLength: apigw.AccessLogField.contextResponseLength(),
            responseLatency: apigw.AccessLogField.contextResponseLatency(),
            integrationLatency: apigw.AccessLogField.contextIntegrationLatency(),
            errorMessage: apigw.AccessLogField.contextErrorMessage(),
            staffSub: apigw.AccessLogField.contextAuthorizerClaims('sub'),
            wafStatus: '$context.waf.status',
          }),
        ),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Full request/response logging would write personal data to CloudWatch.
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: API_THROTTLING.rateLimit,
        throttlingBurstLimit: API_THROTTLING.burstLimit,
        methodOptions,
      },
    });
    // API Gateway creates the execution log group itself on first use, without a retention or a key;
    // created here first (same name), it has both.
    new logs.LogGroup(this, 'ApiExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stage}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.acknowledgeStage();
    this.addMethods(props);
    this.addGatewayResponses();
    new ApiWaf(this, 'Waf', { api: this.api, logsKey: props.logsKey });
  }

  private acknowledgeStage(): void {
    Validations.of(this.api.deploymentStage).acknowledge(
      {
        id: 'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
        reason:
          "No stage cache on purpose: every answer is specific to its caller (merchant token or staff identity), carries masked personal data and must show the current state; a cache could serve stale or another caller's data and would hold personal data outside the encrypted table.",
      },
      {
        id: 'NIST.800.53.R5-APIGWSSLEnabled',
        reason:
          'A stage client certificate authenticates API Gateway to HTTP back ends; every integration here is a Lambda proxy integration, invoked through the Lambda API with IAM, where a client certificate is not used. Clients reach the API over TLS only (execute-api has no plain-HTTP endpoint).',
      },
    );
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway uses to write execution logs (required by AwsSolutions-APIG6); AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly this role.',
      });
    }
  }

  /** One method per route; one Lambda integration per function. */
  private addMethods(props: RestApiProps): void {
    // Bodies have no API Gateway models (the handlers validate them fully, rejecting unknown
    // fields with the project's error shape); parameters are validated here.
    const requestValidator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'StaffAuthorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
      // No cache: a cached Allow would outlive a revoked token's last minutes (staff revocation
      // takes effect within the 5-minute token lifetime; docs/security.md).
      resultsCacheTtl: Duration.seconds(0),
    });
    const integrations = new Map<string, apigw.LambdaIntegration>();
    for (const route of props.routes) {
      let integration = integrations.get(route.functionName);
      if (!integration) {
        integration = new apigw.LambdaIntegration(props.functionOf(route.functionName), {
          proxy: true,
          allowTestInvoke: false,
        });
        integrations.set(route.functionName, integration);
      }
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const method = this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        operationName: camelCase(route.functionName),
        requestValidator,
        requestParameters: Object.fromEntries(
          pathParameters.map((name) => [`method.request.path.${name}`, true]),
        ),
        ...(route.auth === 'staff'
          ? { authorizationType: apigw.AuthorizationType.COGNITO, authorizer }
          : { authorizationType: apigw.AuthorizationType.NONE }),
      });
      if (route.auth !== 'staff') {
        const reason = `${route.method} ${route.path} (${route.auth}): ${ACK_NO_APIG_AUTHORIZER[route.auth]}`;
        Validations.of(method).acknowledge(
          { id: 'AwsSolutions-APIG4', reason },
          { id: 'AwsSolutions-COG4', reason },
        );
      }
    }
  }

  /** API Gateway's own errors in the spec's error shape, codes and statuses from shared/errors.ts. */
  private addGatewayResponses(): void {
    for (const response of GATEWAY_RESPONSES) {
      const keepStatus = 'keepStatus' in response && response.keepStatus;
      this.api.addGatewayResponse(pascalOf(response.type), {
        type: apigw.ResponseType.of(response.type),
        ...(keepStatus ? {} : { statusCode: String(statusOf(response.code)) }),
        templates: {
          'application/json': JSON.stringify({
            error: { code: response.code, message: response.message, requestId: '$context.requestId' },
          }),
        },
      });
    }
  }
}

/** `get-merchant` → `getMerchant` (the method's operation name). */
function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * The gateway response's construct id: `BAD_REQUEST_BODY` → `BadRequestBody`, except an id kept
 * from before (a new logical id would create the new response first, then delete the old one and,
 * with it, the setting for that response type).
 */
function pascalOf(type: string): string {
  if (type === 'MISSING_AUTHENTICATION_TOKEN') return 'MissingAuthToken';
  return type
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

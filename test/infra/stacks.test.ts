import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, readConfig } from '../../infra/config';
import {
  FUNCTIONS_DIR,
  HouseFunction,
  METRICS_NAMESPACE,
  PROJECT_ROOT,
  SERVICE_NAME,
} from '../../infra/house-function';
import { buildOnboardingApp, type OnboardingStacks } from '../../infra/onboarding-app';
import { ROUTES } from '../../infra/routes';
import { EVENT_FUNCTIONS, FUNCTION_CAPABILITIES } from '../../infra/stateless-stack';
import { WORKFLOW_FUNCTIONS } from '../../infra/workflow';
import { metricFields } from '../../shared/metrics';

/** The context of cdk.json (feature flags and defaults), as the CDK CLI would pass it. */
const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8'),
).context;

const apiFunctionNames = [...new Set(ROUTES.map((route) => route.functionName))];
const allFunctionNames = [...apiFunctionNames, ...WORKFLOW_FUNCTIONS, ...EVENT_FUNCTIONS];

type CfnResources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function synthApp(context: Record<string, unknown> = {}): OnboardingStacks {
  // skipBundling: inline stub code, the functions/*.ts entry files are neither read nor required.
  const app = new App({ context: { ...CDK_CONTEXT, ...context } });
  return buildOnboardingApp(app, { skipBundling: true, env: {} });
}

describe('onboarding stacks (synthesized without bundling)', () => {
  let stacks: OnboardingStacks;
  let stateful: Template;
  let stateless: Template;

  beforeAll(() => {
    stacks = synthApp();
    // Template.fromStack synthesizes the whole app, which also runs the registered cdk-nag plugin.
    stateful = Template.fromStack(stacks.stateful);
    stateless = Template.fromStack(stacks.stateless);
  });

  describe('stateful stack', () => {
    it('has one on-demand table with pk/sk, gsi1, TTL, PITR, deletion protection and KMS encryption', () => {
      stateful.resourceCountIs('AWS::DynamoDB::Table', 1);
      stateful.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            Match.objectLike({
              IndexName: 'gsi1',
              KeySchema: [
                { AttributeName: 'gsi1pk', KeyType: 'HASH' },
                { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            }),
          ],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        }),
      });
    });

    it('has a rotating customer-managed data key and a non-rotating HMAC_256 key', () => {
      stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      stateful.hasResourceProperties('AWS::KMS::Key', {
        KeySpec: 'HMAC_256',
        KeyUsage: 'GENERATE_VERIFY_MAC',
      });
      const keys = stateful.findResources('AWS::KMS::Key');
      for (const key of Object.values(keys)) expect(key.DeletionPolicy).toBe('Retain');
    });

    it('encrypts the versioned documents bucket with KMS, blocks public access, logs access and allows presigned PUT', () => {
      stateful.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
              BucketKeyEnabled: true,
            }),
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'documents/' },
        CorsConfiguration: {
          CorsRules: [Match.objectLike({ AllowedMethods: ['PUT'], AllowedOrigins: ['*'] })],
        },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })],
        },
      });
    });

    it('denies non-TLS requests on every bucket', () => {
      const policies = stateful.findResources('AWS::S3::BucketPolicy');
      expect(Object.keys(policies)).toHaveLength(2);
      for (const policy of Object.values(policies)) {
        expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
      }
    });
  });

  describe('stateless stack', () => {
    it('creates one Lambda function per distinct route function, workflow task and event handler', () => {
      stateless.resourceCountIs('AWS::Lambda::Function', allFunctionNames.length);
      for (const name of allFunctionNames) {
        stateless.hasResourceProperties('AWS::Lambda::Function', { Description: `functions/${name}.ts` });
      }
    });

    it('runs every function on Node.js >= 20, ARM64, 512 MB, X-Ray, JSON logs in its own log group', () => {
      const functions = stateless.findResources('AWS::Lambda::Function');
      for (const fn of Object.values(functions)) {
        const props = fn.Properties;
        expect(Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1])).toBeGreaterThanOrEqual(20);
        expect(props.Architectures).toEqual(['arm64']);
        expect(props.MemorySize).toBe(512);
        expect(props.TracingConfig).toEqual({ Mode: 'Active' });
        expect(props.LoggingConfig).toMatchObject({
          LogFormat: 'JSON',
          LogGroup: { Ref: expect.any(String) },
        });
        expect(props.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      }
      const logGroups = stateless.findResources('AWS::Logs::LogGroup');
      for (const logGroup of Object.values(logGroups))
        expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    });

    it('gives every function the configuration environment, and STATE_MACHINE_ARN to those that drive the workflow', () => {
      const functions = stacks.stateless.functions;
      const required = [
        'TABLE_NAME',
        'DOCUMENTS_BUCKET',
        'ACQUIRER_CODE',
        'SENDER_EMAIL',
        'SUPERVISOR_EMAIL',
        'SMS_ORIGINATION_IDENTITY',
        'SMS_SIGNATURE',
        'SMS_PER_PHONE_PER_HOUR',
        'SUPERVISOR_LOCALE',
        'REVIEW_ESCALATION_SECONDS',
        'REVIEW_FINAL_SECONDS',
        'RESUBMISSION_SECONDS',
        'DRAFT_TTL_SECONDS',
        'PII_HMAC_KEY_ID',
        'STAFF_JWT_ISSUER',
        'STAFF_JWT_AUDIENCE',
        'STAFF_JWKS_URI',
      ];
      const resources = stateless.toJSON().Resources as CfnResources;
      const withStateMachine: string[] = [];
      for (const [name, fn] of functions) {
        const logicalId = stacks.stateless.getLogicalId(fn.function.node.defaultChild as never);
        const environment = resources[logicalId]?.Properties?.Environment as
          | { Variables: Record<string, unknown> }
          | undefined;
        const variables = environment?.Variables ?? {};
        for (const key of required) expect(variables, `${name} ${key}`).toHaveProperty(key);
        expect(variables.ACQUIRER_CODE).toBe(DEFAULT_CONFIG.acquirerCode);
        expect(variables.SMS_SIGNATURE).toBe(DEFAULT_CONFIG.smsSignature);
        expect(variables.SMS_PER_PHONE_PER_HOUR).toBe('5');
        if ('STATE_MACHINE_ARN' in variables) withStateMachine.push(name);
      }
      expect(withStateMachine.sort()).toEqual([
        'accept-transfer-request',
        'cancel-change-request',
        'cancel-transfer-request',
        'create-change-request',
        'create-transfer-request',
        'decide-review',
        'submit-application',
        'task-await-resubmission',
        'task-await-review',
        'task-change-await-review',
        'task-transfer-await-acceptance',
        'task-transfer-await-review',
        'withdraw-application',
      ]);
    });

    it('builds STATE_MACHINE_ARN from the fixed state machine name, so that nothing depends on the state machine', () => {
      const name = stacks.stateless.stateMachineName;
      stateless.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: name });
      const arn = JSON.stringify(stacks.stateless.resolve(stacks.stateless.stateMachineArn));
      expect(arn).toContain(`:stateMachine:${name}`);
      expect(arn).not.toContain('OnboardingStateMachine');
    });

    it('has no circular dependency between resources', () => {
      const resources = stateless.toJSON().Resources as Record<string, { DependsOn?: string | string[] }>;
      const edges = new Map<string, Set<string>>();
      const collect = (value: unknown, into: Set<string>): void => {
        if (Array.isArray(value)) for (const item of value) collect(item, into);
        else if (value && typeof value === 'object') {
          for (const [key, inner] of Object.entries(value)) {
            if (key === 'Ref' && typeof inner === 'string' && inner in resources) into.add(inner);
            else if (key === 'Fn::GetAtt' && Array.isArray(inner) && String(inner[0]) in resources) {
              into.add(String(inner[0]));
            } else collect(inner, into);
          }
        }
      };
      for (const [logicalId, resource] of Object.entries(resources)) {
        const targets = new Set<string>([resource.DependsOn ?? []].flat());
        collect(resource, targets);
        edges.set(logicalId, targets);
      }
      const state = new Map<string, 'visiting' | 'done'>();
      const cycles: string[] = [];
      const visit = (id: string, path: string[]): void => {
        if (state.get(id) === 'done') return;
        if (state.get(id) === 'visiting') {
          cycles.push([...path.slice(path.indexOf(id)), id].join(' -> '));
          return;
        }
        state.set(id, 'visiting');
        for (const next of edges.get(id) ?? []) visit(next, [...path, id]);
        state.set(id, 'done');
      };
      for (const id of edges.keys()) visit(id, []);
      expect(cycles).toEqual([]);
    });

    it('never grants dynamodb:Scan or wildcard actions', () => {
      const policies = JSON.stringify(stateless.findResources('AWS::IAM::Policy'));
      expect(policies).not.toContain('dynamodb:Scan');
      expect(policies).not.toMatch(/"[a-z0-9-]+:[A-Za-z]*\*"/);
    });

    it('runs the shared ASL as a STANDARD state machine with ALL logging (no execution data) and tracing', () => {
      stateless.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
        TracingConfiguration: { Enabled: true },
      });
    });

    it('substitutes every ASL placeholder (dollar-brace …Arn) of the definition with a task function ARN', () => {
      const [machine] = Object.values(stateless.findResources('AWS::StepFunctions::StateMachine'));
      const definition = JSON.stringify(machine?.Properties.DefinitionString);
      expect(definition).not.toMatch(/\$\{[A-Za-z0-9]+Arn\}/);
      expect(definition).not.toContain('${');
      const functionIds = Object.keys(stateless.findResources('AWS::Lambda::Function'));
      for (const task of WORKFLOW_FUNCTIONS) {
        const logicalId = stacks.stateless.getLogicalId(
          stacks.stateless.functions.get(task)?.function.node.defaultChild as never,
        );
        expect(functionIds).toContain(logicalId);
        expect(definition).toContain(`"Fn::GetAtt":["${logicalId}","Arn"]`);
      }
    });

    it('lets the state machine invoke exactly the task functions', () => {
      const policies = stateless.findResources('AWS::IAM::Policy');
      const invoke = Object.values(policies)
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
        .filter((statement: { Action: unknown }) => statement.Action === 'lambda:InvokeFunction');
      expect(invoke).toHaveLength(1);
      expect(invoke[0].Resource).toHaveLength(WORKFLOW_FUNCTIONS.length);
    });

    it('protects every staff route with the Cognito user pool authorizer, and only those', () => {
      const resources = stateless.toJSON().Resources as CfnResources;
      const pathOf = (logicalId: string): string => {
        const resource = resources[logicalId];
        if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
        const parent = resource.Properties?.ParentId as { Ref?: string } | undefined;
        return `${parent?.Ref ? pathOf(parent.Ref) : ''}/${resource.Properties?.PathPart as string}`;
      };
      const methods = Object.values(resources)
        .filter((resource) => resource.Type === 'AWS::ApiGateway::Method')
        .map((method) => {
          const props = method.Properties ?? {};
          const resourceId = props.ResourceId as { Ref?: string } | undefined;
          return { key: `${props.HttpMethod as string} ${pathOf(resourceId?.Ref ?? '')}`, props };
        });
      expect(methods.map((method) => method.key).sort()).toEqual(
        ROUTES.map((route) => `${route.method} ${route.path}`).sort(),
      );
      const staffRoutes = ROUTES.filter((route) => route.auth === 'staff');
      expect(staffRoutes.length).toBeGreaterThan(0);
      for (const route of ROUTES) {
        const method = methods.find((candidate) => candidate.key === `${route.method} ${route.path}`);
        if (route.auth === 'staff') {
          expect(method?.props.AuthorizationType, method?.key).toBe('COGNITO_USER_POOLS');
          expect(method?.props.AuthorizerId, method?.key).toEqual({ Ref: expect.any(String) });
        } else {
          expect(method?.props.AuthorizationType, method?.key).toBe('NONE');
        }
      }
      stateless.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
      });
    });

    it('never deploys a /_local resource', () => {
      const parts = Object.values(stateless.findResources('AWS::ApiGateway::Resource')).map(
        (resource) => resource.Properties.PathPart,
      );
      expect(parts).not.toContain('_local');
      expect(JSON.stringify(stateless.toJSON())).not.toContain('/_local');
    });

    it('deploys the API stage with access logs, execution logs, tracing, metrics, throttling and WAF', () => {
      stateless.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'prod',
        TracingEnabled: true,
        AccessLogSetting: Match.objectLike({
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('requestId'),
        }),
        MethodSettings: [
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
            MetricsEnabled: true,
            ThrottlingRateLimit: Match.anyValue(),
            ThrottlingBurstLimit: Match.anyValue(),
          }),
        ],
      });
      stateless.resourceCountIs('AWS::ApiGateway::RequestValidator', 1);
      stateless.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      stateless.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'UNAUTHORIZED',
        StatusCode: '401',
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"UNAUTHENTICATED"') },
      });
    });

    it('uses the stage name from context', () => {
      const template = Template.fromStack(synthApp({ stage: 'staging' }).stateless);
      template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'staging' });
    });

    it('has a staff user pool with MFA, strong passwords, threat protection, groups and an SRP-only public client', () => {
      stateless.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        UserPoolTier: 'PLUS',
        UserPoolAddOns: Match.objectLike({ AdvancedSecurityMode: 'ENFORCED' }),
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
      stateless.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'reviewer' });
      stateless.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'operator' });
      stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        IdTokenValidity: 15,
        AccessTokenValidity: 15,
      });
    });

    it('alarms on failed and timed-out executions through an encrypted topic', () => {
      for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metricName,
          Namespace: 'AWS/States',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
        });
      }
      stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    });

    it('alarms on a notification that failed on its last attempt, on the metric the functions emit', () => {
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'NotificationsFailed',
        Namespace: METRICS_NAMESPACE,
        Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
      });
      // The EMF fields of shared/metrics.ts: same namespace, the `service` dimension of every
      // Powertools log line (POWERTOOLS_SERVICE_NAME = SERVICE_NAME on every function).
      const emf = metricFields('NotificationsFailed', 0)._aws.CloudWatchMetrics[0];
      expect(emf).toEqual({
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service']],
        Metrics: [{ Name: 'NotificationsFailed', Unit: 'Count' }],
      });
    });

    it('sends email through a configuration set whose bounces and complaints reach handle-email-events over an encrypted topic', () => {
      const resources = stateless.toJSON().Resources as CfnResources;
      const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
        stacks.stateless.getLogicalId(construct.node.defaultChild as never);
      const setName = `${stacks.stateless.stackName}-email`;
      stateless.hasResourceProperties('AWS::SES::ConfigurationSet', {
        Name: setName,
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
      const topicId = logicalIdOf(stacks.stateless.emailEventsTopic);
      stateless.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: { Ref: logicalIdOf(stacks.stateless.emailConfigurationSet) },
        EventDestination: Match.objectLike({
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint'],
          SnsDestination: { TopicARN: { Ref: topicId } },
        }),
      });
      expect(resources[topicId]?.Properties?.KmsMasterKeyId).toBeDefined();
      stateless.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'ses.amazonaws.com' } }),
          ]),
        }),
      });
      const subscriber = stacks.stateless.functions.get('handle-email-events');
      if (!subscriber) throw new Error('no handle-email-events function');
      stateless.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: { Ref: topicId },
        Endpoint: { 'Fn::GetAtt': [logicalIdOf(subscriber.function), 'Arn'] },
      });
      stateless.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'ses.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            }),
          ]),
        }),
      });
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(subscriber.function) } }],
      });
    });

    it('names the configuration set to exactly the functions that send email, and lets them use it', () => {
      const resources = stateless.toJSON().Resources as CfnResources;
      const senders = Object.entries(FUNCTION_CAPABILITIES)
        .filter(([, capabilities]) => capabilities.includes('sendEmail'))
        .map(([name]) => name)
        .sort();
      const withSet: string[] = [];
      for (const [name, fn] of stacks.stateless.functions) {
        const logicalId = stacks.stateless.getLogicalId(fn.function.node.defaultChild as never);
        const environment = resources[logicalId]?.Properties?.Environment as
          | { Variables: Record<string, unknown> }
          | undefined;
        const variables = environment?.Variables ?? {};
        if ('SES_CONFIGURATION_SET' in variables) withSet.push(name);
      }
      expect(withSet.sort()).toEqual(senders);
      const policies = JSON.stringify(stateless.findResources('AWS::IAM::Policy'));
      expect(policies).toContain(':configuration-set/');
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    for (const which of ['stateful', 'stateless'] as const) {
      it(`reports no unacknowledged error or warning on the ${which} stack`, () => {
        const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stacks[which]);
        const findings = report.violations.map(
          (violation) =>
            `${violation.severity} ${violation.ruleName} at ${violation.violatingResources
              .map((resource) => resource.constructPath)
              .join(', ')}`,
        );
        expect(findings).toEqual([]);
        expect(report.success).toBe(true);
      });

      it(`leaves no CDK error or warning annotation on the ${which} stack`, () => {
        const annotations = Annotations.fromStack(stacks[which]);
        expect(annotations.findError('*', Match.anyValue())).toEqual([]);
        expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
      });
    }
  });
});

describe('configuration', () => {
  it('reads the cdk.json defaults', () => {
    expect(readConfig(new App({ context: CDK_CONTEXT }).node)).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    [{ acquirerCode: '12' }, /acquirerCode/],
    [{ senderEmail: 'not-an-email' }, /senderEmail/],
    [{ reviewFinalSeconds: 100, reviewEscalationSeconds: 200 }, /reviewFinalSeconds/],
    [{ draftTtlSeconds: 'soon' }, /draftTtlSeconds/],
    [{ smsPerPhonePerHour: 0 }, /smsPerPhonePerHour/],
    [{ supervisorLocale: 'fr' }, /supervisorLocale/],
    // 11 characters pass the 1-16 rule, but the English approval SMS would no longer fit one segment.
    [{ smsSignature: '拉卡拉支付股份有限公司' }, /APPLICATION_APPROVED\/en/],
  ])('rejects %o at synth time', (context, message) => {
    expect(() => readConfig(new App({ context: { ...CDK_CONTEXT, ...context } }).node)).toThrow(message);
  });
});

describe('HouseFunction bundling', () => {
  it('fails with a clear message when the entry file is missing and bundling is on', () => {
    const stack = new Stack(new App(), 'MissingEntry');
    expect(() => new HouseFunction(stack, 'Missing', { name: 'does-not-exist' })).toThrow(
      /functions\/does-not-exist\.ts does not exist/,
    );
  });

  it('does not need the entry file with skipBundling', () => {
    const stack = new Stack(new App(), 'SkipBundling');
    expect(
      () => new HouseFunction(stack, 'Missing', { name: 'does-not-exist', skipBundling: true }),
    ).not.toThrow();
  });

  it('bundles an ESM handler with esbuild (no Docker), source map, createRequire banner and the SDK inside', () => {
    const app = new App({ context: CDK_CONTEXT });
    const stack = new Stack(app, 'Bundled');
    const fn = new HouseFunction(stack, 'Sample', {
      name: 'sample-handler',
      functionsDir: join(PROJECT_ROOT, 'test/infra/fixtures'),
    });
    const assembly = app.synth();
    const template = assembly.getStackByName('Bundled').template as { Resources: CfnResources };
    const lambda = template.Resources[stack.getLogicalId(fn.function.node.defaultChild as never)];
    expect(lambda?.Properties?.Handler).toBe('index.handler');
    const assetDirs = readdirSync(assembly.directory).filter((entry) => entry.startsWith('asset.'));
    expect(assetDirs).toHaveLength(1);
    const assetDir = join(assembly.directory, assetDirs[0] as string);
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    // Plain booleans: the bundle is far too large for a readable diff.
    expect(code.startsWith('import { createRequire } from')).toBe(true);
    expect(code.includes('商户进件'), 'UTF-8 kept as is').toBe(true);
    expect(/from\s*["']@aws-sdk\//.test(code), 'AWS SDK bundled, not imported').toBe(false);
    expect(code.includes('SFNClient') || code.includes('states.'), 'SFN client inside').toBe(true);
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
  }, 120_000);
});

describe('handler entry files (complete once functions/ is written)', () => {
  it('exist for every route and workflow function', () => {
    const missing = allFunctionNames.filter((name) => !existsSync(join(FUNCTIONS_DIR, `${name}.ts`)));
    expect(
      missing.map((name) => `functions/${name}.ts`),
      'missing handler entry files (cdk synth without CDK_SKIP_BUNDLING=1 will fail)',
    ).toEqual([]);
  });
});

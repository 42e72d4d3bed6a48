import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnElement, type NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { functionEnvironment } from '../../bench/cold-start';
import { DEFAULT_CONFIG, readConfig } from '../../infra/config';
import { ROUTE_RATE_RULES } from '../../infra/constructs/api-waf';
import { smsOriginationIdentityArn } from '../../infra/constructs/grants';
import { logicalIdWithoutParts, StackPart, StackWithParts } from '../../infra/constructs/stack-part';
import {
  FUNCTIONS_DIR,
  HouseFunction,
  METRICS_NAMESPACE,
  PROJECT_ROOT,
  SERVICE_NAME,
} from '../../infra/house-function';
import { buildOnboardingApp, type OnboardingStacks } from '../../infra/onboarding-app';
import { globalProfile } from '../../infra/profiles/global';
import {
  HMAC_KEYS,
  type HmacKey,
  hmacKeyIdVariable,
  WORKFLOW_PROCESSES as PROCESS_NAMES,
} from '../../shared/config/env';
import { statusOf } from '../../shared/errors';
import { INDEX_ONLY_FAMILIES, KEY_FAMILIES, type KeyFamily } from '../../shared/keys';
import { TASK_AGREEMENT_RENDER } from '../../shared/manifest/agreements';
import { GATEWAY_RESPONSES, MAX_BODY_BYTES } from '../../shared/manifest/api';
import {
  EVENT_FUNCTIONS,
  FUNCTIONS,
  functionsWithLazyModule,
  ROUTES,
  SCHEDULED_FUNCTIONS,
  taskFunctionsOf,
} from '../../shared/manifest/functions';
import { PROCESSES } from '../../shared/manifest/processes';
import { HMAC_CAPABILITIES } from '../../shared/manifest/types';
import { countMetric } from '../../shared/metrics';
import { WEB_FIXTURE_DIR } from './fixtures/web';

/** The context of cdk.json (feature flags and defaults), as the CDK CLI would pass it. */
const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8'),
).context;

/** Variables the bench sets apart from the others: NODE_OPTIONS comes with Lambda's own (lambdaEnvironment). */
const BENCH_DEFAULTED_VARIABLES = new Set<string>(['NODE_OPTIONS']);

const apiFunctionNames = [...new Set(ROUTES.map((route) => route.functionName))];
/** Every process with its Task functions, from the manifest. */
const WORKFLOW_PROCESSES = PROCESSES.map((process) => ({
  ...process,
  taskFunctions: taskFunctionsOf(process.name),
}));
const WORKFLOW_FUNCTIONS = WORKFLOW_PROCESSES.flatMap((process) => process.taskFunctions);
/** The scheduled functions of the global profile (these stacks'): not the China provider's receipts poller. */
const SCHEDULED_FUNCTION_NAMES = SCHEDULED_FUNCTIONS.filter((entry) =>
  globalProfile(undefined).deploys(entry),
).map((entry) => entry.name);
/** Invoked by an event source mapping: the table's stream, the webhook delivery queue. */
const MAPPED_FUNCTIONS = FUNCTIONS.filter(
  ({ trigger }) =>
    trigger.kind === 'table-stream' || (trigger.kind === 'queue' && trigger.queue === 'webhook-deliveries'),
).map((entry) => entry.name);
/** Functions behind a stream, a queue or a schedule their source owns (the daily checks). */
const SOURCE_FUNCTIONS = FUNCTIONS.filter(
  ({ trigger }) =>
    trigger.kind === 'stream' ||
    (trigger.kind === 'schedule' && 'source' in trigger) ||
    (trigger.kind === 'queue' && trigger.queue === 'daily-run-pages'),
).map((entry) => entry.name);
const allFunctionNames = [
  ...apiFunctionNames,
  ...WORKFLOW_FUNCTIONS,
  ...EVENT_FUNCTIONS,
  ...SOURCE_FUNCTIONS,
  ...SCHEDULED_FUNCTION_NAMES,
  ...MAPPED_FUNCTIONS,
];
const FIELD_CIPHER_FUNCTIONS = FUNCTIONS.filter((entry) => entry.fieldCipher).map((entry) => entry.name);
const FUNCTION_CAPABILITIES = Object.fromEntries(
  FUNCTIONS.map((entry) => [entry.name, entry.capabilities ?? []] as const),
);
const METHOD_THROTTLING = Object.fromEntries(
  ROUTES.flatMap((route) =>
    route.throttle ? [[`${route.method} ${route.path}`, route.throttle] as const] : [],
  ),
);

type CfnResources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A synthesized template fragment, as loosely typed as the assertions library hands it out. */
type Json = ReturnType<Template['toJSON']>;

/**
 * Every IAM policy of a template in the shape of an `AWS::IAM::Policy` resource: the policy
 * resources, and each role's inline policies (a function's own grants, see FunctionRole) as if
 * attached to that role alone.
 */
function policiesOf(resources: CfnResources): CfnResources[string][] {
  const policies = Object.values(resources).filter((resource) => resource.Type === 'AWS::IAM::Policy');
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    for (const inline of (resource.Properties?.Policies ?? []) as Json[]) {
      policies.push({
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: inline.PolicyName,
          PolicyDocument: inline.PolicyDocument,
          Roles: [{ Ref: id }],
        },
      });
    }
  }
  return policies;
}

function synthApp(context: Record<string, unknown> = {}): OnboardingStacks {
  // skipBundling: inline stub code, the functions/*.ts entry files are neither read nor required.
  const app = new App({ context: { ...CDK_CONTEXT, ...context } });
  return buildOnboardingApp(app, { skipBundling: true, env: {}, webDir: WEB_FIXTURE_DIR });
}

describe('onboarding stacks (synthesized without bundling)', () => {
  let stacks: OnboardingStacks;
  let stateful: Template;
  let stateless: Template;
  /** The nested stack of the alarms. */
  let alarms: Template;

  /**
   * What a value of the alarm stack is in the stateless stack: a parameter of the nested stack
   * (`{Ref: <parameter>}`) is the value the stateless stack passes it (a Ref or GetAtt there).
   */
  /** The parameters the stateless stack passes a nested stack of its own. */
  const nestedParameters = (nested: NestedStack): Record<string, Json> =>
    stateless.findResources('AWS::CloudFormation::Stack')[
      stacks.stateless.getLogicalId(nested.nestedStackResource as never)
    ]?.Properties.Parameters ?? {};

  const inStateless = (value: Json): Json => {
    const parameter = value?.Ref;
    if (typeof parameter !== 'string') return value;
    const alarmStackId = stacks.stateless.getLogicalId(
      stacks.stateless.alarmStack.nestedStackResource as unknown as import('aws-cdk-lib').CfnElement,
    );
    const nested = stateless.findResources('AWS::CloudFormation::Stack')[alarmStackId];
    expect(nested, alarmStackId).toBeDefined();
    return nested?.Properties.Parameters?.[parameter] ?? value;
  };

  beforeAll(() => {
    stacks = synthApp();
    // Template.fromStack synthesizes the whole app, which also runs the registered cdk-nag plugin.
    stateful = Template.fromStack(stacks.stateful);
    stateless = Template.fromStack(stacks.stateless);
    alarms = Template.fromStack(stacks.stateless.alarmStack);
    // A whole-app synth with cdk-nag takes about a minute alone, and longer beside other suites.
  }, 240_000);

  it("keeps every template under CloudFormation's limits: 1,000,000 bytes of body, 500 resources", () => {
    const app = stacks.stateless.node.root as App;
    const assembly = app.synth();
    for (const stack of [stacks.stateful, stacks.stateless, stacks.stateless.alarmStack]) {
      const body = readFileSync(join(assembly.directory, stack.templateFile));
      // Written without indentation (cdk.json), so the size is what CloudFormation receives.
      expect(body.byteLength, stack.stackName).toBeLessThan(1_000_000);
      // The alarms are a nested stack of their own so that the stateless stack stays under it.
      const resources = Object.keys(JSON.parse(body.toString('utf8')).Resources).length;
      expect(resources, stack.stackName).toBeLessThanOrEqual(500);
    }
    expect(CDK_CONTEXT['@aws-cdk/core:suppressTemplateIndentation']).toBe(true);
  });

  it("keeps every stack under CloudFormation's 500 resources: a function's own grants are its role's inline policy", () => {
    for (const template of [stateful, stateless])
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThanOrEqual(500);
    const resources = stateless.toJSON().Resources as CfnResources;
    for (const [name, fn] of stacks.stateless.functions) {
      const role = stacks.stateless.getLogicalId(fn.role.node.defaultChild as never);
      expect(resources[role]?.Properties?.Policies, name).toEqual([
        expect.objectContaining({ PolicyName: 'Permissions' }),
      ]);
      expect(fn.role.node.tryFindChild('DefaultPolicy'), name).toBeUndefined();
    }
  });

  describe('stateful stack', () => {
    it('has one on-demand table with pk/sk, gsi1, keys-only gsi2 and gsi3, TTL, PITR, deletion protection and KMS encryption', () => {
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
            // The retention index copies no attribute beyond the keys (no personal data).
            Match.objectLike({
              IndexName: 'gsi2',
              KeySchema: [
                { AttributeName: 'gsi2pk', KeyType: 'HASH' },
                { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            }),
            // The escalated review queue: keys only, sparse.
            Match.objectLike({
              IndexName: 'gsi3',
              KeySchema: [
                { AttributeName: 'gsi3pk', KeyType: 'HASH' },
                { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            }),
          ],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        }),
      });
    });

    it('has a rotating customer-managed data key and one non-rotating HMAC_256 key per purpose', () => {
      stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      const hmacKeys = stateful.findResources('AWS::KMS::Key', {
        Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      });
      const ids = HMAC_KEYS.map((key) =>
        stacks.stateful.getLogicalId(stacks.stateful.hmacKeys[key].node.defaultChild as never),
      );
      expect(Object.keys(hmacKeys).sort()).toEqual([...ids].sort());
      // The identity key keeps its first id, so a deployed stack keeps the key of its markers.
      expect(ids[HMAC_KEYS.indexOf('identity')]).toMatch(/^PiiHmacKey/);
      const keys = stateful.findResources('AWS::KMS::Key');
      for (const key of Object.values(keys)) expect(key.DeletionPolicy).toBe('Retain');
    });

    it('has a dedicated rotating symmetric key for field-level encryption, apart from the table key', () => {
      const fieldKey = stacks.stateful.getLogicalId(stacks.stateful.fieldKey.node.defaultChild as never);
      const dataKey = stacks.stateful.getLogicalId(stacks.stateful.dataKey.node.defaultChild as never);
      expect(fieldKey).not.toBe(dataKey);
      const resource = stateful.toJSON().Resources[fieldKey];
      expect(resource).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
      expect(resource.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
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
          Rules: [
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
          ],
        },
      });
    });

    it('versions the access-logs bucket and expires old versions of both buckets', () => {
      const all = Object.values(stateful.findResources('AWS::S3::Bucket'));
      expect(all).toHaveLength(3);
      // The agreement archive keeps every version for its Object Lock retention: nothing expires.
      const buckets = all.filter((bucket) => !bucket.Properties.ObjectLockEnabled);
      expect(buckets).toHaveLength(2);
      for (const bucket of buckets) {
        expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(JSON.stringify(bucket.Properties.LifecycleConfiguration)).toContain(
          'NoncurrentVersionExpiration',
        );
      }
    });

    it('backs the table up daily and monthly into a KMS-encrypted vault', () => {
      stateful.hasResourceProperties('AWS::Backup::BackupVault', {
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('BackupVaultKey'), 'Arn'] },
      });
      stateful.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: Match.objectLike({
          BackupPlanRule: [
            Match.objectLike({ RuleName: 'Daily', Lifecycle: { DeleteAfterDays: 35 } }),
            Match.objectLike({
              RuleName: 'Monthly1Year',
              Lifecycle: Match.objectLike({ DeleteAfterDays: 365 }),
            }),
          ],
        }),
      });
      stateful.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({
          Resources: [
            {
              'Fn::GetAtt': [
                stacks.stateful.getLogicalId(stacks.stateful.table.node.defaultChild as never),
                'Arn',
              ],
            },
          ],
        }),
      });
    });

    it('denies every write of a document that is not conditional on its key being new', () => {
      const bucketId = stacks.stateful.getLogicalId(
        stacks.stateful.documentsBucket.node.defaultChild as never,
      );
      stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'DenyOverwritingWrites',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:PutObject',
              Condition: { Null: { 's3:if-none-match': 'true' } },
            }),
          ]),
        }),
      });
    });

    it('keeps signed agreements write-once: Object Lock in compliance mode for the configured retention', () => {
      stateful.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: DEFAULT_CONFIG.agreementRetentionDays } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: Match.objectLike({
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
            }),
          ],
        }),
      });
    });

    it('denies non-TLS requests on every bucket', () => {
      const policies = stateful.findResources('AWS::S3::BucketPolicy');
      expect(Object.keys(policies)).toHaveLength(3);
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
        // Its log group is in a nested stack of log groups (the next test follows the reference).
        expect(props.LoggingConfig).toMatchObject({
          LogFormat: 'JSON',
          LogGroup: { 'Fn::GetAtt': [expect.any(String), expect.stringMatching(/^Outputs\./)] },
        });
        expect(props.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      }
    });

    it('starts every function in the cold-start bench with the variables the stack gives it', () => {
      // The bench imports each bundle with a stand-in of the deployed environment: a variable the
      // stack sets and the bench lacks is one a handler may require at import (the bench dies).
      const bench = new Set(Object.keys(functionEnvironment()));
      const missing = new Set<string>();
      for (const fn of Object.values(stateless.findResources('AWS::Lambda::Function'))) {
        for (const name of Object.keys(fn.Properties.Environment?.Variables ?? {})) {
          if (!bench.has(name) && !BENCH_DEFAULTED_VARIABLES.has(name)) missing.add(name);
        }
      }
      expect([...missing]).toEqual([]);
    });

    it('gives every log group of both stacks a retention and the logs key, and every function its own log group', () => {
      const logsKeyId = stacks.stateless.getLogicalId(stacks.stateless.logsKey.node.defaultChild as never);
      const logsKeyArn = { 'Fn::GetAtt': [logsKeyId, 'Arn'] };
      // The log stacks' templates by their nested stack resource's id in the stateless stack.
      const logStacks = new Map(
        stacks.stateless.functionLogStacks.map((nested) => [
          stacks.stateless.getLogicalId(nested.nestedStackResource as never),
          { template: Template.fromStack(nested), parameters: nestedParameters(nested) },
        ]),
      );
      expect(logStacks.size).toBeGreaterThan(0);
      const names: unknown[] = [];
      const groups = [
        { template: stateful, key: (value: Json) => value },
        { template: stateless, key: (value: Json) => value },
        ...[...logStacks.values()].map(({ template, parameters }) => ({
          template,
          key: (value: Json) => parameters[value?.Ref] ?? value,
        })),
      ];
      for (const { template, key } of groups) {
        for (const [id, logGroup] of Object.entries(template.findResources('AWS::Logs::LogGroup'))) {
          expect(logGroup.Properties.RetentionInDays, id).toBeGreaterThan(0);
          expect(key(logGroup.Properties.KmsKeyId), id).toEqual(logsKeyArn);
          names.push(logGroup.Properties.LogGroupName);
        }
        expect(template.findResources('Custom::LogRetention')).toEqual({});
      }
      // No Lambda without an explicit log group: CDK's implicit functions (custom resources,
      // log-retention providers) would log to /aws/lambda/<name> without a retention. Each logs to a
      // group of its own template or, through the nested stack's output, of a log stack.
      const own = new Set<string>();
      for (const template of [stateful, stateless]) {
        const logGroupIds = Object.keys(template.findResources('AWS::Logs::LogGroup'));
        for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
          const target = fn.Properties.LoggingConfig?.LogGroup as Json;
          if (target?.Ref !== undefined) {
            expect(logGroupIds, id).toContain(target.Ref);
            continue;
          }
          const [stackId, attribute] = (target?.['Fn::GetAtt'] ?? []) as [string, string];
          const logStack = logStacks.get(stackId);
          expect(logStack, id).toBeDefined();
          const output = logStack?.template.toJSON().Outputs?.[attribute.replace(/^Outputs\./, '')];
          const groupId = output?.Value?.Ref as string;
          expect(Object.keys(logStack?.template.findResources('AWS::Logs::LogGroup') ?? {}), id).toContain(
            groupId,
          );
          expect(own.has(`${stackId}/${groupId}`), `${id} shares its log group`).toBe(false);
          own.add(`${stackId}/${groupId}`);
        }
      }
      // One log group per function and per workflow, plus the API access, API execution and WAF logs.
      expect(names).toHaveLength(allFunctionNames.length + WORKFLOW_PROCESSES.length + 3);
      expect(JSON.stringify(names)).toContain('API-Gateway-Execution-Logs_');
      expect(names).toContain('aws-waf-logs-MerchantOnboarding-Stateless');
      stateless.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: Match.objectLike({ 'Fn::Join': Match.anyValue() }) },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
            }),
          ]),
        }),
      });
    });

    it("gives every function the configuration environment, and a process's state machine ARN to those that start it", () => {
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
        'EMAIL_PER_ADDRESS_PER_HOUR',
        'SUPERVISOR_LOCALE',
        'REVIEW_ESCALATION_SECONDS',
        'REVIEW_FINAL_SECONDS',
        'RESUBMISSION_SECONDS',
        'DRAFT_TTL_SECONDS',
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
        expect(variables.EMAIL_PER_ADDRESS_PER_HOUR).toBe('10');
        for (const key of Object.keys(variables)) {
          if (key.endsWith('STATE_MACHINE_ARN')) withStateMachine.push(`${name} ${key}`);
        }
      }
      // Resuming a wait and stopping an execution name their execution: no ARN needed for those.
      expect(withStateMachine.sort()).toEqual([
        'change-merchant-fee-plan AGREEMENT_STATE_MACHINE_ARN',
        'create-change-request CHANGE_REQUEST_STATE_MACHINE_ARN',
        'create-transfer-request TERMINAL_TRANSFER_STATE_MACHINE_ARN',
        'submit-application ONBOARDING_STATE_MACHINE_ARN',
        'task-change-apply AGREEMENT_STATE_MACHINE_ARN',
        'task-provision-merchant AGREEMENT_STATE_MACHINE_ARN',
      ]);
    });

    it('gives FIELD_CIPHER_KEY_ID to exactly the functions that build the PII repositories', () => {
      // The list must follow the code: every function file that builds an application (repository
      // or the workflow steps' store), merchant or change-request repository (directly or through
      // the activation-code sender).
      const builders = readdirSync(FUNCTIONS_DIR)
        .filter((file) => file.endsWith('.ts'))
        .filter((file) =>
          /applicationRepository|applicationStore|merchantRepository|changeRequestRepository|activation-code-sender|webhookRepository\(true\)/.test(
            readFileSync(join(FUNCTIONS_DIR, file), 'utf8'),
          ),
        )
        .map((file) => file.replace(/\.ts$/, ''));
      expect([...FIELD_CIPHER_FUNCTIONS].sort()).toEqual(builders.sort());
      const resources = stateless.toJSON().Resources as CfnResources;
      for (const [name, fn] of stacks.stateless.functions) {
        const logicalId = stacks.stateless.getLogicalId(fn.function.node.defaultChild as never);
        const variables =
          (
            resources[logicalId]?.Properties?.Environment as
              | { Variables: Record<string, unknown> }
              | undefined
          )?.Variables ?? {};
        expect('FIELD_CIPHER_KEY_ID' in variables, name).toBe(FIELD_CIPHER_FUNCTIONS.includes(name));
      }
    });

    it('lets only the review queue listing read the escalated queue (gsi3)', () => {
      expect(
        FUNCTIONS.filter((entry) =>
          (entry.table?.read as readonly string[] | undefined)?.includes('reviewEscalatedQueue'),
        ).map((entry) => entry.name),
      ).toEqual(['list-reviews']);
    });

    it('grants each function exactly what its manifest entry names: table families, field key, capabilities', () => {
      const resources = stateless.toJSON().Resources as CfnResources;
      const statementsByRole = new Map<string, Json[]>();
      for (const policy of policiesOf(resources)) {
        const document = policy.Properties?.PolicyDocument as { Statement: Json[] };
        for (const role of (policy.Properties?.Roles ?? []) as { Ref: string }[]) {
          statementsByRole.set(role.Ref, [...(statementsByRole.get(role.Ref) ?? []), ...document.Statement]);
        }
      }
      const actionsOf = (statement: Json) => ([statement.Action].flat() as string[]).sort();
      const CAPABILITY_ACTIONS: Record<string, string> = {
        's3:PutObject': 'documentsPut',
        's3:GetObject': 'documentsRead',
        's3:DeleteObjectVersion': 'documentsErase',
        'states:StartExecution': 'startExecution',
        'states:StopExecution': 'stopExecution',
        'states:SendTaskSuccess': 'taskResponse',
        'ses:SendEmail': 'sendEmail',
        'sms-voice:SendTextMessage': 'sendSms',
        'cloudwatch:PutMetricData': 'putMetrics',
        'events:PutEvents': 'putEvents',
        'sqs:ChangeMessageVisibility': 'webhookQueue',
      };
      for (const entry of FUNCTIONS.filter((candidate) => stacks.profile.deploys(candidate))) {
        const fn = stacks.stateless.functions.get(entry.name);
        const role = stacks.stateless.getLogicalId(fn?.function.role?.node.defaultChild as never);
        const statements = statementsByRole.get(role) ?? [];
        const label = entry.name;

        // The table: reads of every family read or written, writes of the written ones, by LeadingKeys.
        const written = entry.table?.write ?? [];
        const read = [...new Set([...(entry.table?.read ?? []), ...written])];
        const prefixes = (families: readonly KeyFamily[]) =>
          families
            .filter((family) => !INDEX_ONLY_FAMILIES.includes(family))
            .map((family) => `${KEY_FAMILIES[family]}*`)
            .sort();
        const dynamo = statements.filter((statement) =>
          actionsOf(statement).some((a) => a.startsWith('dynamodb:')),
        );
        // The stream's event source mapping reads the stream, not the table's items.
        const onTable = dynamo.filter(
          (statement) =>
            !JSON.stringify(statement.Resource).includes('/index/') &&
            !actionsOf(statement).every((action) =>
              /^dynamodb:(ListStreams|DescribeStream|GetRecords|GetShardIterator)$/.test(action),
            ),
        );
        // Per action, the key prefixes it is allowed on (the policy minimizer may merge statements).
        const leading = (action: string) =>
          [
            ...new Set(
              onTable
                .filter((statement) => actionsOf(statement).includes(action))
                .flatMap((statement) => {
                  const keys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
                  expect(keys, `${label} ${action} without dynamodb:LeadingKeys`).toBeDefined();
                  return [keys].flat() as string[];
                }),
            ),
          ].sort();
        for (const action of [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:ConditionCheckItem',
        ])
          expect(leading(action), `${label} ${action}`).toEqual(prefixes(read));
        for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'])
          expect(leading(action), `${label} ${action}`).toEqual(prefixes(written));
        expect(
          onTable
            .flatMap(actionsOf)
            .filter(
              (action) => !/^dynamodb:(Get|BatchGet|Query|ConditionCheck|Put|Update|Delete)/.test(action),
            )
            // X-Ray's and the stream mapping's ListStreams (which has no resource) share one statement.
            .filter((action) => !/^(xray:|dynamodb:ListStreams$)/.test(action)),
          label,
        ).toEqual([]);
        const onIndex = dynamo.filter((statement) =>
          JSON.stringify(statement.Resource).includes('/index/gsi1'),
        );
        expect(onIndex.map(actionsOf), label).toEqual(
          read.includes('reviewQueue') ? [['dynamodb:Query']] : [],
        );
        // gsi2, for the partitions of the families read there only (retention days, review kinds).
        const onGsi2 = dynamo.filter((statement) =>
          JSON.stringify(statement.Resource).includes('/index/gsi2'),
        );
        const gsi2Prefixes = [
          ...(read.includes('retention') ? ['RETAIN#*'] : []),
          ...(read.includes('reviewKindQueue') ? ['REVIEWKQ#*'] : []),
        ];
        expect(
          onGsi2.map((statement) => [
            actionsOf(statement),
            [statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']].flat(),
          ]),
          label,
        ).toEqual(gsi2Prefixes.length > 0 ? [[['dynamodb:Query'], gsi2Prefixes]] : []);
        // gsi3, the escalated review queue: only for a reader of it, and only its partition.
        const onGsi3 = dynamo.filter((statement) =>
          JSON.stringify(statement.Resource).includes('/index/gsi3'),
        );
        expect(
          onGsi3.map((statement) => [
            actionsOf(statement),
            [statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']].flat(),
          ]),
          label,
        ).toEqual(read.includes('reviewEscalatedQueue') ? [[['dynamodb:Query'], ['REVIEWEQ#*']]] : []);
        // GET routes only read (an application's GET forgets the first token's replayable copy).
        if (entry.trigger.kind === 'route' && entry.trigger.method === 'GET')
          expect(
            written.filter((family) => family !== 'tokenReplay'),
            label,
          ).toEqual([]);

        // The field key: data keys under the cipher's context, Decrypt only where a field is opened.
        const fieldKey = statements.filter(
          (statement) => statement.Condition?.StringEquals?.['kms:EncryptionContext:purpose'] !== undefined,
        );
        const expectedField =
          entry.fieldCipher === 'decrypt'
            ? [['kms:Decrypt', 'kms:GenerateDataKey']]
            : entry.fieldCipher === 'encrypt'
              ? [['kms:GenerateDataKey']]
              : [];
        expect(fieldKey.map(actionsOf), label).toEqual(expectedField);
        for (const statement of fieldKey)
          expect(statement.Condition).toEqual({
            StringEquals: { 'kms:EncryptionContext:purpose': 'pos-onboarding-field' },
          });

        // Capabilities: each granted action belongs to a capability of the entry, and each is there.
        // kms:GenerateMac is one capability per HMAC key: the keys its statement names (the policy
        // minimizer may merge two keys into one statement).
        const hmacCapabilitiesOf = (statement: Json) => {
          const resource = JSON.stringify(statement.Resource);
          const keys = HMAC_KEYS.filter((candidate) =>
            resource.includes(
              stacks.stateful.getLogicalId(stacks.stateful.hmacKeys[candidate].node.defaultChild as never),
            ),
          );
          expect(keys.length, `${label} kms:GenerateMac on ${resource}`).toBe(
            [statement.Resource].flat().length,
          );
          return keys.map((key: HmacKey) => HMAC_CAPABILITIES[key]);
        };
        // PutObject on the agreement archive is its own capability (another bucket than the documents').
        const archive = (statement: { Resource?: unknown }) =>
          JSON.stringify(statement.Resource).includes('AgreementArchiveBucket');
        const granted = new Set(
          statements.flatMap((statement) =>
            actionsOf(statement).flatMap((action) =>
              action === 'kms:GenerateMac'
                ? hmacCapabilitiesOf(statement)
                : action === 's3:PutObject' && archive(statement)
                  ? ['agreementArchive']
                  : // The daily run's page queue is consumed with the same SQS actions (its mapping).
                    action.startsWith('sqs:') &&
                      JSON.stringify(statement.Resource).includes('DailyRunPageQueue')
                    ? []
                    : CAPABILITY_ACTIONS[action]
                      ? [CAPABILITY_ACTIONS[action]]
                      : [],
            ),
          ),
        );
        // sqs:SendMessage is also an event function's dead-letter queue: the capability is the page queue's.
        if (
          statements.some(
            (statement) =>
              actionsOf(statement).includes('sqs:SendMessage') &&
              JSON.stringify(statement.Resource).includes('DailyRunPageQueue'),
          )
        )
          granted.add('dailyRunQueue');
        expect([...granted].sort(), label).toEqual([...(entry.capabilities ?? [])].sort());
        // Each HMAC key's id only where its capability is (no key a function may not use).
        const variables =
          (
            resources[stacks.stateless.getLogicalId(fn?.function.node.defaultChild as never)]?.Properties
              ?.Environment as { Variables: Record<string, unknown> } | undefined
          )?.Variables ?? {};
        for (const key of HMAC_KEYS)
          expect(hmacKeyIdVariable(key) in variables, `${label} ${hmacKeyIdVariable(key)}`).toBe(
            (entry.capabilities ?? []).includes(HMAC_CAPABILITIES[key]),
          );
      }
    });

    it('scopes SMS to the configured origination identity', () => {
      const account = (identity: string) =>
        JSON.stringify(Stack.of(stacks.stateless).resolve(smsOriginationIdentityArn(identity).arn));
      expect(smsOriginationIdentityArn('arn:aws:sms-voice:us-east-1:1:pool/pool-1')).toEqual({
        scoped: true,
        arn: 'arn:aws:sms-voice:us-east-1:1:pool/pool-1',
      });
      expect(smsOriginationIdentityArn('pool-0a1b').scoped).toBe(true);
      expect(account('pool-0a1b')).toContain(':pool/pool-0a1b');
      expect(account('phone-9f')).toContain(':phone-number/phone-9f');
      expect(account('LAKALA')).toContain(':sender-id/LAKALA/*');
      expect(account('')).toMatch(/:\*"\]\]\}$/);
      const scoped = Template.fromStack(synthApp({ smsOriginationIdentity: 'pool-0a1b2c' }).stateless);
      expect(JSON.stringify(scoped.findResources('AWS::IAM::Policy'))).not.toContain('SendSmsPolicy');
      expect(
        Object.keys(scoped.findResources('AWS::IAM::Policy')).some((id) => id.includes('SendSmsPolicy')),
      ).toBe(false);
    });

    it('builds each state machine ARN from its fixed name, so that nothing depends on the state machine', () => {
      for (const process of PROCESSES) {
        const name = stacks.stateless.workflows.stateMachineNameOf(process.name);
        stateless.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: name });
        const arn = JSON.stringify(stacks.stateless.resolve(stacks.stateless.workflows.arnOf(process.name)));
        expect(arn).toContain(`:stateMachine:${name}`);
        expect(arn).not.toContain('StateMachine"');
      }
    });

    it('grants starting, answering and stopping executions on the state machine of the right process only', () => {
      const resources = stateless.toJSON().Resources as CfnResources;
      const roleOf = new Map(
        [...stacks.stateless.functions].map(([name, fn]) => [
          stacks.stateless.getLogicalId(fn.function.role?.node.defaultChild as never),
          name,
        ]),
      );
      const machinesOf = (resource: unknown) =>
        [...JSON.stringify(resource).matchAll(/:(?:stateMachine|execution):[\w-]+?-(\w+)(?=[":])/g)].map(
          (match) => match[1],
        );
      const grants = new Set<string>();
      for (const policy of policiesOf(resources)) {
        const document = policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] };
        const roles = ((policy.Properties?.Roles ?? []) as { Ref: string }[]).map((role) =>
          roleOf.get(role.Ref),
        );
        for (const statement of document.Statement) {
          const actions = [statement.Action].flat() as string[];
          // The callback grant: SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat together.
          if (actions.includes('states:SendTaskSuccess')) {
            expect(actions).toEqual(
              expect.arrayContaining(['states:SendTaskFailure', 'states:SendTaskHeartbeat']),
            );
          }
          const granted = actions.filter((candidate) =>
            ['states:StartExecution', 'states:StopExecution', 'states:SendTaskSuccess'].includes(candidate),
          );
          for (const role of roles.filter((name) => name !== undefined)) {
            for (const action of granted) {
              for (const machine of machinesOf(statement.Resource))
                grants.add(`${role} ${action} ${machine}`);
            }
          }
        }
      }
      expect([...grants].sort()).toEqual([
        'accept-transfer-request states:SendTaskSuccess TerminalTransfer',
        'cancel-change-request states:StopExecution ChangeRequest',
        'cancel-transfer-request states:StopExecution TerminalTransfer',
        'change-merchant-fee-plan states:StartExecution Agreement',
        'create-change-request states:StartExecution ChangeRequest',
        'create-transfer-request states:StartExecution TerminalTransfer',
        'decide-review states:SendTaskSuccess ChangeRequest',
        'decide-review states:SendTaskSuccess Onboarding',
        'decide-review states:SendTaskSuccess TerminalTransfer',
        'submit-application states:SendTaskSuccess Onboarding',
        'submit-application states:StartExecution Onboarding',
        'task-await-resubmission states:SendTaskSuccess Onboarding',
        'task-await-review states:SendTaskSuccess Onboarding',
        'task-change-apply states:StartExecution Agreement',
        'task-change-await-review states:SendTaskSuccess ChangeRequest',
        'task-provision-merchant states:StartExecution Agreement',
        'task-run-checks states:SendTaskSuccess Onboarding',
        'task-transfer-await-acceptance states:SendTaskSuccess TerminalTransfer',
        'task-transfer-await-review states:SendTaskSuccess TerminalTransfer',
        'withdraw-application states:StopExecution Onboarding',
      ]);
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
      const policies = JSON.stringify(policiesOf(stateless.toJSON().Resources as CfnResources));
      expect(policies).not.toContain('dynamodb:Scan');
      expect(policies).not.toMatch(/"[a-z0-9-]+:[A-Za-z]*\*"/);
    });

    it('runs one STANDARD state machine per process, each with ALL logging (no execution data) and tracing', () => {
      expect(WORKFLOW_PROCESSES.map((process) => process.name)).toEqual([...PROCESS_NAMES]);
      stateless.resourceCountIs('AWS::StepFunctions::StateMachine', WORKFLOW_PROCESSES.length);
      const machines = Object.values(stateless.findResources('AWS::StepFunctions::StateMachine'));
      expect(machines).toHaveLength(4);
      const logGroups = new Set<string>();
      for (const machine of machines) {
        expect(machine.Properties).toMatchObject({
          StateMachineType: 'STANDARD',
          LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
          TracingConfiguration: { Enabled: true },
        });
        logGroups.add(JSON.stringify(machine.Properties.LoggingConfiguration.Destinations));
      }
      // Each its own log group.
      expect(logGroups.size).toBe(4);
    });

    const logicalIdOf = (task: string) =>
      stacks.stateless.getLogicalId(
        stacks.stateless.functions.get(task)?.function.node.defaultChild as never,
      );

    it("substitutes every ASL placeholder (dollar-brace …Arn) of each process with its own task functions' ARNs", () => {
      const functionIds = Object.keys(stateless.findResources('AWS::Lambda::Function'));
      expect(new Set(WORKFLOW_FUNCTIONS).size).toBe(WORKFLOW_FUNCTIONS.length);
      for (const process of WORKFLOW_PROCESSES) {
        const machine = stacks.stateless.workflows.stateMachines.get(process.name);
        const definition = JSON.stringify(
          stateless.toJSON().Resources[stacks.stateless.getLogicalId(machine?.node.defaultChild as never)]
            .Properties.DefinitionString,
        );
        expect(definition).not.toMatch(/\$\{[A-Za-z0-9]+Arn\}/);
        expect(definition).not.toContain('${');
        const referenced = [...definition.matchAll(/"Fn::GetAtt":\["(\w+)","Arn"\]/g)].map(
          (match) => match[1],
        );
        expect(new Set(referenced), process.name).toEqual(new Set(process.taskFunctions.map(logicalIdOf)));
        for (const id of referenced) expect(functionIds).toContain(id);
      }
    });

    it('lets each state machine invoke exactly the task functions of its process', () => {
      const resources = stateless.toJSON().Resources as CfnResources;
      for (const process of WORKFLOW_PROCESSES) {
        const machine = stacks.stateless.workflows.stateMachines.get(process.name);
        const role = stacks.stateless.getLogicalId(machine?.role.node.defaultChild as never);
        const invoke = policiesOf(resources)
          .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: role }]))
          .flatMap(
            (policy) =>
              (policy.Properties?.PolicyDocument as { Statement: Json[] } | undefined)?.Statement ?? [],
          )
          .filter((statement) => statement.Action === 'lambda:InvokeFunction');
        expect(invoke, process.name).toHaveLength(1);
        expect(
          new Set(((invoke[0]?.Resource ?? []) as Json[]).map((arn) => arn['Fn::GetAtt'][0])),
          process.name,
        ).toEqual(new Set(process.taskFunctions.map(logicalIdOf)));
      }
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
        MethodSettings: Match.arrayWith([
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
            MetricsEnabled: true,
            ThrottlingRateLimit: Match.anyValue(),
            ThrottlingBurstLimit: Match.anyValue(),
          }),
        ]),
      });
      stateless.resourceCountIs('AWS::ApiGateway::RequestValidator', 1);
      stateless.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      stateless.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'UNAUTHORIZED',
        StatusCode: '401',
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"UNAUTHENTICATED"') },
      });
    });

    it('answers API Gateway errors in the spec shape, with the codes and statuses of shared/errors.ts', () => {
      const responses = Object.values(stateless.findResources('AWS::ApiGateway::GatewayResponse'));
      expect(responses).toHaveLength(GATEWAY_RESPONSES.length);
      // Any other 4xx of the gateway itself (before a function runs) has a code of its own.
      expect(GATEWAY_RESPONSES.find((response) => response.type === 'DEFAULT_4XX')?.code).toBe('BAD_REQUEST');
      for (const expected of GATEWAY_RESPONSES) {
        const response = responses.find((candidate) => candidate.Properties.ResponseType === expected.type);
        expect(response?.Properties.StatusCode, expected.type).toBe(
          'keepStatus' in expected ? undefined : String(statusOf(expected.code)),
        );
        expect(JSON.parse(response?.Properties.ResponseTemplates['application/json'])).toEqual({
          error: { code: expected.code, message: expected.message, requestId: '$context.requestId' },
        });
      }
    });

    it('throttles the abuse-prone routes tighter than the stage', () => {
      const [stage] = Object.values(stateless.findResources('AWS::ApiGateway::Stage'));
      const settings = stage?.Properties.MethodSettings as Array<Record<string, unknown>>;
      const stageWide = settings.find((setting) => setting.ResourcePath === '/*');
      expect(Object.keys(METHOD_THROTTLING)).toContain('POST /v1/applications');
      expect(Object.keys(METHOD_THROTTLING)).toContain('POST /v1/terminals/{sn}/activate');
      for (const [key, limits] of Object.entries(METHOD_THROTTLING)) {
        const [method, path] = key.split(' ') as [string, string];
        const setting = settings.find(
          (candidate) =>
            candidate.HttpMethod === method && candidate.ResourcePath === `/${path.replaceAll('/', '~1')}`,
        );
        expect(setting, key).toMatchObject({
          ThrottlingRateLimit: limits.rateLimit,
          ThrottlingBurstLimit: limits.burstLimit,
        });
        expect(limits.rateLimit).toBeLessThan(stageWide?.ThrottlingRateLimit as number);
      }
    });

    it('writes access logs as JSON of request metadata only: no bodies, headers, raw paths or query strings', () => {
      const [stage] = Object.values(stateless.findResources('AWS::ApiGateway::Stage'));
      const format = JSON.parse(stage?.Properties.AccessLogSetting.Format as string) as Record<
        string,
        string
      >;
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
        resourcePath: '$context.resourcePath',
        httpMethod: '$context.httpMethod',
      });
      const variables = Object.values(format).join(' ');
      // $context.path carries merchant numbers and SNs, $input the body, $method.request the headers
      // (Authorization) and query strings.
      for (const forbidden of [
        '$input',
        '$method.request',
        '$context.path',
        '$request',
        'authorization',
        'body',
      ])
        expect(variables.toLowerCase(), forbidden).not.toContain(forbidden.toLowerCase());
      for (const variable of Object.values(format)) expect(variable).toMatch(/^\$context\.[A-Za-z.]+$/);
    });

    it('puts a WAF web ACL on the stage: per-IP rate limit, 32 KB body limit, AWS managed rule groups, redacted logs', () => {
      const acls = stateless.findResources('AWS::WAFv2::WebACL');
      const [aclId, acl] = Object.entries(acls)[0] ?? [];
      expect(Object.keys(acls)).toHaveLength(1);
      const stageId = Object.keys(stateless.findResources('AWS::ApiGateway::Stage'))[0];
      stateless.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
        ResourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: stageId }])]) }),
      });
      const props = acl?.Properties;
      expect(props.Scope).toBe('REGIONAL');
      expect(props.DefaultAction).toEqual({ Allow: {} });
      const rules = props.Rules as Json[];
      const byName = new Map(rules.map((rule) => [rule.Name as string, rule]));
      expect(byName.get('RateLimitPerIp')?.Statement.RateBasedStatement).toMatchObject({
        AggregateKeyType: 'IP',
        Limit: expect.any(Number),
      });
      expect(byName.get('RateLimitPerIp')?.Action.Block.CustomResponse.ResponseCode).toBe(429);
      const bodyRule = byName.get('BodyOver32KB');
      expect(bodyRule?.Statement.SizeConstraintStatement).toEqual({
        FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
        ComparisonOperator: 'GT',
        Size: MAX_BODY_BYTES,
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      });
      expect(bodyRule?.Action.Block.CustomResponse.ResponseCode).toBe(413);
      // The inspection limit is the body limit: anything longer is oversize, hence a match.
      expect(MAX_BODY_BYTES).toBe(32 * 1024);
      expect(props.AssociationConfig).toEqual({
        RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_32' } },
      });
      for (const group of [
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesAmazonIpReputationList',
      ]) {
        expect(byName.get(group)?.Statement.ManagedRuleGroupStatement, group).toMatchObject({
          VendorName: 'AWS',
          Name: group,
        });
        expect(byName.get(group)?.OverrideAction, group).toEqual({ None: {} });
      }
      // Only the 8 KB body rule and the User-Agent rule of the common group are counted, nothing else.
      const overrides = byName.get('AWSManagedRulesCommonRuleSet')?.Statement.ManagedRuleGroupStatement
        .RuleActionOverrides as Array<{ Name: string; ActionToUse: unknown }>;
      expect(overrides.map((override) => [override.Name, override.ActionToUse])).toEqual([
        ['SizeRestrictions_BODY', { Count: {} }],
        ['NoUserAgent_HEADER', { Count: {} }],
      ]);
      expect(byName.get('BodyOver32KB')?.Priority).toBeLessThan(
        byName.get('AWSManagedRulesCommonRuleSet')?.Priority,
      );
      for (const rule of rules) expect(rule.VisibilityConfig.SampledRequestsEnabled, rule.Name).toBe(false);
      stateless.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
        RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }]),
      });
      // The Idempotency-Key of a create is half of what a replay needs: never in the WAF log.
      stateless.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'idempotency-key' } }]),
      });
    });

    it('limits per IP the requests worth abusing one by one, matched by method and path pattern', () => {
      const acl = Object.values(stateless.findResources('AWS::WAFv2::WebACL'))[0]?.Properties;
      const rules = new Map((acl.Rules as Json[]).map((rule) => [rule.Name as string, rule]));
      const priorities = (acl.Rules as Json[]).map((rule) => rule.Priority as number);
      expect(new Set(priorities).size).toBe(priorities.length);
      const patterns: Record<string, RegExp> = {};
      for (const rule of ROUTE_RATE_RULES) {
        const waf = rules.get(rule.name);
        expect(waf?.Action.Block.CustomResponse, rule.name).toEqual({
          ResponseCode: 429,
          CustomResponseBodyKey: 'rateLimited',
        });
        const rate = waf?.Statement.RateBasedStatement;
        expect(rate).toMatchObject({ AggregateKeyType: 'IP', Limit: rule.limit });
        expect(rule.limit).toBeGreaterThanOrEqual(10);
        expect(rule.limit).toBeLessThan(1000);
        const [method, path] = rate.ScopeDownStatement.AndStatement.Statements as Json[];
        expect(method?.ByteMatchStatement).toMatchObject({
          FieldToMatch: { Method: {} },
          PositionalConstraint: 'EXACTLY',
          SearchString: 'POST',
        });
        expect(path?.RegexMatchStatement).toMatchObject({
          FieldToMatch: { UriPath: {} },
          RegexString: rule.pathPattern,
        });
        patterns[rule.name] = new RegExp(rule.pathPattern);
      }
      // What each rule counts, with the stage in the path (execute-api) and without (custom domain).
      const cases: [string, string, boolean][] = [
        ['CreateApplicationPerIp', '/prod/v1/applications', true],
        ['CreateApplicationPerIp', '/v1/applications', true],
        ['CreateApplicationPerIp', '/prod/v1/applications/01J/submit', false],
        ['ActivateTerminalPerIp', '/prod/v1/terminals/LKL00012345/activate', true],
        ['ActivateTerminalPerIp', '/v1/terminals/LKL00012345/activate', true],
        ['ActivateTerminalPerIp', '/prod/v1/terminals/LKL00012345/activation-code', false],
        ['ContactVerificationPerIp', '/prod/v1/applications/01J/verifications', true],
        ['ContactVerificationPerIp', '/v1/applications/01J/verifications/confirm', true],
        ['ContactVerificationPerIp', '/prod/v1/applications/01J/documents', false],
        ['MerchantSessionPerIp', '/prod/v1/applications/01J/sessions', true],
        ['MerchantSessionPerIp', '/v1/applications/01J/sessions/confirm', true],
        ['MerchantSessionPerIp', '/prod/v1/applications/01J', false],
      ];
      for (const [name, path, counted] of cases)
        expect(patterns[name]?.test(path), `${name} ${path}`).toBe(counted);
      // The routes of the manifest these rules are for.
      const concrete = (path: string) => `/prod${path.replace(/\{[^}]+\}/g, 'X1')}`;
      const post = (path: string) => ROUTES.some((route) => route.method === 'POST' && route.path === path);
      expect(
        post('/v1/applications') && patterns.CreateApplicationPerIp?.test(concrete('/v1/applications')),
      ).toBe(true);
      expect(
        post('/v1/terminals/{sn}/activate') &&
          patterns.ActivateTerminalPerIp?.test(concrete('/v1/terminals/{sn}/activate')),
      ).toBe(true);
      for (const route of ROUTES.filter(
        (r) => r.path.includes('/verifications') || r.path.includes('/sessions'),
      ))
        expect(
          Object.values(patterns).some((pattern) => pattern.test(concrete(route.path))),
          route.path,
        ).toBe(true);
    });

    it('takes staff revocation within 5 minutes: no authorizer cache, 5-minute tokens, handlers refuse older ones', () => {
      stateless.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        AuthorizerResultTtlInSeconds: 0,
      });
      const variables = Object.values(stateless.findResources('AWS::Lambda::Function')).map(
        (fn) => fn.Properties.Environment.Variables,
      );
      // Not overridden in AWS: the handlers' default of 300 seconds applies.
      for (const vars of variables) expect(vars.STAFF_TOKEN_MAX_AGE_SECONDS).toBeUndefined();
    });

    it('alarms when a terminal reaches its lifetime cap of activation codes, and on a wave of locks', () => {
      for (const [metricName, threshold, period] of [
        ['ActivationCodeCapReached', 1, 300],
        ['ActivationLocked', 10, 3600],
      ] as const) {
        alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metricName,
          Namespace: METRICS_NAMESPACE,
          Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
          Statistic: 'Sum',
          Period: period,
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
        });
      }
    });

    it('runs the retention sweep daily, one run at a time, dead letters alarmed', () => {
      const sweep = stacks.stateless.functions.get('sweep-retention');
      if (!sweep) throw new Error('no sweep-retention');
      const fnId = stacks.stateless.getLogicalId(sweep.function.node.defaultChild as never);
      stateless.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 19 * * ? *)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
            DeadLetterConfig: Match.anyValue(),
            RetryPolicy: { MaximumRetryAttempts: 2 },
          }),
        ],
      });
      const resources = stateless.toJSON().Resources as CfnResources;
      expect(resources[fnId]?.Properties).toMatchObject({
        ReservedConcurrentExecutions: 1,
        Timeout: 900,
        Environment: { Variables: { RETENTION_SECONDS: String(15_552_000) } },
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
        // Revocation within 5 minutes: the shortest lifetimes Cognito allows.
        IdTokenValidity: 5,
        AccessTokenValidity: 5,
        RefreshTokenValidity: 480,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      });
    });

    it('alarms on failed, timed-out, aborted and throttled executions through an encrypted topic', () => {
      alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ExecutionsAborted',
        Namespace: 'AWS/States',
        Threshold: 20,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
      });
      for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled']) {
        alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metricName,
          Namespace: 'AWS/States',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
        });
      }
      stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    });

    it('sends every alarm to the alarm topic only', () => {
      const all = Object.values(alarms.findResources('AWS::CloudWatch::Alarm'));
      expect(all.length).toBeGreaterThan(10);
      for (const alarm of all) {
        expect(alarm.Properties.AlarmActions).toHaveLength(1);
        expect(inStateless(alarm.Properties.AlarmActions[0])).toEqual({
          Ref: stacks.stateless.getLogicalId(stacks.stateless.alarmTopic.node.defaultChild as never),
        });
      }
    });

    it('alarms on Errors and Throttles of every function, each function in exactly one alarm per metric', () => {
      const functionIds = [...stacks.stateless.functions.values()].map((fn) =>
        stacks.stateless.getLogicalId(fn.function.node.defaultChild as never),
      );
      for (const metricName of ['Errors', 'Throttles']) {
        const covered: string[] = [];
        const ofMetric = Object.values(alarms.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
          (
            alarm.Properties.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string } } }> | undefined
          )?.some((query) => query.MetricStat?.Metric.MetricName === metricName),
        );
        for (const alarm of ofMetric) {
          const queries = alarm.Properties.Metrics as Json[];
          const stats = queries.filter((query) => query.MetricStat);
          expect(stats.length).toBeLessThanOrEqual(10);
          expect(queries.find((query) => query.ReturnData !== false)?.Expression).toBe(
            'SUM(FILL(METRICS(), 0))',
          );
          for (const query of stats) {
            expect(query.MetricStat.Metric.Namespace).toBe('AWS/Lambda');
            expect(query.MetricStat.Stat).toBe('Sum');
            covered.push(inStateless(query.MetricStat.Metric.Dimensions[0].Value).Ref);
          }
          expect(alarm.Properties.Threshold).toBe(1);
        }
        expect(covered.sort(), metricName).toEqual([...functionIds].sort());
      }
    });

    it('alarms on DynamoDB throttles of the table and gsi1, and on 5xx answers of the API', () => {
      const throttles = Object.values(alarms.findResources('AWS::CloudWatch::Alarm')).find((alarm) =>
        JSON.stringify(alarm.Properties.Metrics ?? []).includes('ReadThrottleEvents'),
      );
      if (!throttles) throw new Error('no DynamoDB throttle alarm');
      const metrics = (throttles.Properties.Metrics as Json[])
        .filter((query) => query.MetricStat)
        .map((query) => ({
          name: query.MetricStat.Metric.MetricName,
          index: query.MetricStat.Metric.Dimensions.find(
            (dimension: { Name: string }) => dimension.Name === 'GlobalSecondaryIndexName',
          )?.Value,
        }));
      expect(metrics).toEqual(
        expect.arrayContaining([
          { name: 'ReadThrottleEvents', index: undefined },
          { name: 'WriteThrottleEvents', index: undefined },
          { name: 'ReadThrottleEvents', index: 'gsi1' },
          { name: 'WriteThrottleEvents', index: 'gsi1' },
        ]),
      );
      alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: '5XXError',
        Namespace: 'AWS/ApiGateway',
        Threshold: 1,
      });
    });

    it('sends failed SES events to an encrypted dead-letter queue, from Lambda and from SNS, and alarms on its first message', () => {
      const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
        stacks.stateless.getLogicalId(construct.node.defaultChild as never);
      const queueId = logicalIdOf(stacks.stateless.eventDeadLetterQueue);
      const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };
      stateless.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      for (const name of EVENT_FUNCTIONS) {
        const fn = stacks.stateless.functions.get(name);
        if (!fn) throw new Error(`no ${name}`);
        const resources = stateless.toJSON().Resources as CfnResources;
        expect(resources[logicalIdOf(fn.function)]?.Properties).toMatchObject({
          DeadLetterConfig: { TargetArn: queueArn },
          ReservedConcurrentExecutions: expect.any(Number),
        });
      }
      stateless.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        RedrivePolicy: { deadLetterTargetArn: queueArn },
      });
      stateless.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' } }),
          ]),
        }),
      });
      const deadLetters = Object.values(alarms.findResources('AWS::CloudWatch::Alarm')).find(
        (alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
      );
      expect(deadLetters?.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(deadLetters?.Properties.Dimensions).toHaveLength(1);
      expect(deadLetters?.Properties.Dimensions[0].Name).toBe('QueueName');
      expect(inStateless(deadLetters?.Properties.Dimensions[0].Value)).toEqual({
        'Fn::GetAtt': [queueId, 'QueueName'],
      });
      // Only the event and scheduled functions are invoked asynchronously: no other has a DLQ.
      const withDlq = Object.values(stateless.findResources('AWS::Lambda::Function')).filter(
        (fn) => fn.Properties.DeadLetterConfig,
      );
      expect(withDlq).toHaveLength(EVENT_FUNCTIONS.length + SCHEDULED_FUNCTION_NAMES.length);
    });

    it('alarms on a notification that failed on its last attempt, on the metric the functions emit', async () => {
      alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'NotificationsFailed',
        Namespace: METRICS_NAMESPACE,
        Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
      });
      // The EMF line shared/metrics.ts prints through Powertools metrics: same namespace, the
      // `service` dimension (POWERTOOLS_SERVICE_NAME = SERVICE_NAME on every function).
      const printed: string[] = [];
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
      try {
        await countMetric('NotificationsFailed');
      } finally {
        write.mockRestore();
      }
      const line = JSON.parse(printed.join('')) as {
        _aws: { CloudWatchMetrics: unknown[] };
        service?: unknown;
        NotificationsFailed?: unknown;
      };
      expect(line).toMatchObject({ NotificationsFailed: 1, service: expect.any(String) });
      const emf = line._aws.CloudWatchMetrics[0];
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
      const topicId = logicalIdOf(stacks.stateless.emailEventsTopic as never);
      stateless.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: { Ref: logicalIdOf(stacks.stateless.emailConfigurationSet as never) },
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
      const failed = Object.values(alarms.findResources('AWS::CloudWatch::Alarm')).filter(
        (alarm) => alarm.Properties.MetricName === 'Errors' && alarm.Properties.Namespace === 'AWS/Lambda',
      );
      expect(
        failed.map((alarm) => inStateless(alarm.Properties.Dimensions[0].Value)),
        'an Errors alarm of handle-email-events',
      ).toContainEqual({ Ref: logicalIdOf(subscriber.function) });
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
      const policies = JSON.stringify(policiesOf(stateless.toJSON().Resources as CfnResources));
      expect(policies).toContain(':configuration-set/');
    });
  });

  describe('cdk-nag AwsSolutions and NIST 800-53 R5', () => {
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

      it(`reports no unacknowledged NIST 800-53 R5 error or warning on the ${which} stack`, () => {
        const report = new NIST80053R5Checks(undefined, { verbose: true }).validateScope(stacks[which]);
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

describe('stack parts', () => {
  /** A few resources at several depths, with the ids CDK treats specially (Default, Resource). */
  function populate(scope: Construct): void {
    new sns.Topic(scope, 'Topic');
    const nested = new Construct(scope, 'Nested');
    new sqs.Queue(nested, 'Queue');
    new sqs.Queue(new Construct(nested, 'Default'), 'Resource');
    new sns.Topic(new Construct(nested, 'NestedTopic'), 'Topic');
  }
  const cfnElements = (stack: Stack) => stack.node.findAll().filter((node) => node instanceof CfnElement);

  it('computes the logical ids CDK gives the resources of a stack without parts', () => {
    const stack = new Stack(new App(), 'Plain');
    populate(stack);
    const elements = cfnElements(stack);
    expect(elements.length).toBe(4);
    for (const element of elements)
      expect(logicalIdWithoutParts(stack, element)).toBe(stack.getLogicalId(element));
  });

  it('leaves the ids of parts out, so grouping resources into parts renames nothing', () => {
    const plain = new Stack(new App(), 'Same');
    populate(plain);
    const parted = new StackWithParts(new App(), 'Same');
    populate(new StackPart(new StackPart(parted, 'Outer'), 'Inner'));
    const ids = (stack: Stack) =>
      cfnElements(stack)
        .map((element) => stack.getLogicalId(element))
        .sort();
    expect(ids(parted)).toEqual(ids(plain));
  });

  it('refuses two resources that would share a logical id', () => {
    const stack = new StackWithParts(new App(), 'Clash');
    new sns.Topic(new StackPart(stack, 'A'), 'Topic');
    new sns.Topic(new StackPart(stack, 'B'), 'Topic');
    expect(() => Template.fromStack(stack)).toThrow(/would share the logical id Topic/);
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
    [{ emailPerAddressPerHour: 1.5 }, /emailPerAddressPerHour/],
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

describe('lazy modules', () => {
  it('copies jose from the installed tree next to the bundle, without installing anything, and loads it on use', async () => {
    const app = new App({ context: CDK_CONTEXT });
    const stack = new Stack(app, 'Lazy');
    new HouseFunction(stack, 'Lazy', {
      name: 'lazy-handler',
      functionsDir: join(PROJECT_ROOT, 'test/infra/fixtures'),
      lazyModules: ['jose'],
    });
    const assembly = app.synth();
    const [assetDir] = readdirSync(assembly.directory)
      .filter((entry) => entry.startsWith('asset.'))
      .map((entry) => join(assembly.directory, entry));
    if (!assetDir) throw new Error('no asset');
    // No package.json or lock file at the top: nothing ran npm (NodejsFunction's nodeModules would).
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map', 'node_modules']);
    expect(readdirSync(join(assetDir, 'node_modules'))).toEqual(['jose']);
    expect(readdirSync(join(assetDir, 'node_modules/jose')).sort()).toEqual([
      'LICENSE.md',
      'dist',
      'package.json',
    ]);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code).toMatch(/import\(["']jose["']\)/);
    expect(code).not.toMatch(/from\s*["']jose["']/);
    const { handler } = (await import(join(assetDir, 'index.mjs'))) as {
      handler: () => Promise<{ body: string }>;
    };
    expect(JSON.parse((await handler()).body)).toEqual({ alg: 'RS256' });
  }, 120_000);
});

describe('the agreement renderer', () => {
  it('ships pdfkit, fontkit, their dependencies and the one font file next to its bundle, and renders with them alone', async () => {
    const app = new App({ context: CDK_CONTEXT });
    const stack = new Stack(app, 'Renderer');
    new HouseFunction(stack, 'Renderer', {
      name: 'render-handler',
      functionsDir: join(PROJECT_ROOT, 'test/infra/fixtures'),
      lazyModules: TASK_AGREEMENT_RENDER.lazyModules,
    });
    const assembly = app.synth();
    const [assetDir] = readdirSync(assembly.directory)
      .filter((entry) => entry.startsWith('asset.'))
      .map((entry) => join(assembly.directory, entry));
    if (!assetDir) throw new Error('no asset');
    // Outside the repository: nothing can be found in its node_modules by walking up.
    expect(assetDir.startsWith(PROJECT_ROOT)).toBe(false);
    const modules = join(assetDir, 'node_modules');
    expect(readdirSync(modules)).toEqual(expect.arrayContaining(['pdfkit', 'fontkit', '@expo-google-fonts']));
    // One weight of the font (10 MB), not the package's nine.
    expect(readdirSync(join(modules, '@expo-google-fonts/noto-sans-sc')).sort()).toEqual([
      '400Regular',
      'LICENSE',
      'LICENSE_FONT',
      'package.json',
    ]);
    const size = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce(
        (sum, entry) =>
          sum + (entry.isDirectory() ? size(join(dir, entry.name)) : statSync(join(dir, entry.name)).size),
        0,
      );
    expect(size(assetDir)).toBeLessThan(20 * 2 ** 20);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code).toMatch(/import\(["']pdfkit["']\)/);
    expect(code).not.toMatch(/from\s*["']pdfkit["']/);
    const { handler } = (await import(join(assetDir, 'index.mjs'))) as {
      handler: () => Promise<{ body: string }>;
    };
    const pdf = Buffer.from((await handler()).body, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.byteLength).toBeGreaterThan(10_000);
  }, 180_000);

  it('is the only function that ships the font', () => {
    expect(functionsWithLazyModule('@expo-google-fonts/noto-sans-sc')).toEqual(['task-agreement-render']);
    expect(functionsWithLazyModule('pdfkit')).toEqual(['task-agreement-render']);
  });
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

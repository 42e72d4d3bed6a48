import { CfnOutput, type NestedStack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV, type HmacKey } from '../shared/config/env';
import {
  FUNCTIONS,
  functionOfSource,
  manifestProblems,
  ROUTES,
  taskFunctionsOf,
} from '../shared/manifest/functions';
import { PROCESSES } from '../shared/manifest/processes';
import type { FunctionEntry, ScheduleTrigger } from '../shared/manifest/types';
import { cognitoHostedUiSignIn, type OidcSignIn } from '../web/runtime-config';
import { WEB_APPS } from '../web/security-headers';
import type { OnboardingConfig } from './config';
import { Alarms } from './constructs/alarms';
import { DailyRun } from './constructs/daily-run';
import { EmailEvents } from './constructs/email-events';
import { createLogsKey } from './constructs/encryption';
import { ManifestFunctions, pascalCase } from './constructs/functions';
import { ManifestGrants } from './constructs/grants';
import { IntegrationSurface } from './constructs/integration';
import { OnboardingRestApi } from './constructs/rest-api';
import { Schedules } from './constructs/schedules';
import { StackWithParts } from './constructs/stack-part';
import { StaffIdentity } from './constructs/staff-identity';
import { TransactionIngest } from './constructs/transaction-ingest';
import type { WebHosting } from './constructs/web-hosting';
import { Workflows } from './constructs/workflows';
import { FunctionRole, type HouseFunction } from './house-function';
import type { DeploymentProfile, ProviderSecretSpec } from './profiles';
import { globalProfile } from './profiles/global';
import { exportWebHosting, WebHostingStack } from './web-stack';

/** What the stateless stack needs from the stateful one (and from configuration). */
export interface StatelessStackProps extends StackProps {
  readonly table: dynamodb.ITable;
  /** The customer-managed key of the table and the documents bucket. */
  readonly dataKey: kms.IKey;
  /** The HMAC_256 keys of keyed hashes, one per purpose. */
  readonly hmacKeys: Readonly<Record<HmacKey, kms.IKey>>;
  /** The symmetric key whose data keys encrypt ID and account numbers field by field. */
  readonly fieldKey: kms.IKey;
  readonly documentsBucket: s3.IBucket;
  /** The write-once (Object Lock) bucket of signed agreements. */
  readonly agreementArchiveBucket: s3.IBucket;
  readonly config: OnboardingConfig;
  /** Inline stub code instead of esbuild bundles (see HouseFunctionProps.skipBundling). @default false */
  readonly skipBundling?: boolean;
  /** Directory of the handler entry files. @default FUNCTIONS_DIR */
  readonly functionsDir?: string;
  /** Where and with which providers it deploys (infra/profiles/). @default the global profile */
  readonly profile?: DeploymentProfile;
  /** The providers' secrets of the stateful stack (profiles with such providers). */
  readonly providerSecrets?: {
    readonly secrets: ReadonlyMap<ProviderSecretSpec['id'], secretsmanager.ISecret>;
    readonly key: kms.IKey;
  };
}

/**
 * Everything that can be replaced freely, wired from the manifest (shared/manifest/): the staff
 * user pool, one function per entry with the grants its entry names, one state machine per
 * process, the REST API with its WAF, the SES event subscription and the alarms.
 */
export class StatelessStack extends StackWithParts {
  /** Every function by its file name under `functions/`. */
  readonly functions: ReadonlyMap<string, HouseFunction>;
  /** The nested stacks of the functions' log groups. */
  readonly functionLogStacks: readonly NestedStack[];
  readonly api: apigw.RestApi;
  /** The staff user pool and its client, where the profile's staff identity is Cognito. */
  readonly userPool: cognito.UserPool | undefined;
  readonly userPoolClient: cognito.UserPoolClient | undefined;
  readonly workflows: Workflows;
  /** The onboarding process's state machine. */
  readonly stateMachine: sfn.StateMachine;
  /** Its fixed name, and its ARN built from the name (see Workflows). */
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly alarmTopic: sns.Topic;
  /** The nested stack of the operational alarms (see Alarms). */
  readonly alarmStack: NestedStack;
  /** SES configuration set of every email: bounces and complaints go to {@link emailEventsTopic} (SES profiles). */
  readonly emailConfigurationSet: ses.ConfigurationSet | undefined;
  /** Encrypted topic of SES bounce and complaint events, subscribed by the email event function (SES profiles). */
  readonly emailEventsTopic: sns.Topic | undefined;
  /** Customer-managed key of every log group of this stack (function, workflow, API, WAF logs). */
  readonly logsKey: kms.Key;
  /** Events the event functions could not process (alarmed on its first message). */
  readonly eventDeadLetterQueue: sqs.Queue;
  /** The domain event bus. */
  readonly eventBus: events.EventBus;
  /** The webhook delivery queue. */
  readonly webhookDeliveryQueue: sqs.Queue;
  /** Webhook jobs, events and stream batches that could not be handled (alarmed). */
  readonly integrationDeadLetterQueue: sqs.Queue;
  /**
   * The web apps' bucket and distribution (a nested stack; the files come from the web stack),
   * where the profile hosts them.
   */
  readonly webHosting: WebHosting | undefined;
  /** How the console signs staff in: the pool's Hosted UI with the staff client (hosted profiles). */
  readonly consoleSignIn: OidcSignIn | undefined;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    // ~60 functions with their roles, policies and log groups: the template is written without
    // indentation so that it stays well under CloudFormation's 1 MB limit.
    super(scope, id, { ...props, suppressTemplateIndentation: props.suppressTemplateIndentation ?? true });
    const problems = manifestProblems();
    if (problems.length > 0) throw new Error(`The manifest is inconsistent:\n${problems.join('\n')}`);
    const { config } = props;
    const profile = props.profile ?? globalProfile(undefined);
    const entries = FUNCTIONS.filter((entry) => profile.deploys(entry));
    const tracing = profile.xray.enabled;

    const identity = new StaffIdentity(this, 'StaffIdentity', profile.staffIdentity, {
      signInDomainPrefix: config.staffSignInDomainPrefix || undefined,
    });
    this.userPool = identity.userPool;
    this.userPoolClient = identity.userPoolClient;
    this.logsKey = createLogsKey(this);

    const functions = new ManifestFunctions(this, 'Functions', {
      entries,
      environment: {
        [ENV.tableName]: props.table.tableName,
        [ENV.documentsBucket]: props.documentsBucket.bucketName,
        [ENV.acquirerCode]: config.acquirerCode,
        [ENV.senderEmail]: config.senderEmail,
        [ENV.supervisorEmail]: config.supervisorEmail,
        [ENV.smsOriginationIdentity]: config.smsOriginationIdentity,
        [ENV.smsSignature]: config.smsSignature,
        [ENV.smsPerPhonePerHour]: String(config.smsPerPhonePerHour),
        [ENV.emailPerAddressPerHour]: String(config.emailPerAddressPerHour),
        [ENV.supervisorLocale]: config.supervisorLocale,
        [ENV.reviewEscalationSeconds]: String(config.reviewEscalationSeconds),
        [ENV.reviewFinalSeconds]: String(config.reviewFinalSeconds),
        [ENV.resubmissionSeconds]: String(config.resubmissionSeconds),
        [ENV.draftTtlSeconds]: String(config.draftTtlSeconds),
        [ENV.transferAcceptanceSeconds]: String(config.transferAcceptanceSeconds),
        [ENV.retentionSeconds]: String(config.retentionSeconds),
        ...identity.verifierEnvironment,
        ...providerEnvironment(profile),
        [ENV.agreementReminderSeconds]: String(config.agreementReminderSeconds),
        ...(config.merchantPagesUrl ? { [ENV.merchantPagesUrl]: config.merchantPagesUrl } : {}),
        [ENV.operatorEmail]: config.operatorEmail,
        [ENV.dailyChecksSettings]: config.dailyChecks,
        [ENV.reviewClaimSeconds]: String(config.reviewClaimSeconds),
      },
      logsKey: this.logsKey,
      skipBundling: props.skipBundling,
      functionsDir: props.functionsDir,
      bundledAdapters: profile.bundledAdapters,
      tracing,
    });
    this.functions = functions.byName;
    this.functionLogStacks = functions.logStacks;
    this.eventDeadLetterQueue = functions.eventDeadLetterQueue;

    this.workflows = new Workflows(this, 'Workflows', {
      processes: PROCESSES.map((process) => ({
        name: process.name,
        aslPath: process.aslPath,
        taskFunctions: taskFunctionsOf(process.name),
      })),
      functionArnOf: (name) => functions.get(name).functionArn,
      logsKey: this.logsKey,
      tracing,
    });
    this.stateMachine = this.workflows.stateMachineOf('onboarding');
    this.stateMachineName = this.workflows.stateMachineNameOf('onboarding');
    this.stateMachineArn = this.workflows.arnOf('onboarding');

    const [emailEventsFunction, ...otherEventFunctions] = entries
      .filter((entry) => entry.trigger.kind === 'event')
      .map((entry) => functions.get(entry.name));
    if (
      otherEventFunctions.length > 0 ||
      (profile.email.kind === 'ses') !== (emailEventsFunction !== undefined)
    )
      throw new Error(
        'Expected exactly one event function (SES bounces and complaints) where email goes through SES',
      );
    const emailEvents = emailEventsFunction
      ? new EmailEvents(this, 'EmailEvents', {
          subscriber: emailEventsFunction,
          deadLetterQueue: this.eventDeadLetterQueue,
        })
      : undefined;
    this.emailConfigurationSet = emailEvents?.configurationSet;
    this.emailEventsTopic = emailEvents?.topic;

    const integration = new IntegrationSurface(this, 'Integration', {
      table: props.table,
      entries,
      functionOf: (name) => functions.get(name),
    });
    this.eventBus = integration.bus;
    this.webhookDeliveryQueue = integration.deliveryQueue;
    this.integrationDeadLetterQueue = integration.deadLetterQueue;

    // Daily checks: the transaction stream and its consumer, the daily run's schedule and page queue.
    const ingest = new TransactionIngest(this, 'TransactionIngest', {
      consumer: functions.get(functionOfSource('stream', 'transactions')),
    });
    const dailyRun = new DailyRun(this, 'DailyRun', {
      starter: functions.get(functionOfSource('schedule', 'daily-run')),
      pageWorker: functions.get(functionOfSource('queue', 'daily-run-pages')),
    });

    const grants = new ManifestGrants(this, {
      eventBus: integration.bus,
      deliveryQueue: integration.deliveryQueue,
      dailyRunQueue: dailyRun.queue,
      table: props.table,
      dataKey: props.dataKey,
      hmacKeys: props.hmacKeys,
      fieldKey: props.fieldKey,
      documentsBucket: props.documentsBucket,
      agreementArchiveBucket: props.agreementArchiveBucket,
      workflows: this.workflows,
      emailConfigurationSetName: emailEvents?.configurationSetName,
      config,
      profile,
      providerSecrets: props.providerSecrets,
    });
    for (const entry of entries) {
      const fn = functions.get(entry.name);
      grants.grantTable(fn, entry.table);
      grants.grantEntry(fn, entry);
    }
    new Schedules(this, 'Schedules', {
      // On rules of their own; the daily run's schedule is its construct's (EventBridge Scheduler).
      entries: entries.filter(
        (entry): entry is FunctionEntry & { readonly trigger: ScheduleTrigger } =>
          entry.trigger.kind === 'schedule' && 'schedule' in entry.trigger,
      ),
      functionOf: (name) => functions.get(name),
      deadLetterQueue: this.eventDeadLetterQueue,
    });

    this.api = new OnboardingRestApi(this, 'RestApi', {
      routes: ROUTES,
      functionOf: (name) => functions.get(name).function,
      staffAuthorizer: this.userPool
        ? { kind: 'cognito', userPool: this.userPool }
        : { kind: 'lambda', handler: this.authorizerFunction(entries, functions.byName) },
      logsKey: this.logsKey,
      stage: config.stage,
      tracing,
      wafManagedRuleGroupAvailable: (ruleGroup) => profile.wafManagedRules.available(ruleGroup),
    }).api;

    // After the API (its origin) and before the staff client (whose callbacks are its address).
    if (profile.webHosting.enabled && identity.signInUrl && identity.userPoolClient) {
      const hosting = new WebHostingStack(this, 'WebHosting', {
        restApiId: this.api.restApiId,
        stage: config.stage,
        documentsOrigin: `https://${props.documentsBucket.bucketRegionalDomainName}`,
        consoleConnectOrigins: [identity.signInUrl],
        ...(config.webDomainName
          ? { domain: { name: config.webDomainName, certificateArn: config.webCertificateArn } }
          : {}),
      }).hosting;
      this.webHosting = hosting;
      exportWebHosting(this, hosting);
      identity.allowConsole(
        WEB_APPS.filter((app) => app.name === 'console').map((app) => `${hosting.url}${app.basePath}`),
      );
      this.consoleSignIn = cognitoHostedUiSignIn(
        identity.signInUrl,
        identity.userPoolClient.userPoolClientId,
      );
    } else {
      this.webHosting = undefined;
      this.consoleSignIn = undefined;
    }

    const alarms = new Alarms(this, 'Alarms', {
      functions: this.functions,
      emailEventsFunction,
      stateMachines: this.workflows.stateMachines,
      api: this.api,
      table: props.table,
      eventDeadLetterQueue: this.eventDeadLetterQueue,
      integrationDeadLetterQueue: integration.deadLetterQueue,
      eventRelay: integration.relay,
      alarmEmail: config.alarmEmail,
    });
    this.alarmTopic = alarms.topic;
    this.alarmStack = alarms.alarmStack;
    // Their alarms in the alarm stack too, beside every other alarm.
    ingest.addAlarms(this.alarmStack, this.alarmTopic);
    dailyRun.addAlarms(this.alarmStack, this.alarmTopic);

    // cdk-nag NIST 800-53 R5: on the resources themselves rather than the stack: a stack-level
    // acknowledgement is copied into the metadata of all ~350 resources and brings the template
    // near its 1 MB limit.
    for (const child of this.node.findAll()) {
      // A function's own statements are its role's inline policy (FunctionRole); the rest are
      // policy resources of one role each.
      const functionRole = child instanceof iam.CfnRole && child.node.scope instanceof FunctionRole;
      if (child instanceof iam.CfnPolicy || functionRole) {
        Validations.of(child).acknowledge({
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason:
            'Each role (one per function, one per state machine) has policies written for it alone (least privilege per handler); CloudFormation creates, versions and rolls them back with the stack. A managed policy would have one attachment and add nothing.',
        });
      }
    }

    if (!tracing) acknowledgeNoTracing(this, profile.xray.enabled ? '' : profile.xray.reason);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    if (this.userPool && this.userPoolClient) {
      new CfnOutput(this, 'StaffUserPoolId', { value: this.userPool.userPoolId });
      new CfnOutput(this, 'StaffUserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    }
    for (const [process, stateMachine] of this.workflows.stateMachines) {
      // The onboarding output keeps its original id, which deployments may read.
      const id = process === 'onboarding' ? 'StateMachineArn' : `${pascalCase(process)}StateMachineArn`;
      new CfnOutput(this, id, { value: stateMachine.stateMachineArn });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'EventBusName', { value: integration.bus.eventBusName });
    new CfnOutput(this, 'TransactionStreamName', { value: ingest.stream.streamName });
  }

  /** The function of the `authorizer` entry (profiles whose staff sign in at an OIDC IdP). */
  private authorizerFunction(
    entries: readonly FunctionEntry[],
    byName: ReadonlyMap<string, HouseFunction>,
  ): HouseFunction['function'] {
    const names = entries.filter((entry) => entry.trigger.kind === 'authorizer').map((entry) => entry.name);
    const fn = names.length === 1 && names[0] !== undefined ? byName.get(names[0]) : undefined;
    if (!fn) throw new Error('Expected exactly one authorizer function where staff sign in at an OIDC IdP');
    return fn.function;
  }
}

/** Environment of the functions for the profile's email and SMS providers (none for SES and End User Messaging SMS). */
function providerEnvironment(profile: DeploymentProfile): Record<string, string> {
  return {
    ...(profile.email.kind === 'smtp'
      ? {
          [ENV.emailTransport]: 'smtp',
          [ENV.smtpHost]: profile.email.host,
          [ENV.smtpPort]: String(profile.email.port),
        }
      : {}),
    ...(profile.sms.kind === 'tencent-cloud'
      ? {
          [ENV.smsTransport]: 'tencent-cloud',
          [ENV.smsProviderEndpoint]: profile.sms.endpoint,
          [ENV.smsProviderRegion]: profile.sms.region,
          [ENV.smsProviderAppId]: profile.sms.appId,
        }
      : {}),
  };
}

/**
 * The cdk-nag acknowledgement where the profile turns X-Ray off (its region does not offer the
 * integration): AwsSolutions-SF2 on every state machine (the packs check no other X-Ray setting).
 */
function acknowledgeNoTracing(stack: StatelessStack, reason: string): void {
  for (const stateMachine of stack.workflows.stateMachines.values()) {
    Validations.of(stateMachine).acknowledge({ id: 'AwsSolutions-SF2', reason });
  }
}

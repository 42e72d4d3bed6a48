import { CfnOutput, type StackProps, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV, type HmacKey } from '../shared/config/env';
import {
  EVENT_FUNCTIONS,
  FUNCTIONS,
  manifestProblems,
  ROUTES,
  SCHEDULED_FUNCTIONS,
  taskFunctionsOf,
} from '../shared/manifest/functions';
import { PROCESSES } from '../shared/manifest/processes';
import type { OnboardingConfig } from './config';
import { Alarms } from './constructs/alarms';
import { EmailEvents } from './constructs/email-events';
import { createLogsKey } from './constructs/encryption';
import { ManifestFunctions, pascalCase } from './constructs/functions';
import { ManifestGrants } from './constructs/grants';
import { OnboardingRestApi } from './constructs/rest-api';
import { Schedules } from './constructs/schedules';
import { StackWithParts } from './constructs/stack-part';
import { StaffIdentity } from './constructs/staff-identity';
import { Workflows } from './constructs/workflows';
import type { HouseFunction } from './house-function';

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
  readonly config: OnboardingConfig;
  /** Inline stub code instead of esbuild bundles (see HouseFunctionProps.skipBundling). @default false */
  readonly skipBundling?: boolean;
  /** Directory of the handler entry files. @default FUNCTIONS_DIR */
  readonly functionsDir?: string;
}

/**
 * Everything that can be replaced freely, wired from the manifest (shared/manifest/): the staff
 * user pool, one function per entry with the grants its entry names, one state machine per
 * process, the REST API with its WAF, the SES event subscription and the alarms.
 */
export class StatelessStack extends StackWithParts {
  /** Every function by its file name under `functions/`. */
  readonly functions: ReadonlyMap<string, HouseFunction>;
  readonly api: apigw.RestApi;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly workflows: Workflows;
  /** The onboarding process's state machine. */
  readonly stateMachine: sfn.StateMachine;
  /** Its fixed name, and its ARN built from the name (see Workflows). */
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly alarmTopic: sns.Topic;
  /** SES configuration set of every email: bounces and complaints go to {@link emailEventsTopic}. */
  readonly emailConfigurationSet: ses.ConfigurationSet;
  /** Encrypted topic of SES bounce and complaint events, subscribed by the email event function. */
  readonly emailEventsTopic: sns.Topic;
  /** Customer-managed key of every log group of this stack (function, workflow, API, WAF logs). */
  readonly logsKey: kms.Key;
  /** Events the event functions could not process (alarmed on its first message). */
  readonly eventDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const problems = manifestProblems();
    if (problems.length > 0) throw new Error(`The manifest is inconsistent:\n${problems.join('\n')}`);
    const { config } = props;

    const identity = new StaffIdentity(this, 'StaffIdentity');
    this.userPool = identity.userPool;
    this.userPoolClient = identity.userPoolClient;
    this.logsKey = createLogsKey(this);

    const functions = new ManifestFunctions(this, 'Functions', {
      entries: FUNCTIONS,
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
        [ENV.reviewClaimSeconds]: String(config.reviewClaimSeconds),
        [ENV.staffJwtIssuer]: identity.issuer,
        [ENV.staffJwtAudience]: identity.userPoolClient.userPoolClientId,
        [ENV.staffJwksUri]: identity.jwksUri,
      },
      logsKey: this.logsKey,
      skipBundling: props.skipBundling,
      functionsDir: props.functionsDir,
    });
    this.functions = functions.byName;
    this.eventDeadLetterQueue = functions.eventDeadLetterQueue;

    this.workflows = new Workflows(this, 'Workflows', {
      processes: PROCESSES.map((process) => ({
        name: process.name,
        aslPath: process.aslPath,
        taskFunctions: taskFunctionsOf(process.name),
      })),
      functionArnOf: (name) => functions.get(name).functionArn,
      logsKey: this.logsKey,
    });
    this.stateMachine = this.workflows.stateMachineOf('onboarding');
    this.stateMachineName = this.workflows.stateMachineNameOf('onboarding');
    this.stateMachineArn = this.workflows.arnOf('onboarding');

    const [emailEventsFunction, ...otherEventFunctions] = EVENT_FUNCTIONS.map((name) => functions.get(name));
    if (!emailEventsFunction || otherEventFunctions.length > 0)
      throw new Error('Expected exactly one event function (SES bounces and complaints)');
    const emailEvents = new EmailEvents(this, 'EmailEvents', {
      subscriber: emailEventsFunction,
      deadLetterQueue: this.eventDeadLetterQueue,
    });
    this.emailConfigurationSet = emailEvents.configurationSet;
    this.emailEventsTopic = emailEvents.topic;

    const grants = new ManifestGrants(this, {
      table: props.table,
      dataKey: props.dataKey,
      hmacKeys: props.hmacKeys,
      fieldKey: props.fieldKey,
      documentsBucket: props.documentsBucket,
      workflows: this.workflows,
      emailConfigurationSetName: emailEvents.configurationSetName,
      config,
    });
    for (const entry of FUNCTIONS) {
      const fn = functions.get(entry.name);
      grants.grantTable(fn, entry.table);
      grants.grantEntry(fn, entry);
    }
    new Schedules(this, 'Schedules', {
      entries: SCHEDULED_FUNCTIONS,
      functionOf: (name) => functions.get(name),
      deadLetterQueue: this.eventDeadLetterQueue,
    });

    this.api = new OnboardingRestApi(this, 'RestApi', {
      routes: ROUTES,
      functionOf: (name) => functions.get(name).function,
      userPool: this.userPool,
      logsKey: this.logsKey,
      stage: config.stage,
    }).api;

    this.alarmTopic = new Alarms(this, 'Alarms', {
      functions: this.functions,
      emailEventsFunction,
      stateMachines: this.workflows.stateMachines,
      api: this.api,
      table: props.table,
      eventDeadLetterQueue: this.eventDeadLetterQueue,
      alarmEmail: config.alarmEmail,
    }).topic;

    // cdk-nag NIST 800-53 R5: on the resources themselves rather than the stack: a stack-level
    // acknowledgement is copied into the metadata of all ~350 resources and brings the template
    // near its 1 MB limit.
    for (const child of this.node.findAll()) {
      if (child instanceof iam.CfnPolicy) {
        Validations.of(child).acknowledge({
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason:
            'Each role (one per function, one per state machine) has policies written for it alone (least privilege per handler); CloudFormation creates, versions and rolls them back with the stack. A managed policy would have one attachment and add nothing.',
        });
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'StaffUserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'StaffUserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    for (const [process, stateMachine] of this.workflows.stateMachines) {
      // The onboarding output keeps its original id, which deployments may read.
      const id = process === 'onboarding' ? 'StateMachineArn' : `${pascalCase(process)}StateMachineArn`;
      new CfnOutput(this, id, { value: stateMachine.stateMachineArn });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }
}

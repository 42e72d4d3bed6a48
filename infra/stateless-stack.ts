import {
  Aws,
  CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { FIELD_KMS_CONTEXT } from '../shared/adapters/field-cipher';
import { ENV, stateMachineArnVariable, type WorkflowProcess } from '../shared/config/env';
import { emailDomain, type OnboardingConfig } from './config';
import { HouseFunction, METRICS_NAMESPACE, SERVICE_NAME } from './house-function';
import { ROUTES, type RouteAuth, type RouteDefinition } from './routes';
import { TABLE_SCHEMA } from './stateful-stack';
import { processDefinition, WORKFLOW_FUNCTIONS, WORKFLOW_PROCESSES } from './workflow';

/** What the stateless stack needs from the stateful one (and from configuration). */
export interface StatelessStackProps extends StackProps {
  readonly table: dynamodb.ITable;
  /** The customer-managed key of the table and the documents bucket. */
  readonly dataKey: kms.IKey;
  /** The HMAC_256 key for keyed hashes of licence / ID numbers. */
  readonly piiHmacKey: kms.IKey;
  /** The symmetric key whose data keys encrypt ID and account numbers field by field. */
  readonly fieldKey: kms.IKey;
  readonly documentsBucket: s3.IBucket;
  readonly config: OnboardingConfig;
  /** Inline stub code instead of esbuild bundles (see HouseFunctionProps.skipBundling). @default false */
  readonly skipBundling?: boolean;
  /** Directory of the handler entry files. @default FUNCTIONS_DIR */
  readonly functionsDir?: string;
}

/** Permissions beyond the table, by function name. */
type Capability =
  /** kms:GenerateMac with the PII HMAC key. */
  | 'piiHmac'
  /** s3:PutObject on the documents bucket, to presign upload URLs. */
  | 'documentsPut'
  /** s3:GetObject (HeadObject) on the documents bucket, to see which documents were uploaded. */
  | 'documentsRead'
  /** states:StartExecution on the process's state machine, and its ARN in `<PROCESS>_STATE_MACHINE_ARN`. */
  | `startExecution:${WorkflowProcess}`
  /** states:StopExecution on the executions of the process's state machine. */
  | `stopExecution:${WorkflowProcess}`
  /** states:SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat on the process's state machine (callbacks). */
  | `taskResponse:${WorkflowProcess}`
  /** ses:SendEmail from the configured sender, through the configuration set (SES_CONFIGURATION_SET). */
  | 'sendEmail'
  /** sms-voice:SendTextMessage (AWS End User Messaging SMS). */
  | 'sendSms'
  /** cloudwatch:PutMetricData in METRICS_NAMESPACE only. */
  | 'putMetrics';

/**
 * Least-privilege grants, from what each handler's use case calls. Every function also gets item
 * read/write on the table (never Scan).
 */
export const FUNCTION_CAPABILITIES: Readonly<Record<string, readonly Capability[]>> = {
  // Access token derivation (keyed hash); the uniqueness markers of licence / ID numbers.
  'create-application': ['piiHmac'],
  // The returned view tells which documents were uploaded (HeadObject).
  'update-application': ['documentsRead'],
  'get-application': ['documentsRead'],
  'create-document': ['documentsPut'],
  // Checks the documents, computes the uniqueness markers, starts the workflow or hands the
  // resubmission back to the waiting one (SendTaskSuccess).
  'submit-application': ['piiHmac', 'documentsRead', 'startExecution:onboarding', 'taskResponse:onboarding'],
  'withdraw-application': ['stopExecution:onboarding'],
  // Hands the decision to whichever process waits on the task.
  'decide-review': [
    'taskResponse:onboarding',
    'taskResponse:terminal-transfer',
    'taskResponse:change-request',
  ],
  // Presigned GETs of a case's documents for the reviewer (HeadObject first: only uploaded ones).
  'get-review-documents': ['documentsRead'],
  // Blocklist lookups by keyed hash; required documents present; the "received" message (and an
  // automatic rejection's) by email and SMS; an automatic rejection completes its own task token.
  'task-run-checks': ['piiHmac', 'documentsRead', 'sendEmail', 'sendSms', 'taskResponse:onboarding'],
  // A decision or resubmission that arrived while nobody was waiting is handed to the new token.
  'task-await-review': ['taskResponse:onboarding'],
  // Also tells the merchant what to correct.
  'task-await-resubmission': ['taskResponse:onboarding', 'sendEmail', 'sendSms', 'piiHmac'],
  // Each ends its branch with the outcome message (the approval's with the activation code).
  'task-provision-merchant': ['sendEmail', 'sendSms', 'piiHmac'],
  'task-record-decision': ['sendEmail', 'sendSms', 'piiHmac'],
  // Generates the activation code of an approved terminal and stores its keyed hash; looks every
  // address up on the suppression list by keyed hash. Metrics are EMF log lines (no PutMetricData).
  'task-notify': ['sendEmail', 'sendSms', 'piiHmac'],
  // Each process escalates its own reviews (supervisor email; addresses looked up by keyed hash).
  'task-escalate-review': ['sendEmail', 'piiHmac'],
  'task-transfer-escalate-review': ['sendEmail', 'piiHmac'],
  'task-change-escalate-review': ['sendEmail', 'piiHmac'],
  // Terminals: activation codes are keyed hashes (KMS HMAC) sent by SMS.
  'bind-terminal': ['piiHmac', 'sendSms'],
  'reissue-activation-code': ['piiHmac', 'sendSms'],
  'activate-terminal': ['piiHmac'],
  'create-transfer-request': ['startExecution:terminal-transfer'],
  'accept-transfer-request': ['taskResponse:terminal-transfer'],
  'cancel-transfer-request': ['stopExecution:terminal-transfer'],
  'task-transfer-await-acceptance': ['taskResponse:terminal-transfer'],
  'task-transfer-await-review': ['taskResponse:terminal-transfer'],
  'task-transfer-notify': ['sendEmail', 'sendSms', 'piiHmac'],
  // Change requests: creation starts the workflow, cancellation stops it; the checks look the new
  // settlement account up in the blocklist by keyed hash; a decision that arrived while nobody was
  // waiting is handed to the new token; the outcome goes by email and SMS.
  'create-change-request': ['startExecution:change-request'],
  'cancel-change-request': ['stopExecution:change-request'],
  'task-change-run-checks': ['piiHmac'],
  'task-change-await-review': ['taskResponse:change-request'],
  'task-change-notify': ['sendEmail', 'sendSms', 'piiHmac'],
  // SES bounces and complaints: the addresses are recorded by keyed hash only.
  'handle-email-events': ['piiHmac'],
  // An operator's reissue emails the new merchant access token to the registered contact.
  'reissue-access-token': ['sendEmail'],
};

/**
 * Functions that build the application, merchant or change-request repositories (directly or via
 * shared/activation-code-sender.ts), whose items hold encrypted ID / account numbers: they get
 * FIELD_CIPHER_KEY_ID and kms:GenerateDataKey + kms:Decrypt on the field key (no other function
 * can read those fields, even with the table). test/infra/stacks.test.ts checks the list against
 * the function files.
 */
export const FIELD_CIPHER_FUNCTIONS = [
  'accept-transfer-request',
  'activate-terminal',
  'bind-terminal',
  'cancel-change-request',
  'cancel-transfer-request',
  'create-application',
  'create-change-request',
  'create-document',
  'create-transfer-request',
  'decide-review',
  'get-application',
  'get-change-request',
  'get-merchant',
  'get-review',
  'get-review-documents',
  'get-transfer-request',
  'list-merchant-versions',
  'reissue-access-token',
  'reissue-activation-code',
  'revoke-access-token',
  'rotate-access-token',
  'run-test-transaction',
  'submit-application',
  'task-await-resubmission',
  'task-await-review',
  'task-change-apply',
  'task-change-await-review',
  'task-change-escalate-review',
  'task-change-expire',
  'task-change-notify',
  'task-change-record-decision',
  'task-change-record-failure',
  'task-change-run-checks',
  'task-escalate-review',
  'task-expire-application',
  'task-notify',
  'task-provision-merchant',
  'task-record-decision',
  'task-record-failure',
  'task-run-checks',
  'task-transfer-complete',
  'task-transfer-notify',
  'update-application',
  'withdraw-application',
] as const;

/** Functions invoked by events (not by a route or the workflow): the SES event subscriber. */
export const EVENT_FUNCTIONS = ['handle-email-events'] as const;

/** Custom metric of a notification that failed on its last attempt (EMF, see shared/metrics.ts). */
export const NOTIFICATIONS_FAILED_METRIC = 'NotificationsFailed';

/** Workflow Task functions may run longer than API handlers (their ASL states time out at 60 s). */
const TASK_FUNCTION_TIMEOUT = Duration.seconds(30);

/** Stage-wide throttling; WAF adds a per-IP rate limit in front of it. */
const API_THROTTLING = { rateLimit: 50, burstLimit: 100 } as const;

/** Requests per IP per 5 minutes before WAF answers 429. */
const WAF_RATE_LIMIT_PER_IP = 1000;

/**
 * Tighter per-method throttling (requests per second, burst) where one route is the obvious abuse
 * target: the unauthenticated draft creation, presigning uploads, and guessing 6-digit activation codes
 * (the handler also locks a terminal after 5 wrong codes). Keys are `METHOD /path` of ROUTES.
 */
export const METHOD_THROTTLING: Readonly<Record<string, { rateLimit: number; burstLimit: number }>> = {
  'POST /v1/applications': { rateLimit: 10, burstLimit: 20 },
  'POST /v1/applications/{id}/documents': { rateLimit: 10, burstLimit: 20 },
  'POST /v1/terminals/{sn}/activate': { rateLimit: 5, burstLimit: 10 },
};

/**
 * Largest request body (spec 4.1: bodies <= 32 KB; documents go straight to S3, never through the
 * API). WAF blocks larger bodies with 413 before they reach a function; the handlers check it again.
 */
export const MAX_REQUEST_BODY_BYTES = 32 * 1024;

/**
 * Reserved concurrency of each event function: a bounce/complaint storm can neither starve the API
 * of account concurrency nor exhaust the table's capacity; SNS and Lambda retry the excess.
 */
const EVENT_FUNCTION_CONCURRENCY = 5;

/** Lambda functions per Errors / Throttles alarm: a metric-math alarm reads at most 10 metrics. */
const METRICS_PER_ALARM = 10;

const ACK_NO_APIG_AUTHORIZER: Record<Exclude<RouteAuth, 'staff'>, string> = {
  public:
    'Public by design (spec 4.1): the health probe and the creation of a draft application need no prior credential; the route is behind the WAF rate limit and the handler validates the body and the Idempotency-Key.',
  merchant:
    "The merchant's credential is the opaque per-application access token issued by create-application (stored only as a hash in DynamoDB), not a Cognito identity; the handler verifies the Bearer token on every request, so no API Gateway authorizer type can check it.",
  'merchant-or-staff':
    "Accepts either a merchant's opaque access token or a staff Cognito JWT; a Cognito authorizer would reject every merchant. The handler verifies both: the access-token hash, or the staff JWT's signature against STAFF_JWKS_URI, issuer, audience and cognito:groups.",
};

function pascalCase(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message, requestId: '$context.requestId' } });
}

/**
 * Everything that can be replaced freely: the functions, the REST API, the staff user pool, the
 * onboarding state machine, the WAF web ACL and the alarms.
 */
export class StatelessStack extends Stack {
  /** Every function by its file name under `functions/`. */
  readonly functions: ReadonlyMap<string, HouseFunction>;
  readonly api: apigw.RestApi;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** One state machine per process of `WORKFLOW_PROCESSES` (`workflow/<process>.asl.json`). */
  readonly stateMachines: ReadonlyMap<WorkflowProcess, sfn.StateMachine>;
  readonly alarmTopic: sns.Topic;
  /** SES configuration set of every email: bounces and complaints go to {@link emailEventsTopic}. */
  readonly emailConfigurationSet: ses.ConfigurationSet;
  /** Encrypted topic of SES bounce and complaint events, subscribed by `handle-email-events`. */
  readonly emailEventsTopic: sns.Topic;
  /**
   * The documents bucket ARN, imported through an export with a fixed name so that the cdk-nag
   * finding for `<bucket ARN>/*` (rendered from the Fn::ImportValue) has a stable, readable id.
   */
  private readonly documentsBucketArn: string;
  /** How cdk-nag renders `documentsBucketArn` in a finding id. */
  private readonly documentsBucketArnForNag: string;
  /** Customer-managed key of every log group of this stack (function, workflow, API, WAF logs). */
  readonly logsKey: kms.Key;
  /**
   * Events the event functions could not process: Lambda's asynchronous dead letters and SNS's
   * undeliverable messages. Alarmed on its first message.
   */
  readonly eventDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const producer = Stack.of(props.documentsBucket);
    if (producer === this) {
      this.documentsBucketArn = props.documentsBucket.bucketArn;
      this.documentsBucketArnForNag = `<${this.logicalIdOf(props.documentsBucket)}.Arn>`;
    } else {
      const exportName = `${producer.stackName}-DocumentsBucketArn`;
      this.documentsBucketArn = producer.exportValue(props.documentsBucket.bucketArn, { name: exportName });
      this.documentsBucketArnForNag = exportName;
    }

    const routes = ROUTES.filter((route) => !route.path.startsWith('/_local'));
    const apiFunctionNames = [...new Set(routes.map((route) => route.functionName))];
    const taskFunctionNames: readonly string[] = WORKFLOW_FUNCTIONS;
    const eventFunctionNames: readonly string[] = EVENT_FUNCTIONS;
    const overlap = [...apiFunctionNames, ...taskFunctionNames].filter(
      (name, index, all) => all.indexOf(name) !== index || eventFunctionNames.includes(name),
    );
    if (overlap.length > 0)
      throw new Error(`Functions used both as route, workflow task or event handler: ${overlap.join(', ')}`);
    const unknown = Object.keys(FUNCTION_CAPABILITIES).filter(
      (name) =>
        !apiFunctionNames.includes(name) &&
        !taskFunctionNames.includes(name) &&
        !eventFunctionNames.includes(name),
    );
    if (unknown.length > 0)
      throw new Error(`FUNCTION_CAPABILITIES names unknown functions: ${unknown.join(', ')}`);

    // ---- Staff identities -------------------------------------------------------------------
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
    for (const [groupId, groupName, precedence, description] of [
      ['ReviewerGroup', 'reviewer', 10, 'Works the review queue: call-backs, site inspections, decisions'],
      ['OperatorGroup', 'operator', 20, 'Keeps the terminal inventory, binds and unbinds terminals'],
    ] as const) {
      new cognito.CfnUserPoolGroup(this, groupId, {
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
      idTokenValidity: Duration.minutes(15),
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(8),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    const staffIssuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;

    // ---- Functions ----------------------------------------------------------------------------
    const environment: Record<string, string> = {
      [ENV.tableName]: props.table.tableName,
      [ENV.documentsBucket]: props.documentsBucket.bucketName,
      [ENV.acquirerCode]: config.acquirerCode,
      [ENV.senderEmail]: config.senderEmail,
      [ENV.supervisorEmail]: config.supervisorEmail,
      [ENV.smsOriginationIdentity]: config.smsOriginationIdentity,
      [ENV.smsSignature]: config.smsSignature,
      [ENV.smsPerPhonePerHour]: String(config.smsPerPhonePerHour),
      [ENV.supervisorLocale]: config.supervisorLocale,
      [ENV.reviewEscalationSeconds]: String(config.reviewEscalationSeconds),
      [ENV.reviewFinalSeconds]: String(config.reviewFinalSeconds),
      [ENV.resubmissionSeconds]: String(config.resubmissionSeconds),
      [ENV.draftTtlSeconds]: String(config.draftTtlSeconds),
      [ENV.transferAcceptanceSeconds]: String(config.transferAcceptanceSeconds),
      [ENV.piiHmacKeyId]: props.piiHmacKey.keyArn,
      [ENV.staffJwtIssuer]: staffIssuer,
      [ENV.staffJwtAudience]: this.userPoolClient.userPoolClientId,
      [ENV.staffJwksUri]: `${staffIssuer}/.well-known/jwks.json`,
    };

    this.logsKey = this.createLogsKey();
    this.eventDeadLetterQueue = new sqs.Queue(this, 'EventDeadLetterQueue', {
      // SQS-managed encryption: SNS and Lambda can write to it without a key policy or the wildcard
      // KMS actions (kms:ReEncrypt*, kms:GenerateDataKey*) a customer-managed key grant would add.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const functions = new Map<string, HouseFunction>();
    for (const name of [...apiFunctionNames, ...taskFunctionNames, ...eventFunctionNames]) {
      const isEventFunction = eventFunctionNames.includes(name);
      const fn = new HouseFunction(this, pascalCase(name), {
        name,
        functionsDir: props.functionsDir,
        skipBundling: props.skipBundling,
        environment,
        timeout: taskFunctionNames.includes(name) ? TASK_FUNCTION_TIMEOUT : undefined,
        logEncryptionKey: this.logsKey,
        ...(isEventFunction
          ? {
              deadLetterQueue: this.eventDeadLetterQueue,
              reservedConcurrentExecutions: EVENT_FUNCTION_CONCURRENCY,
            }
          : {}),
      });
      if (!isEventFunction) this.acknowledgeSynchronousFunction(fn, name, taskFunctionNames.includes(name));
      this.grantTable(fn, props.table, props.dataKey);
      functions.set(name, fn);
    }
    this.functions = functions;
    const fnNamed = (name: string): HouseFunction => {
      const fn = functions.get(name);
      if (!fn) throw new Error(`No function named ${name}`);
      return fn;
    };

    // ---- Workflows: one state machine per process -------------------------------------------
    this.stateMachines = new Map(
      WORKFLOW_PROCESSES.map((process) => [
        process.name,
        this.createStateMachine(
          process.name,
          process.taskFunctions.map(fnNamed),
          // The same ASL file as `npm run dev`; a placeholder without a value throws.
          processDefinition(process, (task) => fnNamed(task).functionArn),
        ),
      ]),
    );

    // ---- Email events (bounces, complaints → suppression list) ---------------------------------
    ({ configurationSet: this.emailConfigurationSet, topic: this.emailEventsTopic } = this.createEmailEvents(
      fnNamed('handle-email-events'),
    ));

    // ---- Grants -------------------------------------------------------------------------------
    for (const [name, capabilities] of Object.entries(FUNCTION_CAPABILITIES)) {
      const fn = fnNamed(name);
      for (const capability of capabilities) this.grantCapability(fn, capability, props, config);
    }
    for (const name of FIELD_CIPHER_FUNCTIONS) {
      const fn = fnNamed(name);
      fn.addEnvironment(ENV.fieldCipherKeyId, props.fieldKey.keyArn);
      // Data keys only (never kms:Encrypt of data itself), and only under the field cipher's context.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.fieldKey.keyArn],
          conditions: { StringEquals: { 'kms:EncryptionContext:purpose': FIELD_KMS_CONTEXT.purpose } },
        }),
      );
    }

    // ---- REST API -----------------------------------------------------------------------------
    this.api = this.createApi(config, routes, fnNamed);

    // ---- Alarms -------------------------------------------------------------------------------
    this.alarmTopic = this.createAlarms(config, props.table);

    // ---- cdk-nag NIST 800-53 R5: acknowledgements on every resource of a kind ------------------
    // On the resources themselves rather than the stack: a stack-level acknowledgement is copied
    // into the metadata of all ~350 resources and brings the template near its 1 MB limit.
    for (const child of this.node.findAll()) {
      if (child instanceof iam.CfnPolicy) {
        Validations.of(child).acknowledge({
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason:
            'Each role (one per function, one for the state machine) has policies written for it alone (least privilege per handler); CloudFormation creates, versions and rolls them back with the stack. A managed policy would have one attachment and add nothing.',
        });
      }
    }
    for (const fn of this.functions.values()) {
      Validations.of(fn.function).acknowledge({
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'No VPC resource to reach: every dependency (DynamoDB, S3, KMS, Step Functions, SES, SMS, CloudWatch, X-Ray) is an AWS API called over TLS with SigV4 and least-privilege IAM. A VPC would add NAT or ~10 interface endpoints and no boundary in front of this data.',
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'StaffUserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'StaffUserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    for (const [process, stateMachine] of this.stateMachines) {
      new CfnOutput(this, `${pascalCase(process)}StateMachineArn`, { value: stateMachine.stateMachineArn });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }

  /** Item read/write on the table and its gsi1 (no Scan, no table-level actions), and its key via DynamoDB. */
  private grantTable(fn: HouseFunction, table: dynamodb.ITable, dataKey: kms.IKey): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [table.tableArn, `${table.tableArn}/index/${TABLE_SCHEMA.gsi1.indexName}`],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
      }),
    );
  }

  /** A process's state machine name, fixed so that its ARN can be built without a reference. */
  stateMachineNameOf(process: WorkflowProcess): string {
    return `${this.stackName}-${pascalCase(process)}`;
  }

  /**
   * A process's state machine ARN, built from its fixed name rather than referenced: the definition
   * references the task functions, and some of them (and the API functions) need this ARN, so a
   * reference would be a circular dependency.
   */
  stateMachineArnOf(process: WorkflowProcess): string {
    return `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${this.stateMachineNameOf(process)}`;
  }

  /**
   * One process's STANDARD state machine from its ASL file (the same file as `npm run dev`), with
   * ALL logging without execution data, X-Ray tracing, and a role that may invoke exactly its Task
   * functions.
   */
  private createStateMachine(
    process: WorkflowProcess,
    taskFunctions: readonly HouseFunction[],
    definition: string,
  ): sfn.StateMachine {
    const pascal = pascalCase(process);
    // The onboarding log group keeps the id it had as the only workflow: its name is fixed, so a new
    // logical id would try to create a second group of that name before deleting the first.
    const logGroup = new logs.LogGroup(
      this,
      process === 'onboarding' ? 'WorkflowLogGroup' : `${pascal}WorkflowLogGroup`,
      {
        // The vendedlogs prefix keeps the log group resource policy small (Step Functions docs).
        logGroupName: `/aws/vendedlogs/states/${this.stackName}-${process}`,
        retention: logs.RetentionDays.THREE_MONTHS,
        encryptionKey: this.logsKey,
        removalPolicy: RemovalPolicy.DESTROY,
      },
    );
    const stateMachine = new sfn.StateMachine(this, `${pascal}StateMachine`, {
      stateMachineName: this.stateMachineNameOf(process),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      tracingEnabled: true,
      logs: {
        destination: logGroup,
        level: sfn.LogLevel.ALL,
        // Every event is logged, but without state inputs/outputs: those carry merchants'
        // personal data (names, phones, ID numbers), which must never reach the logs.
        includeExecutionData: false,
      },
    });
    stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: taskFunctions.map((fn) => fn.functionArn),
      }),
    );
    const policy = stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the actions Step Functions needs for CloudWatch Logs delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing use Resource "*"; none of them supports resource-level permissions. lambda:InvokeFunction names each task function of this process.',
      });
    }
    return stateMachine;
  }

  /** A grant on one process's state machine (see the `…:<process>` capabilities). */
  private grantWorkflow(fn: HouseFunction, action: string, process: WorkflowProcess): void {
    const stateMachineArn = this.stateMachineArnOf(process);
    switch (action) {
      case 'startExecution':
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }),
        );
        // Only a function that starts executions needs the ARN (resume and stop name their execution).
        fn.addEnvironment(stateMachineArnVariable(process), stateMachineArn);
        return;
      case 'taskResponse':
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
            resources: [stateMachineArn],
          }),
        );
        return;
      case 'stopExecution': {
        const name = this.stateMachineNameOf(process);
        const executions = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${name}:*`;
        const policy = new iam.Policy(fn, `${pascalCase(process)}StopExecutionPolicy`, {
          statements: [
            new iam.PolicyStatement({ actions: ['states:StopExecution'], resources: [executions] }),
          ],
        });
        policy.attachToRole(fn.role);
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}:*]`,
          reason:
            'StopExecution applies to executions, whose names are chosen per subject at run time; the grant is limited to executions of this one state machine.',
        });
        return;
      }
      default:
        throw new Error(`Unknown workflow capability ${action}:${process}`);
    }
  }

  private grantCapability(
    fn: HouseFunction,
    capability: Capability,
    props: StatelessStackProps,
    config: OnboardingConfig,
  ): void {
    const [action, process] = capability.split(':') as [string, WorkflowProcess | undefined];
    if (process !== undefined) {
      this.grantWorkflow(fn, action, process);
      return;
    }
    const bucketObjects = `${this.documentsBucketArn}/*`;
    const documentsAck =
      'Object-level access to the documents bucket only: object keys are generated per application and document at run time, so they cannot be listed in the policy.';
    switch (capability) {
      case 'piiHmac':
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['kms:GenerateMac'], resources: [props.piiHmacKey.keyArn] }),
        );
        return;
      case 'documentsPut': {
        const policy = new iam.Policy(fn, 'DocumentsPutPolicy', {
          statements: [
            new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucketObjects] }),
            // The presigned PUT is executed with this role's credentials; S3 encrypts with the
            // bucket's customer-managed key on its behalf.
            new iam.PolicyStatement({
              actions: ['kms:GenerateDataKey'],
              resources: [props.dataKey.keyArn],
              conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
            }),
          ],
        });
        policy.attachToRole(fn.role);
        this.acknowledgeObjectWildcard(policy, documentsAck);
        return;
      }
      case 'documentsRead': {
        const policy = new iam.Policy(fn, 'DocumentsReadPolicy', {
          statements: [
            new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucketObjects] }),
            // HeadObject answers 404 for a missing object only with ListBucket; without it S3
            // answers 403 and "not uploaded yet" could not be told from a real failure.
            new iam.PolicyStatement({
              actions: ['s3:ListBucket'],
              resources: [this.documentsBucketArn],
              conditions: { StringLike: { 's3:prefix': ['applications/*'] } },
            }),
          ],
        });
        policy.attachToRole(fn.role);
        this.acknowledgeObjectWildcard(policy, documentsAck);
        return;
      }
      case 'sendEmail': {
        const identityArn = (identity: string) =>
          `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${identity}`;
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['ses:SendEmail'],
            // SES authorizes against the address identity or, if only the domain is verified, the
            // domain identity (both created and verified by the operator outside this app), and
            // against the configuration set named in the request.
            resources: [
              identityArn(config.senderEmail),
              identityArn(emailDomain(config.senderEmail)),
              `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:configuration-set/${this.emailConfigurationSet.configurationSetName}`,
            ],
            conditions: { StringEquals: { 'ses:FromAddress': config.senderEmail } },
          }),
        );
        fn.addEnvironment(ENV.sesConfigurationSet, this.emailConfigurationSet.configurationSetName);
        return;
      }
      case 'sendSms': {
        if (config.smsOriginationIdentity.startsWith('arn:')) {
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['sms-voice:SendTextMessage'],
              resources: [config.smsOriginationIdentity],
            }),
          );
          return;
        }
        const policy = new iam.Policy(fn, 'SendSmsPolicy', {
          statements: [
            new iam.PolicyStatement({
              actions: ['sms-voice:SendTextMessage'],
              resources: [`arn:${Aws.PARTITION}:sms-voice:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`],
            }),
          ],
        });
        policy.attachToRole(fn.role);
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*]',
          reason:
            "No origination identity ARN is configured (context smsOriginationIdentity), so End User Messaging SMS picks the sender among this account's phone numbers, sender IDs and pools; the grant is one action, limited to this account and region. Configure an ARN to narrow it to that identity.",
        });
        return;
      }
      case 'putMetrics': {
        const policy = new iam.Policy(fn, 'PutMetricsPolicy', {
          statements: [
            new iam.PolicyStatement({
              actions: ['cloudwatch:PutMetricData'],
              resources: ['*'],
              conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
            }),
          ],
        });
        policy.attachToRole(fn.role);
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: `cloudwatch:PutMetricData has no resource-level permissions; the statement is restricted to the ${METRICS_NAMESPACE} namespace by the cloudwatch:namespace condition.`,
        });
        return;
      }
    }
  }

  private acknowledgeObjectWildcard(policy: iam.Policy, reason: string): void {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.documentsBucketArnForNag}/*]`,
      reason,
    });
  }

  /** A table (or gsi1) metric, summed over five minutes. */
  private tableMetric(table: dynamodb.ITable, metricName: string, indexName?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensionsMap: {
        TableName: table.tableName,
        ...(indexName ? { GlobalSecondaryIndexName: indexName } : {}),
      },
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
  }

  /**
   * `Errors` or `Throttles` summed over every function, in alarms of at most METRICS_PER_ALARM
   * functions each (the limit of a metric-math alarm), ids `Lambda<metric>1`, `Lambda<metric>2`, …
   */
  private lambdaAlarms(
    metricName: 'Errors' | 'Throttles',
    description: string,
  ): Array<[string, cloudwatch.IMetric, string]> {
    const names = [...this.functions.keys()];
    return chunk(names, METRICS_PER_ALARM).map((group, index) => [
      `Lambda${metricName}${index + 1}`,
      new cloudwatch.MathExpression({
        // FILL: a function without a datapoint in the period counts as 0 instead of dropping the sum.
        expression: 'SUM(FILL(METRICS(), 0))',
        usingMetrics: Object.fromEntries(
          group.map((name, position) => [
            `m${position}`,
            (this.functions.get(name) as HouseFunction).function.metric(metricName, {
              period: Duration.minutes(5),
              statistic: 'Sum',
            }),
          ]),
        ),
        period: Duration.minutes(5),
      }),
      `${description}: one of ${group.join(', ')}.`,
    ]);
  }

  /**
   * The key of every log group here. CloudWatch Logs uses it only for log groups of this account and
   * region (encryption-context condition), as the CloudWatch Logs documentation prescribes.
   */
  private createLogsKey(): kms.Key {
    const key = new kms.Key(this, 'LogsKey', {
      description: 'Merchant onboarding: encrypts the CloudWatch log groups (functions, workflow, API, WAF)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.${Aws.URL_SUFFIX}`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    return key;
  }

  /**
   * cdk-nag NIST 800-53 R5 acknowledgements of a function that API Gateway or Step Functions invokes
   * synchronously (every function but the event functions).
   */
  private acknowledgeSynchronousFunction(fn: HouseFunction, name: string, isTask: boolean): void {
    const caller = isTask
      ? 'Step Functions invokes it synchronously (the ASL Task Resource is the function ARN): a failure goes back to the state machine, whose Retry and Catch handle it (ExecutionsFailed alarm)'
      : 'API Gateway invokes it synchronously (Lambda proxy integration): a failure is the 5xx answer the client sees (Api5xx alarm)';
    Validations.of(fn.function).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: `${name}: ${caller}; Lambda uses a dead-letter queue only for asynchronous invocations, so one would never receive a message.`,
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: `${name}: ${isTask ? 'concurrency is bounded by the number of running executions and each state has Retry with backoff' : 'concurrency is bounded by the stage throttling (and per-method limits) and the WAF per-IP rate limit'}; reserving concurrency for each of the ~50 functions would take more than the default account pool leaves unreserved, and a cap below the stage limit would turn load into Lambda throttles (5xx). Throttles are alarmed (LambdaThrottles alarms).`,
      },
    );
  }

  private logicalIdOf(construct: Construct): string {
    const cfn = construct.node.defaultChild;
    if (!(cfn instanceof CfnElement))
      throw new Error(`${construct.node.path} has no CloudFormation resource`);
    return this.getLogicalId(cfn);
  }

  private createApi(
    config: OnboardingConfig,
    routes: readonly RouteDefinition[],
    fnNamed: (name: string) => HouseFunction,
  ): apigw.RestApi {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: this.logsKey,
    });
    const methodOptions: Record<string, apigw.MethodDeploymentOptions> = {};
    for (const [key, limits] of Object.entries(METHOD_THROTTLING)) {
      const [method, path] = key.split(' ');
      if (!routes.some((route) => route.method === method && route.path === path))
        throw new Error(`METHOD_THROTTLING names no route: ${key}`);
      methodOptions[`${path}/${method}`] = {
        throttlingRateLimit: limits.rateLimit,
        throttlingBurstLimit: limits.burstLimit,
      };
    }
    const api = new apigw.RestApi(this, 'Api', {
      description: 'POS merchant onboarding API (/v1)',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Execution logging needs the account-level API Gateway CloudWatch role; kept on stack deletion
      // because it is an account/region-wide setting other APIs may rely on.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: config.stage,
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
      logGroupName: `API-Gateway-Execution-Logs_${api.restApiId}/${config.stage}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: this.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(api.deploymentStage).acknowledge(
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
    const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway uses to write execution logs (required by AwsSolutions-APIG6); AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly this role.',
      });
    }

    // Bodies have no API Gateway models (the handlers validate them fully, rejecting unknown
    // fields with the project's error shape); parameters are validated here.
    const requestValidator = api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'StaffAuthorizer', {
      cognitoUserPools: [this.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.minutes(5),
    });

    const integrations = new Map<string, apigw.LambdaIntegration>();
    for (const route of routes) {
      let integration = integrations.get(route.functionName);
      if (!integration) {
        integration = new apigw.LambdaIntegration(fnNamed(route.functionName).function, {
          proxy: true,
          allowTestInvoke: false,
        });
        integrations.set(route.functionName, integration);
      }
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const method = api.root.resourceForPath(route.path).addMethod(route.method, integration, {
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

    this.addErrorResponses(api);
    this.protectWithWaf(api);
    return api;
  }

  /** API Gateway's own errors in the project's error shape (spec 4): `{"error": {"code", "message", "requestId"}}`. */
  private addErrorResponses(api: apigw.RestApi): void {
    const responses: ReadonlyArray<[string, apigw.ResponseType, string, string, string]> = [
      ['Unauthorized', apigw.ResponseType.UNAUTHORIZED, '401', 'UNAUTHENTICATED', 'Authentication required'],
      ['ExpiredToken', apigw.ResponseType.EXPIRED_TOKEN, '401', 'UNAUTHENTICATED', 'Authentication required'],
      ['AccessDenied', apigw.ResponseType.ACCESS_DENIED, '403', 'FORBIDDEN', 'Access denied'],
      ['WafFiltered', apigw.ResponseType.WAF_FILTERED, '403', 'FORBIDDEN', 'Request blocked'],
      // An unknown path or method: API Gateway's default is a confusing 403 "Missing Authentication Token".
      ['MissingAuthToken', apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'NOT_FOUND', 'Not found'],
      ['ResourceNotFound', apigw.ResponseType.RESOURCE_NOT_FOUND, '404', 'NOT_FOUND', 'Not found'],
      [
        'BadRequestBody',
        apigw.ResponseType.BAD_REQUEST_BODY,
        '400',
        'VALIDATION_FAILED',
        'Invalid request body',
      ],
      [
        'BadRequestParameters',
        apigw.ResponseType.BAD_REQUEST_PARAMETERS,
        '400',
        'VALIDATION_FAILED',
        'Invalid request parameters',
      ],
      [
        'RequestTooLarge',
        apigw.ResponseType.REQUEST_TOO_LARGE,
        '413',
        'PAYLOAD_TOO_LARGE',
        'Request too large',
      ],
      ['Throttled', apigw.ResponseType.THROTTLED, '429', 'RATE_LIMITED', 'Too many requests'],
      ['QuotaExceeded', apigw.ResponseType.QUOTA_EXCEEDED, '429', 'RATE_LIMITED', 'Too many requests'],
      ['Default4xx', apigw.ResponseType.DEFAULT_4XX, '400', 'BAD_REQUEST', 'Bad request'],
      ['Default5xx', apigw.ResponseType.DEFAULT_5XX, '500', 'INTERNAL_ERROR', 'Internal error'],
    ];
    for (const [id, type, statusCode, code, message] of responses) {
      const keepStatus = type === apigw.ResponseType.DEFAULT_4XX || type === apigw.ResponseType.DEFAULT_5XX;
      api.addGatewayResponse(id, {
        type,
        ...(keepStatus ? {} : { statusCode }),
        templates: { 'application/json': errorBody(code, message) },
      });
    }
  }

  /**
   * A regional WAF web ACL on the stage: AWS managed common, known-bad-input and IP-reputation
   * rules, plus a per-IP rate limit (the unauthenticated create-application route is the obvious
   * target for abuse). Sampled requests are off because they would store Authorization headers.
   */
  private protectWithWaf(api: apigw.RestApi): void {
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
    const webAcl = new wafv2.CfnWebACL(this, 'ApiWebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('merchant-onboarding-api'),
      customResponseBodies: {
        rateLimited: {
          contentType: 'APPLICATION_JSON',
          content: errorBodyStatic('RATE_LIMITED', 'Too many requests'),
        },
        tooLarge: {
          contentType: 'APPLICATION_JSON',
          content: errorBodyStatic('PAYLOAD_TOO_LARGE', 'Request too large'),
        },
      },
      // WAF inspects the first 16 KB of an API Gateway body by default; 32 KB lets the size rule see
      // every valid body whole, and anything longer is "oversize", which the rule treats as a match.
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_32' } } },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rateLimited' } } },
          statement: { rateBasedStatement: { limit: WAF_RATE_LIMIT_PER_IP, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        {
          name: 'BodyOver32KB',
          priority: 1,
          action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: 'tooLarge' } } },
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: MAX_REQUEST_BODY_BYTES,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('BodyOver32KB'),
        },
        managed('AWSManagedRulesAmazonIpReputationList', 2),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 3),
        // Bodies up to 32 KB are valid (spec 4.1; BodyOver32KB above blocks beyond, the handler
        // answers 413 too), whereas this group's SizeRestrictions_BODY blocks at 8 KB; and API clients
        // such as POS back ends need not send a User-Agent: count these two rules instead of blocking.
        managed('AWSManagedRulesCommonRuleSet', 4, [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
          { name: 'NoUserAgent_HEADER', actionToUse: { count: {} } },
        ]),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'ApiWebAclAssociation', {
      resourceArn: api.deploymentStage.stageArn,
      webAclArn: webAcl.attrArn,
    });
    // WAF's own log: which rule matched which request. WAF logs headers, so the Authorization header
    // (merchant tokens, staff JWTs) is redacted; bodies are never logged by WAF.
    const wafLogs = new logs.LogGroup(this, 'WafLogs', {
      logGroupName: `aws-waf-logs-${this.stackName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: this.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new wafv2.CfnLoggingConfiguration(this, 'ApiWebAclLogging', {
      resourceArn: webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` suffix that CloudFormation's Arn attribute has.
      logDestinationConfigs: [
        `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${wafLogs.logGroupName}`,
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
  }

  /**
   * The SES configuration set every email is sent with, publishing BOUNCE and COMPLAINT events to
   * an encrypted topic that `handle-email-events` subscribes to (it records the addresses as
   * suppressed). The set also turns on SES's own account-level suppression for the same reasons.
   */
  private createEmailEvents(subscriber: HouseFunction): {
    configurationSet: ses.ConfigurationSet;
    topic: sns.Topic;
  } {
    const key = new kms.Key(this, 'EmailEventsTopicKey', {
      description: 'Merchant onboarding: encrypts the SES bounce and complaint event topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // SES publishes to the encrypted topic with this key (its events carry recipients' addresses).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const topic = new sns.Topic(this, 'EmailEventsTopic', {
      displayName: 'Merchant onboarding SES bounces and complaints',
      masterKey: key,
      enforceSSL: true,
    });
    const configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      configurationSetName: `${this.stackName}-email`,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    // Messages SNS cannot deliver to the function (after its own retries) land in the dead-letter
    // queue too, next to the events the function failed on.
    topic.addSubscription(
      new snsSubscriptions.LambdaSubscription(subscriber.function, {
        deadLetterQueue: this.eventDeadLetterQueue,
      }),
    );
    return { configurationSet, topic };
  }

  private createAlarms(config: OnboardingConfig, table: dynamodb.ITable): sns.Topic {
    const alarmKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Merchant onboarding: encrypts the operational alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch alarms publish to the encrypted topic with this key.
    alarmKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Merchant onboarding alarms',
      masterKey: alarmKey,
      enforceSSL: true,
    });
    if (config.alarmEmail !== '') {
      topic.addSubscription(new snsSubscriptions.EmailSubscription(config.alarmEmail));
    }
    const action = new cwActions.SnsAction(topic);
    const emailEvents = this.functions.get('handle-email-events');
    if (!emailEvents) throw new Error('No handle-email-events function');

    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' } as const;
    const alarms: Array<[string, cloudwatch.IMetric, string, number?]> = [
      ...[...this.stateMachines].flatMap(
        ([process, stateMachine]): Array<[string, cloudwatch.IMetric, string, number?]> => {
          const id = `${pascalCase(process)}Workflow`;
          return [
            [
              `${id}ExecutionsFailed`,
              stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
              `A ${process} workflow execution failed (see its RecordFailure step and the workflow log group).`,
            ],
            [
              `${id}ExecutionsTimedOut`,
              stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
              `A ${process} workflow execution timed out.`,
            ],
            [
              // Withdrawals and cancellations stop executions on purpose (StopExecution), so one abort
              // is normal; a burst means a client or an operator stopping executions wholesale.
              `${id}ExecutionsAborted`,
              stateMachine.metricAborted({ period: Duration.hours(1), statistic: 'Sum' }),
              `Twenty or more ${process} workflow executions were aborted within an hour (withdrawals and cancellations abort one each).`,
              20,
            ],
            [
              `${id}ExecutionsThrottled`,
              stateMachine.metricThrottled(fiveMinutes),
              `Step Functions throttled ${process} workflow state transitions.`,
            ],
          ];
        },
      ),
      [
        'Api5xx',
        this.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        'The onboarding API answered 5xx.',
      ],
      [
        'EventDeadLetters',
        this.eventDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        'An SES bounce or complaint event could not be processed (Lambda gave up, or SNS could not deliver): the address may not be suppressed. Inspect the event dead-letter queue and redrive it.',
      ],
      [
        'TableThrottles',
        new cloudwatch.MathExpression({
          expression: 'SUM(FILL(METRICS(), 0))',
          usingMetrics: {
            tr: this.tableMetric(table, 'ReadThrottleEvents'),
            tw: this.tableMetric(table, 'WriteThrottleEvents'),
            ir: this.tableMetric(table, 'ReadThrottleEvents', TABLE_SCHEMA.gsi1.indexName),
            iw: this.tableMetric(table, 'WriteThrottleEvents', TABLE_SCHEMA.gsi1.indexName),
          },
          period: Duration.minutes(5),
        }),
        'DynamoDB throttled reads or writes of the table or its gsi1 index.',
      ],
      ...this.lambdaAlarms(
        'Errors',
        'A Lambda function of the onboarding service failed (see its log group)',
      ),
      ...this.lambdaAlarms('Throttles', 'Lambda throttled a function of the onboarding service'),
      [
        'NotificationsFailed',
        new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: NOTIFICATIONS_FAILED_METRIC,
          dimensionsMap: { service: SERVICE_NAME },
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        'An email or SMS failed on its last attempt (send record FAILED, NOTIFICATION_FAILED in its subject timeline; see the "notification failed on its last attempt" log line).',
      ],
      [
        'EmailEventsFailed',
        emailEvents.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        'Recording an SES bounce or complaint failed: the address may not be suppressed (Lambda retries the event twice).',
      ],
    ];
    for (const [id, metric, description, threshold = 1] of alarms) {
      const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
    }
    return topic;
  }
}

/** `items` in consecutive groups of at most `size`. */
function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

function errorBodyStatic(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

import { Aws, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { FIELD_KMS_CONTEXT } from '../../shared/adapters/field-cipher';
import { ENV, HMAC_KEYS, type HmacKey, hmacKeyIdVariable } from '../../shared/config/env';
import { INDEX_ONLY_FAMILIES, KEY_FAMILIES, type KeyFamily, TABLE_SCHEMA } from '../../shared/keys';
import { processNamed } from '../../shared/manifest/processes';
import {
  type Capability,
  type FieldCipherUse,
  type FunctionEntry,
  HMAC_CAPABILITIES,
  type ProcessName,
  type TableAccess,
} from '../../shared/manifest/types';
import { emailDomain, type OnboardingConfig } from '../config';
import { type HouseFunction, METRICS_NAMESPACE } from '../house-function';
import type { DeploymentProfile, ProviderSecretSpec } from '../profiles';
import type { Workflows } from './workflows';

/**
 * Item actions that read (a transaction's ConditionCheck and a batch of known keys included; IAM
 * checks each key of a BatchGetItem against the leading keys); the adapters never Scan or write in batches.
 */
export const TABLE_READ_ACTIONS = ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem'] as const;
/** Item actions that write. */
export const TABLE_WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem'] as const;

/** What the grants refer to: the stateful resources, the state machines and the email configuration set. */
export interface GrantTargets {
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
  readonly workflows: Workflows;
  /** The SES configuration set (where the profile sends email through SES). */
  readonly emailConfigurationSetName: string | undefined;
  readonly config: OnboardingConfig;
  /** Which providers carry email and SMS. */
  readonly profile: Pick<DeploymentProfile, 'email' | 'sms'>;
  /** The providers' secrets (stateful stack) by id, and the key they are encrypted with. */
  readonly providerSecrets?: {
    readonly secrets: ReadonlyMap<ProviderSecretSpec['id'], secretsmanager.ISecret>;
    readonly key: kms.IKey;
  };
  /** The domain event bus (`putEvents`). */
  readonly eventBus: events.IEventBus;
  /** The webhook delivery queue (`webhookQueue`). */
  readonly deliveryQueue: sqs.IQueue;
  /** The daily run's page queue (capability `dailyRunQueue`). */
  readonly dailyRunQueue?: sqs.IQueue;
}

/**
 * The documents bucket ARN in the consuming stack: imported through an export with a fixed name
 * when the bucket lives in another stack, so that the cdk-nag finding for `<bucket ARN>/*`
 * (rendered from the Fn::ImportValue) has a stable, readable id.
 */
function documentsBucketArn(consumer: Stack, bucket: s3.IBucket): { arn: string; forNag: string } {
  return bucketArnIn(consumer, bucket, 'DocumentsBucketArn');
}

/** A bucket's ARN in the consuming stack, through a named export when it lives in another stack. */
function bucketArnIn(
  consumer: Stack,
  bucket: s3.IBucket,
  exportSuffix: string,
): { arn: string; forNag: string } {
  const producer = Stack.of(bucket);
  if (producer === consumer) {
    const cfn = bucket.node.defaultChild;
    if (!(cfn instanceof CfnElement)) throw new Error(`${bucket.node.path} has no CloudFormation resource`);
    return { arn: bucket.bucketArn, forNag: `<${consumer.getLogicalId(cfn)}.Arn>` };
  }
  const exportName = `${producer.stackName}-${exportSuffix}`;
  return { arn: producer.exportValue(bucket.bucketArn, { name: exportName }), forNag: exportName };
}

/**
 * Every function's permissions, from its manifest entry alone: item access to the table, one
 * statement (or policy) per capability, the field key for field-cipher users, and the environment
 * variables that name what was granted (state machine ARNs, SES configuration set, field key).
 */
export class ManifestGrants {
  private readonly documents: { arn: string; forNag: string };

  constructor(
    scope: Stack,
    private readonly targets: GrantTargets,
  ) {
    this.documents = documentsBucketArn(scope, targets.documentsBucket);
  }

  /**
   * Item actions on the table for the key families of `access` only (`dynamodb:LeadingKeys`): reads
   * of the families it reads or writes, writes of those it writes; a Query of the review queue on
   * gsi1 for `reviewQueue`, a Query of gsi2's partitions of `reviewKindQueue` and
   * `retention`, a Query of gsi3's partition of `reviewEscalatedQueue`; the table's key through DynamoDB. No Scan, no batch write or table-level action,
   * nothing at all for a function without table access.
   */
  grantTable(fn: HouseFunction, access: TableAccess | undefined): void {
    const { table, dataKey } = this.targets;
    const written = access?.write ?? [];
    const read = [...new Set([...(access?.read ?? []), ...written])];
    const leadingKeys = (families: readonly KeyFamily[]) => ({
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': families.map((family) => `${KEY_FAMILIES[family]}*`),
      },
    });
    // Index-only families (their partitions exist only in an index) get no item access.
    const items = read.filter((family) => !INDEX_ONLY_FAMILIES.includes(family));
    if (items.length > 0) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: TABLE_READ_ACTIONS.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
          conditions: leadingKeys(items),
        }),
      );
    }
    const writes = written.filter((family) => !INDEX_ONLY_FAMILIES.includes(family));
    if (writes.length > 0) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: TABLE_WRITE_ACTIONS.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
          conditions: leadingKeys(writes),
        }),
      );
    }
    if (read.includes('reviewQueue')) {
      // The queue is the only partition of gsi1 (only pending review tasks carry gsi1pk).
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${TABLE_SCHEMA.gsi1.indexName}`],
        }),
      );
    }
    // gsi2 (keys only) for the partitions of the families read there: the retention index's days,
    // the pending review tasks by kind.
    const onGsi2 = read.filter((family) => family === 'retention' || family === 'reviewKindQueue');
    if (onGsi2.length > 0) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${TABLE_SCHEMA.gsi2.indexName}`],
          conditions: leadingKeys(onGsi2),
        }),
      );
    }
    // gsi3 (keys only): the escalated pending review tasks, its one family.
    if (read.includes('reviewEscalatedQueue')) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${TABLE_SCHEMA.gsi3.indexName}`],
          conditions: leadingKeys(['reviewEscalatedQueue']),
        }),
      );
    }
    if (read.length === 0) return;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        // The table key through DynamoDB, as every table user has it (DynamoDB checks it per caller).
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
      }),
    );
  }

  /** The capabilities and field-cipher use of `entry`. */
  grantEntry(fn: HouseFunction, entry: FunctionEntry): void {
    for (const capability of entry.capabilities ?? [])
      this.grantCapability(fn, capability, entry.workflows ?? []);
    // Only a function that starts executions needs the state machine's ARN: resuming a wait and
    // stopping an execution name their execution (task token, execution ARN).
    if (entry.capabilities?.includes('startExecution')) {
      for (const process of entry.workflows ?? [])
        fn.addEnvironment(processNamed(process).arnVariable, this.targets.workflows.arnOf(process));
    }
    if (entry.fieldCipher) this.grantFieldCipher(fn, entry.fieldCipher);
  }

  /**
   * FIELD_CIPHER_KEY_ID, and data keys only (never kms:Encrypt of data itself) under the field
   * cipher's context: kms:GenerateDataKey to seal new values, kms:Decrypt only for a function that
   * opens stored ones.
   */
  private grantFieldCipher(fn: HouseFunction, use: FieldCipherUse): void {
    const { fieldKey } = this.targets;
    fn.addEnvironment(ENV.fieldCipherKeyId, fieldKey.keyArn);
    if (use === 'key-id') return;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: use === 'decrypt' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:GenerateDataKey'],
        resources: [fieldKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': FIELD_KMS_CONTEXT.purpose } },
      }),
    );
  }

  private grantCapability(
    fn: HouseFunction,
    capability: Capability,
    processes: readonly ProcessName[],
  ): void {
    const { workflows, config } = this.targets;
    const hmacKey = HMAC_KEYS.find((key) => HMAC_CAPABILITIES[key] === capability);
    if (hmacKey) {
      // One key per purpose: the role can compute only the hashes of the purposes it was given.
      const key = this.targets.hmacKeys[hmacKey];
      fn.addEnvironment(hmacKeyIdVariable(hmacKey), key.keyArn);
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GenerateMac'], resources: [key.keyArn] }));
      return;
    }
    switch (capability) {
      case 'identityHmac':
      case 'activationCodeHmac':
      case 'oneTimeCodeHmac':
      case 'addressHmac':
        throw new Error(`${capability} has no key in HMAC_CAPABILITIES`);
      case 'documentsPut':
        this.attach(fn, 'DocumentsPutPolicy', [
          new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [`${this.documents.arn}/*`] }),
          // The presigned PUT is executed with this role's credentials; S3 encrypts with the
          // bucket's customer-managed key on its behalf.
          new iam.PolicyStatement({
            actions: ['kms:GenerateDataKey'],
            resources: [this.targets.dataKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
          }),
        ]).acknowledgeObjectWildcard();
        return;
      case 'documentsRead':
        this.attach(fn, 'DocumentsReadPolicy', [
          // GetObjectVersion: the pinned version of a submitted document (HeadObject, presigned GET).
          new iam.PolicyStatement({
            actions: ['s3:GetObject', 's3:GetObjectVersion'],
            resources: [`${this.documents.arn}/*`],
          }),
          // HeadObject answers 404 for a missing object only with ListBucket; without it S3
          // answers 403 and "not uploaded yet" could not be told from a real failure.
          new iam.PolicyStatement({
            actions: ['s3:ListBucket'],
            resources: [this.documents.arn],
            conditions: { StringLike: { 's3:prefix': ['applications/*'] } },
          }),
          // The checksums HeadObject reports, and the bytes of a presigned GET, of objects encrypted
          // with the data key: S3 decrypts on this role's behalf.
          new iam.PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [this.targets.dataKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
          }),
        ]).acknowledgeObjectWildcard();
        return;
      case 'documentsErase':
        this.attach(fn, 'DocumentsErasePolicy', [
          // Every version of every object under an application's prefix, for good.
          new iam.PolicyStatement({
            actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
            resources: [`${this.documents.arn}/applications/*`],
          }),
          new iam.PolicyStatement({
            actions: ['s3:ListBucket', 's3:ListBucketVersions'],
            resources: [this.documents.arn],
            conditions: { StringLike: { 's3:prefix': ['applications/*'] } },
          }),
        ]).acknowledgeObjectWildcard('applications/*');
        return;
      case 'agreementArchive': {
        const bucket = this.targets.agreementArchiveBucket;
        const arn = bucketArnIn(Stack.of(fn), bucket, 'AgreementArchiveBucketArn');
        const policy = this.attach(fn, 'AgreementArchivePolicy', [
          // PutObject only: a signed PDF is written once and never read back, changed or deleted
          // by the application (Object Lock keeps it for the retention whatever any role may do).
          new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [`${arn.arn}/*`] }),
          new iam.PolicyStatement({
            actions: ['kms:GenerateDataKey'],
            resources: [this.targets.dataKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
          }),
        ]);
        Validations.of(policy.policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn.forNag}/*]`,
          reason:
            'Object-level PutObject into the agreement archive only: each signed agreement gets its own key (merchant number and agreement id) at run time.',
        });
        fn.addEnvironment(ENV.agreementArchiveBucket, bucket.bucketName);
        return;
      }
      case 'startExecution':
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['states:StartExecution'],
            resources: processes.map((process) => workflows.arnOf(process)),
          }),
        );
        return;
      case 'taskResponse':
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
            resources: processes.map((process) => workflows.arnOf(process)),
          }),
        );
        return;
      case 'stopExecution': {
        const policy = this.attach(fn, 'StopExecutionPolicy', [
          new iam.PolicyStatement({
            actions: ['states:StopExecution'],
            resources: processes.map((process) => workflows.executionsArnOf(process)),
          }),
        ]);
        for (const process of processes) {
          Validations.of(policy.policy).acknowledge({
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${workflows.stateMachineNameOf(process)}:*]`,
            reason:
              'StopExecution applies to executions, whose names are chosen per subject at run time; the grant is limited to executions of the state machines this function stops.',
          });
        }
        return;
      }
      case 'sendEmail': {
        if (this.targets.profile.email.kind === 'smtp') {
          this.grantSecret(fn, 'SmtpRelaySecret', ENV.smtpSecretId);
          return;
        }
        const configurationSetName = this.targets.emailConfigurationSetName;
        if (configurationSetName === undefined) throw new Error('SES email needs its configuration set');
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
              `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:configuration-set/${configurationSetName}`,
            ],
            conditions: { StringEquals: { 'ses:FromAddress': config.senderEmail } },
          }),
        );
        fn.addEnvironment(ENV.sesConfigurationSet, configurationSetName);
        return;
      }
      case 'smsDeliveryReceipts':
        if (this.targets.profile.sms.kind !== 'tencent-cloud')
          throw new Error('Only a provider whose receipts are pulled needs smsDeliveryReceipts');
        this.grantSecret(fn, 'SmsProviderSecret', ENV.smsProviderSecretId);
        return;
      case 'sendSms': {
        if (this.targets.profile.sms.kind === 'tencent-cloud') {
          this.grantSecret(fn, 'SmsProviderSecret', ENV.smsProviderSecretId);
          return;
        }
        const identity = smsOriginationIdentityArn(config.smsOriginationIdentity);
        if (identity.scoped) {
          fn.addToRolePolicy(
            new iam.PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [identity.arn] }),
          );
          return;
        }
        const policy = this.attach(fn, 'SendSmsPolicy', [
          new iam.PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [identity.arn] }),
        ]);
        Validations.of(policy.policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${identity.forNag}]`,
          reason: identity.reason,
        });
        return;
      }
      case 'putEvents':
        this.targets.eventBus.grantPutEventsTo(fn);
        fn.addEnvironment(ENV.eventBusName, this.targets.eventBus.eventBusName);
        return;
      case 'webhookQueue':
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['sqs:SendMessage', 'sqs:ChangeMessageVisibility'],
            resources: [this.targets.deliveryQueue.queueArn],
          }),
        );
        fn.addEnvironment(ENV.webhookQueueUrl, this.targets.deliveryQueue.queueUrl);
        return;
      case 'dailyRunQueue': {
        const queue = this.targets.dailyRunQueue;
        if (!queue) throw new Error('dailyRunQueue needs the daily run queue');
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
        );
        fn.addEnvironment(ENV.dailyRunQueueUrl, queue.queueUrl);
        return;
      }
      case 'putMetrics': {
        const policy = this.attach(fn, 'PutMetricsPolicy', [
          new iam.PolicyStatement({
            actions: ['cloudwatch:PutMetricData'],
            resources: ['*'],
            conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
          }),
        ]);
        Validations.of(policy.policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: `cloudwatch:PutMetricData has no resource-level permissions; the statement is restricted to the ${METRICS_NAMESPACE} namespace by the cloudwatch:namespace condition.`,
        });
        return;
      }
    }
  }

  /**
   * secretsmanager:GetSecretValue on one provider secret, kms:Decrypt of its key through Secrets
   * Manager only, and the variable that names the secret.
   */
  private grantSecret(fn: HouseFunction, id: ProviderSecretSpec['id'], variable: string): void {
    const secret = this.targets.providerSecrets?.secrets.get(id);
    const key = this.targets.providerSecrets?.key;
    if (!secret || !key) throw new Error(`The profile's ${id} is missing`);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
      }),
    );
    fn.addEnvironment(variable, secret.secretArn);
  }

  /**
   * Statements with a wildcard resource go in a policy of their own (the function role's inline
   * policy acknowledges X-Ray's `*` only), each with its own cdk-nag acknowledgement.
   */
  private attach(fn: HouseFunction, id: string, statements: iam.PolicyStatement[]) {
    const policy = new iam.Policy(fn, id, { statements });
    policy.attachToRole(fn.role);
    const forNag = this.documents.forNag;
    return {
      policy,
      /** `objects` is the wildcard after the bucket ARN (`*`, or a prefix such as `applications/*`). */
      acknowledgeObjectWildcard: (objects = '*') =>
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${forNag}/${objects}]`,
          reason:
            'Object-level access to the documents bucket only: object keys are generated per application and document at run time, so they cannot be listed in the policy.',
        }),
    };
  }
}

/**
 * The resource SendTextMessage is granted on for the configured origination identity: the identity
 * itself for an ARN, a pool id (`pool-…`) or a phone number id (`phone-…`); the sender ID in every
 * country for a sender ID; the account's identities (region-wide) when none is configured or it is
 * a phone number (whose ARN names its id, which the configuration does not give).
 */
export function smsOriginationIdentityArn(
  identity: string,
): { scoped: true; arn: string } | { scoped: false; arn: string; forNag: string; reason: string } {
  const prefix = `arn:${Aws.PARTITION}:sms-voice:${Aws.REGION}:${Aws.ACCOUNT_ID}`;
  const forNagPrefix = 'arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>';
  if (identity.startsWith('arn:')) return { scoped: true, arn: identity };
  if (/^pool-[0-9a-z]+$/.test(identity)) return { scoped: true, arn: `${prefix}:pool/${identity}` };
  if (/^phone-[0-9a-z]+$/.test(identity)) return { scoped: true, arn: `${prefix}:phone-number/${identity}` };
  if (/^[A-Za-z0-9-]{1,11}$/.test(identity) && /[A-Za-z]/.test(identity)) {
    return {
      scoped: false,
      arn: `${prefix}:sender-id/${identity}/*`,
      forNag: `${forNagPrefix}:sender-id/${identity}/*`,
      reason: `The sender ID ${identity} is registered per country (its ARN ends in the ISO country code); the grant is SendTextMessage as this sender ID in any country, nothing else.`,
    };
  }
  return {
    scoped: false,
    arn: `${prefix}:*`,
    forNag: `${forNagPrefix}:*`,
    reason:
      "No origination identity ARN, pool or phone-number id is configured (context smsOriginationIdentity), so End User Messaging SMS picks the sender among this account's phone numbers, sender IDs and pools; the grant is one action, limited to this account and region. Configure an ARN, a pool-… or a phone-… id to narrow it to that identity.",
  };
}

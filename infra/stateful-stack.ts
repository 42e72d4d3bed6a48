import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { HmacKey } from '../shared/config/env';
import { TABLE_SCHEMA } from '../shared/keys';
import type { ProviderSecretSpec } from './profiles';

export interface StatefulStackProps extends StackProps {
  /** The secrets the deployment profile's providers need (none for the global profile). @default none */
  readonly providerSecrets?: readonly ProviderSecretSpec[];
  /** Object Lock retention (compliance mode) of signed agreements, in days. @default 1825 */
  readonly agreementRetentionDays?: number;
}

/**
 * Everything that holds data and must survive a redeploy or a stack deletion: the table, the
 * documents bucket and the KMS keys. All of it is retained on deletion.
 */
export class StatefulStack extends Stack {
  /** The single table (customer-managed KMS encryption, PITR, deletion protection). */
  readonly table: dynamodb.Table;
  /** Customer-managed symmetric key (yearly rotation) encrypting the table and the documents bucket. */
  readonly dataKey: kms.Key;
  /** HMAC_256 keys of keyed hashes, one per purpose (identity numbers, activation codes, one-time codes, addresses). */
  readonly hmacKeys: Readonly<Record<HmacKey, kms.Key>>;
  /**
   * Symmetric key (yearly rotation) whose data keys encrypt ID and account numbers field by field.
   * Not the table key: every function may use the table key through DynamoDB, while only the
   * functions that read or write those fields may use this one, and its use is audited apart.
   */
  readonly fieldKey: kms.Key;
  /** Merchant documents, uploaded through presigned PUT URLs. */
  readonly documentsBucket: s3.Bucket;
  /** Destination of the documents bucket's server access logs. */
  readonly accessLogsBucket: s3.Bucket;
  /**
   * The providers' credentials (SMTP relay, SMS provider) by id, where the profile has such
   * providers, and the key that encrypts them. Retained: the operator puts the values in.
   */
  readonly providerSecrets:
    | {
        readonly secrets: ReadonlyMap<ProviderSecretSpec['id'], secretsmanager.Secret>;
        readonly key: kms.Key;
      }
    | undefined;
  /**
   * Signed merchant agreements, write-once: S3 Object Lock in compliance mode with a default
   * retention, so no one can overwrite or delete a signed PDF before the retention ends.
   */
  readonly agreementArchiveBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props?: StatefulStackProps) {
    super(scope, id, props);

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'Merchant onboarding: encrypts the DynamoDB table and the documents bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.fieldKey = new kms.Key(this, 'FieldKey', {
      description: 'Merchant onboarding: field-level encryption of ID and account numbers (data keys)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // One HMAC_256 key per purpose (shared/config/env.ts HMAC_KEYS): each function is granted only
    // the keys of what it hashes. The identity key keeps its original construct id, so a stack
    // deployed before keeps the key of its uniqueness markers and blocklist.
    const hmacKey = (id: string, what: string) =>
      new kms.Key(this, id, {
        description: `Merchant onboarding: HMAC key for keyed hashes of ${what}`,
        keySpec: kms.KeySpec.HMAC_256,
        keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
        // Automatic rotation is not available for HMAC keys (and would change every stored hash).
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.hmacKeys = {
      identity: hmacKey('PiiHmacKey', 'licence, ID and settlement-account numbers'),
      'activation-code': hmacKey('ActivationCodeHmacKey', 'terminal activation codes'),
      'one-time-code': hmacKey('OneTimeCodeHmacKey', 'verification, sign-in and signature codes'),
      'notification-address': hmacKey('AddressHmacKey', 'phone numbers and email addresses'),
    };

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      // Domain events are derived from it (shared/events/): never lost, never for a change that did
      // not happen, and no extra write per change.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_SCHEMA.gsi1.indexName,
      partitionKey: { name: TABLE_SCHEMA.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    // The retention index: keys only (no personal data is copied into it), one partition per day.
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_SCHEMA.gsi2.indexName,
      partitionKey: { name: TABLE_SCHEMA.gsi2.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.gsi2.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    // The escalated review queue: keys only and sparse (only escalated pending tasks carry its keys).
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_SCHEMA.gsi3.indexName,
      partitionKey: { name: TABLE_SCHEMA.gsi3.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.gsi3.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    // Backups beyond PITR's 35 days, in a vault with its own key: daily kept 35 days, monthly a year.
    const backupKey = new kms.Key(this, 'BackupVaultKey', {
      description: 'Merchant onboarding: encrypts the AWS Backup vault of the table',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const backupVault = new backup.BackupVault(this, 'BackupVault', {
      encryptionKey: backupKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: `${this.stackName}-table`,
      backupVault,
      backupPlanRules: [backup.BackupPlanRule.daily(), backup.BackupPlanRule.monthly1Year()],
    });
    const backupSelection = backupPlan.addSelection('Table', {
      resources: [backup.BackupResource.fromDynamoDbTable(this.table)],
    });
    Validations.of(backupSelection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'The role AWS Backup assumes to back the table up; AWSBackupServiceRolePolicyForBackup is the AWS-maintained policy for exactly this role and follows new Backup features.',
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      // S3 server access logging cannot deliver to an SSE-KMS bucket.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Versioned so that a log object cannot be silently overwritten or deleted; old versions go
      // with the current ones.
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(365),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogsBucket).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason:
          'This is the server access log destination of the documents bucket; logging it into itself would loop and logging it elsewhere only moves the problem.',
      },
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          'S3 server access logging delivers only to buckets whose default encryption is SSE-S3 (SSE-KMS destinations are not supported), so this bucket is encrypted with SSE-S3. It holds request metadata (object keys are ULIDs, no personal data), no documents.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'Access logs are audit metadata kept 365 days in one region, versioned and retained on stack deletion; replicating them would need a second region chosen by the operator (see the documents bucket).',
      },
    );

    this.documentsBucket = new s3.Bucket(this, 'DocumentsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      // Browsers and apps upload straight to S3 with the presigned PUT URL from create-document;
      // the signature itself is the authorization, so any origin may use it.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT],
          allowedOrigins: ['*'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Keys are written once (below), so a version becomes noncurrent only when someone deletes
        // its object outside the retention sweeper (which deletes versions for good): such a
        // document stays recoverable for 90 days, then goes.
        { id: 'expire-deleted-documents', noncurrentVersionExpiration: Duration.days(90) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Every write must be conditional on the key being new (If-None-Match: *, which the presigned
    // PUT signs): a document, once uploaded, can never be replaced — not by its own URL used again
    // within its 15 minutes, not by any other request — so the version pinned at submission is the
    // only content the key ever has.
    this.documentsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOverwritingWrites',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.documentsBucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    Validations.of(this.documentsBucket).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'The documents are ID cards and bank cards of merchants (sensitive personal information under PIPL art. 28): where a copy may be kept is a data-residency decision (cross-border transfer rules) for the operator, not a default of this app. The bucket is versioned, KMS-encrypted and retained on stack deletion; add replication to a region the operator is allowed to use.',
    });

    this.providerSecrets = this.createProviderSecrets(props?.providerSecrets ?? []);
    this.agreementArchiveBucket = new s3.Bucket(this, 'AgreementArchiveBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Object Lock needs versioning; every signed PDF is kept in compliance mode for the retention.
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(
        Duration.days(props?.agreementRetentionDays ?? 1825),
      ),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'agreements/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.agreementArchiveBucket).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'Signed merchant agreements are personal data of merchants and their legal persons: where a copy may be kept is a data-residency decision for the operator. The bucket is versioned, Object-Lock protected (compliance mode), KMS-encrypted and retained on stack deletion; add replication (with Object Lock on the destination) to a region the operator is allowed to use.',
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documentsBucket.bucketName });
    new CfnOutput(this, 'AgreementArchiveBucketName', { value: this.agreementArchiveBucket.bucketName });
  }

  /**
   * One secret per provider, created with a random placeholder value: the operator puts the
   * provider's credentials in (docs/deploy.md). Encrypted with a key of their own, so that only the
   * functions granted that key through Secrets Manager can read them; kept when the stack goes.
   */
  private createProviderSecrets(specs: readonly ProviderSecretSpec[]): StatefulStack['providerSecrets'] {
    if (specs.length === 0) return undefined;
    const key = new kms.Key(this, 'ProviderSecretsKey', {
      description: "Merchant onboarding: encrypts the providers' credentials in Secrets Manager",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const secrets = new Map<ProviderSecretSpec['id'], secretsmanager.Secret>();
    for (const spec of specs) {
      const secret = new secretsmanager.Secret(this, spec.id, {
        description: spec.description,
        encryptionKey: key,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge(
        {
          id: 'AwsSolutions-SMG4',
          reason:
            "The credentials are issued by the provider (the SMTP relay's account, the SMS provider's API key), not by AWS: a rotation Lambda would need each provider's own key-management API. Rotation is the operator's procedure in docs/deploy.md (a second key at the provider, put-secret-value, functions read the new value within 5 minutes or at once when the old one is refused, then the old key is revoked).",
        },
        {
          id: 'NIST.800.53.R5-SecretsManagerRotationEnabled',
          reason:
            "Rotation depends on the provider's own key-management API (the SMTP relay's account, the SMS provider's API keys); the operator's rotation procedure is in docs/deploy.md, and the functions pick up a rotated value without a deployment.",
        },
      );
      secrets.set(spec.id, secret);
      new CfnOutput(this, `${spec.id}Arn`, { value: secret.secretArn });
    }
    return { secrets, key };
  }
}

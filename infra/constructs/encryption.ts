import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** Keys of this stack are replaceable (they encrypt logs and topics, no data of record). */
const REPLACEABLE_KEY = {
  enableKeyRotation: true,
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
} as const;

/**
 * The key of every log group of a stack (`LogsKey`). CloudWatch Logs uses it only for log groups of
 * this account and region (encryption-context condition), as the CloudWatch Logs documentation
 * prescribes.
 */
export function createLogsKey(scope: Construct): kms.Key {
  const key = new kms.Key(scope, 'LogsKey', {
    description: 'Merchant onboarding: encrypts the CloudWatch log groups (functions, workflow, API, WAF)',
    ...REPLACEABLE_KEY,
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

/** What {@link createEncryptedTopic} needs to know about a topic. */
export interface EncryptedTopicProps {
  readonly displayName: string;
  readonly keyDescription: string;
  /** The AWS service that publishes to the topic (`ses.amazonaws.com`, `cloudwatch.amazonaws.com`). */
  readonly publisher: string;
}

/**
 * An SNS topic (`id`) encrypted with its own rotating key (`<id>Key`) that only `publisher`, on
 * behalf of this account, may use besides the account; TLS enforced.
 */
export function createEncryptedTopic(scope: Construct, id: string, props: EncryptedTopicProps): sns.Topic {
  const key = new kms.Key(scope, `${id}Key`, { description: props.keyDescription, ...REPLACEABLE_KEY });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(props.publisher)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  return new sns.Topic(scope, id, { displayName: props.displayName, masterKey: key, enforceSSL: true });
}

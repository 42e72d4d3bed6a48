import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { HouseFunction } from '../house-function';
import { StackPart } from './stack-part';

/** What the ingest needs: its consumer function and where alarms go. */
export interface TransactionIngestProps {
  readonly consumer: HouseFunction;
}

/**
 * The payment host's transaction stream (spec section 8): a Kinesis data stream in on-demand mode
 * (partition key merchantNo, so a merchant's records stay in order on one shard), encrypted with a
 * key of its own, consumed by the stream function through an event source mapping: batches of
 * 100 within a second, partial batch failure reports (the consumer reports the first record it
 * could not write), bisect on error, bounded retries, and an SQS on-failure destination for the
 * batches given up on. Alarms: records waiting too long (iterator age), anything in the on-failure
 * queue, and write throttling of the stream.
 */
export class TransactionIngest extends StackPart {
  readonly stream: kinesis.Stream;
  readonly onFailureQueue: sqs.Queue;
  private readonly consumer: HouseFunction;

  constructor(scope: Construct, id: string, props: TransactionIngestProps) {
    super(scope, id);
    this.consumer = props.consumer;
    const key = new kms.Key(this, 'StreamKey', {
      description: 'Encrypts the transaction stream',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stream = new kinesis.Stream(this, 'TransactionStream', {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: key,
      retentionPeriod: Duration.hours(24),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.onFailureQueue = new sqs.Queue(this, 'IngestOnFailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.onFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "It is the dead end itself: the event source mapping's on-failure destination (where each batch given up on is described), alarmed on its first message and read by people.",
    });
    Validations.of(this.stream).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason:
        "Transactions are merchants' business data: a key of our own lets its key policy name who may write (the payment host) and read (the consumer), which aws/kinesis cannot.",
    });
    props.consumer.function.addEventSource(
      new KinesisEventSource(this.stream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(12),
        // Ordered per merchant either way; more than 1 is safe (version conditions) if one shard lags.
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.onFailureQueue),
      }),
    );
    Validations.of(props.consumer.function).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          "Invoked by a Kinesis event source mapping (synchronously): batches given up on go to the mapping's SQS on-failure destination (alarmed); a function DLQ receives only asynchronous invocations.",
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          'Concurrency is bounded by the stream: one invocation per shard (parallelization factor 1), so it cannot starve the account pool.',
      },
    );
  }

  /** Its alarms, in `scope` (the alarm stack), on the service's alarm topic. */
  addAlarms(scope: Construct, topic: sns.ITopic): void {
    const action = new cloudwatchActions.SnsAction(topic);
    const alarms: Array<[string, cloudwatch.IMetric, string, number]> = [
      [
        'IngestIteratorAgeAlarm',
        this.consumer.function.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
        'Transactions wait more than 5 minutes before they are counted: the consumer fails or is too slow.',
        300_000,
      ],
      [
        'IngestOnFailureAlarm',
        this.onFailureQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        'A batch of transactions was given up on after its retries (see the on-failure queue: shard and sequence numbers).',
        1,
      ],
      [
        'IngestWriteThrottledAlarm',
        this.stream.metricPutRecordsThrottledRecords({ period: Duration.minutes(5), statistic: 'Sum' }),
        "The payment host's writes to the transaction stream were throttled.",
        1,
      ],
    ];
    for (const [alarmId, metric, description, threshold] of alarms) {
      new cloudwatch.Alarm(scope, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }
  }
}

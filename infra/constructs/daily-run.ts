import { type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { HouseFunction } from '../house-function';
import { StackPart } from './stack-part';

/** What the daily run needs: its two functions and where alarms go. */
export interface DailyRunProps {
  readonly starter: HouseFunction;
  readonly pageWorker: HouseFunction;
}

/**
 * The daily run (spec section 8), fanned out by pages: EventBridge Scheduler invokes the starter at
 * 02:00 Asia/Shanghai; the starter queues the first page of each shard of the day's activity index;
 * each page (one message, one invocation, batch size 1) queues the next. Failed pages come back
 * after the visibility timeout and go to a dead-letter queue after 5 receives (alarmed).
 */
export class DailyRun extends StackPart {
  readonly queue: sqs.Queue;
  private readonly deadLetters: sqs.Queue;
  private readonly scheduleDlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: DailyRunProps) {
    super(scope, id);
    this.deadLetters = new sqs.Queue(this, 'DailyRunDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const deadLetters = this.deadLetters;
    this.queue = new sqs.Queue(this, 'DailyRunPageQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the worker's timeout, as Lambda's SQS mapping advises.
      visibilityTimeout: Duration.seconds(180),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });
    props.pageWorker.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: 16 }),
    );
    this.scheduleDlq = new sqs.Queue(this, 'DailyRunScheduleDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const scheduleDlq = this.scheduleDlq;
    Validations.of(scheduleDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "It is the schedule target's dead-letter queue itself (alarmed on its first message).",
    });
    // A role of its own, so its wildcard (the function's versions, `<arn>:*`) is acknowledged here.
    const scheduleRole = new iam.Role(this, 'DailyRunScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
    });
    new scheduler.Schedule(this, 'DailyRunSchedule', {
      description: 'Daily checks: summaries, monthly notices, dormant terminals (the day before)',
      schedule: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: '2',
        timeZone: TimeZone.ASIA_SHANGHAI,
      }),
      target: new targets.LambdaInvoke(props.starter.function, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 5,
        deadLetterQueue: scheduleDlq,
        role: scheduleRole,
      }),
    });
    const functionId = Stack.of(this).getLogicalId(props.starter.function.node.defaultChild as CfnElement);
    Validations.of(scheduleRole.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the daily run starter and its versions (`:*`), as the Scheduler target grants it; nothing else.',
    });
    for (const fn of [props.starter, props.pageWorker]) {
      Validations.of(fn.function).acknowledge(
        {
          id: 'NIST.800.53.R5-LambdaDLQ',
          reason:
            "Invoked by EventBridge Scheduler (with its own retry policy and dead-letter queue) or by an SQS event source mapping (the queue's redrive dead-letter queue); a function DLQ receives only asynchronous invocations.",
        },
        {
          id: 'NIST.800.53.R5-LambdaConcurrency',
          reason: "Bounded by the SQS mapping's maximum concurrency (16) and one schedule a day.",
        },
      );
    }
  }

  /** Its alarms, in `scope` (the alarm stack), on the service's alarm topic. */
  addAlarms(scope: Construct, topic: sns.ITopic): void {
    const action = new cloudwatchActions.SnsAction(topic);
    for (const [alarmId, queue, description] of [
      [
        'DailyRunDeadLettersAlarm',
        this.deadLetters,
        'A page of the daily run failed five times (see the dead-letter queue).',
      ],
      [
        'DailyRunScheduleFailedAlarm',
        this.scheduleDlq,
        'EventBridge Scheduler could not start the daily run.',
      ],
    ] as const) {
      new cloudwatch.Alarm(scope, alarmId, {
        alarmDescription: description,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }
  }
}

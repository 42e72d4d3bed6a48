import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../shared/keys';
import type { ProcessName } from '../../shared/manifest/types';
import { type HouseFunction, METRICS_NAMESPACE, SERVICE_NAME } from '../house-function';
import { createEncryptedTopic } from './encryption';
import { StackPart } from './stack-part';

/** Custom metric of a notification that failed on its last attempt (EMF, see shared/metrics.ts). */
export const NOTIFICATIONS_FAILED_METRIC = 'NotificationsFailed';

/** Custom metric of a terminal refused an activation code: its lifetime cap was reached (EMF). */
export const ACTIVATION_CODE_CAP_METRIC = 'ActivationCodeCapReached';

/** Custom metric of a terminal locked by five wrong activation codes (EMF). */
export const ACTIVATION_LOCKED_METRIC = 'ActivationLocked';

/**
 * Terminals locked by wrong codes within an hour before it looks like a guessing campaign rather
 * than merchants mistyping (each lock is 5 wrong codes for one terminal).
 */
const ACTIVATION_LOCKS_PER_HOUR = 10;

/** Lambda functions per Errors / Throttles alarm: a metric-math alarm reads at most 10 metrics. */
const METRICS_PER_ALARM = 10;

const FIVE_MINUTES_SUM = { period: Duration.minutes(5), statistic: 'Sum' } as const;

export interface AlarmsProps {
  /** Every function, by its file name. */
  readonly functions: ReadonlyMap<string, HouseFunction>;
  /** The event function of SES bounces and complaints. */
  readonly emailEventsFunction: HouseFunction;
  readonly stateMachines: ReadonlyMap<ProcessName, sfn.StateMachine>;
  readonly api: apigw.RestApi;
  readonly table: dynamodb.ITable;
  readonly eventDeadLetterQueue: sqs.IQueue;
  /** Subscribed to the alarm topic unless empty. */
  readonly alarmEmail: string;
}

/**
 * The operational alarms (workflow failures, API 5xx, dead letters, table throttles, every
 * function's errors and throttles, failed notifications, activation codes capped or guessed), all
 * to one encrypted topic.
 */
export class Alarms extends StackPart {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    // CloudWatch alarms publish to the encrypted topic with its key.
    this.topic = createEncryptedTopic(this, 'AlarmTopic', {
      displayName: 'Merchant onboarding alarms',
      keyDescription: 'Merchant onboarding: encrypts the operational alarm topic',
      publisher: 'cloudwatch.amazonaws.com',
    });
    if (props.alarmEmail !== '') {
      this.topic.addSubscription(new snsSubscriptions.EmailSubscription(props.alarmEmail));
    }
    const action = new cwActions.SnsAction(this.topic);
    const alarms: Array<[string, cloudwatch.IMetric, string, number?]> = [
      ...[...props.stateMachines].flatMap(([process, stateMachine], index) =>
        workflowAlarms(process, stateMachine, index),
      ),
      ['Api5xx', props.api.metricServerError(FIVE_MINUTES_SUM), 'The onboarding API answered 5xx.'],
      [
        'EventDeadLetters',
        props.eventDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
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
            tr: tableMetric(props.table, 'ReadThrottleEvents'),
            tw: tableMetric(props.table, 'WriteThrottleEvents'),
            ir: tableMetric(props.table, 'ReadThrottleEvents', TABLE_SCHEMA.gsi1.indexName),
            iw: tableMetric(props.table, 'WriteThrottleEvents', TABLE_SCHEMA.gsi1.indexName),
          },
          period: Duration.minutes(5),
        }),
        'DynamoDB throttled reads or writes of the table or its gsi1 index.',
      ],
      ...lambdaAlarms(
        props.functions,
        'Errors',
        'A Lambda function of the onboarding service failed (see its log group)',
      ),
      ...lambdaAlarms(props.functions, 'Throttles', 'Lambda throttled a function of the onboarding service'),
      [
        'NotificationsFailed',
        productMetric(NOTIFICATIONS_FAILED_METRIC, FIVE_MINUTES_SUM),
        'An email or SMS failed on its last attempt (send record FAILED, NOTIFICATION_FAILED in its subject timeline; see the "notification failed on its last attempt" log line).',
      ],
      [
        'ActivationCodeCapReached',
        productMetric(ACTIVATION_CODE_CAP_METRIC, FIVE_MINUTES_SUM),
        'A terminal was refused an activation code because it has had the most codes it may ever have (20, each allowing 5 guesses): someone may be guessing its code through reissues, rebindings or transfers. See the "lifetime cap of codes" log line for the SN and its history (GET /v1/terminals/{sn}).',
      ],
      [
        'ActivationLocks',
        productMetric(ACTIVATION_LOCKED_METRIC, { period: Duration.hours(1), statistic: 'Sum' }),
        `${ACTIVATION_LOCKS_PER_HOUR} or more terminals were locked by five wrong activation codes within an hour: a guessing campaign rather than mistyping. See the "terminal locked" log lines and the WAF rate rule on activate.`,
        ACTIVATION_LOCKS_PER_HOUR,
      ],
      [
        'EmailEventsFailed',
        props.emailEventsFunction.function.metricErrors(FIVE_MINUTES_SUM),
        'Recording an SES bounce or complaint failed: the address may not be suppressed (Lambda retries the event twice).',
      ],
    ];
    for (const [alarmId, metric, description, threshold = 1] of alarms) {
      const alarm = new cloudwatch.Alarm(this, `${alarmId}Alarm`, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
    }
  }
}

/**
 * Failed, timed-out, aborted and throttled executions of one state machine. The first keeps the
 * ids `Workflow…`; later ones are numbered (`Workflow2…`).
 */
function workflowAlarms(
  name: ProcessName,
  stateMachine: sfn.StateMachine,
  index: number,
): Array<[string, cloudwatch.IMetric, string, number?]> {
  const prefix = `Workflow${index === 0 ? '' : index + 1}`;
  return [
    [
      `${prefix}ExecutionsFailed`,
      stateMachine.metricFailed(FIVE_MINUTES_SUM),
      `The ${name} workflow: an execution failed (see its RecordFailure step and the workflow log group).`,
    ],
    [
      `${prefix}ExecutionsTimedOut`,
      stateMachine.metricTimedOut(FIVE_MINUTES_SUM),
      `The ${name} workflow: an execution timed out.`,
    ],
    [
      // Withdrawals and cancellations stop executions on purpose (StopExecution), so one abort is
      // normal; a burst means a client or an operator stopping executions wholesale.
      `${prefix}ExecutionsAborted`,
      stateMachine.metricAborted({ period: Duration.hours(1), statistic: 'Sum' }),
      `The ${name} workflow: twenty or more executions were aborted within an hour (withdrawals and cancellations abort one each).`,
      20,
    ],
    [
      `${prefix}ExecutionsThrottled`,
      stateMachine.metricThrottled(FIVE_MINUTES_SUM),
      `The ${name} workflow: Step Functions throttled its state transitions.`,
    ],
  ];
}

/** A product metric (EMF, shared/metrics.ts) in the service's namespace and `service` dimension. */
function productMetric(
  metricName: string,
  options: { period: Duration; statistic: string },
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    ...options,
  });
}

/** A table (or gsi1) metric, summed over five minutes. */
function tableMetric(table: dynamodb.ITable, metricName: string, indexName?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/DynamoDB',
    metricName,
    dimensionsMap: {
      TableName: table.tableName,
      ...(indexName ? { GlobalSecondaryIndexName: indexName } : {}),
    },
    ...FIVE_MINUTES_SUM,
  });
}

/**
 * `Errors` or `Throttles` summed over every function, in alarms of at most METRICS_PER_ALARM
 * functions each (the limit of a metric-math alarm), ids `Lambda<metric>1`, `Lambda<metric>2`, …
 */
function lambdaAlarms(
  functions: ReadonlyMap<string, HouseFunction>,
  metricName: 'Errors' | 'Throttles',
  description: string,
): Array<[string, cloudwatch.IMetric, string]> {
  const entries = [...functions];
  const groups: (typeof entries)[] = [];
  for (let index = 0; index < entries.length; index += METRICS_PER_ALARM)
    groups.push(entries.slice(index, index + METRICS_PER_ALARM));
  return groups.map((group, index) => [
    `Lambda${metricName}${index + 1}`,
    new cloudwatch.MathExpression({
      // FILL: a function without a datapoint in the period counts as 0 instead of dropping the sum.
      expression: 'SUM(FILL(METRICS(), 0))',
      usingMetrics: Object.fromEntries(
        group.map(([, fn], position) => [`m${position}`, fn.function.metric(metricName, FIVE_MINUTES_SUM)]),
      ),
      period: Duration.minutes(5),
    }),
    `${description}: one of ${group.map(([name]) => name).join(', ')}.`,
  ]);
}

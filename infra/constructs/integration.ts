import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EVENT_SOURCE, streamFilterPatterns } from '../../shared/events/relay';
import type { FunctionEntry } from '../../shared/manifest/types';
import type { HouseFunction } from '../house-function';
import { StackPart } from './stack-part';

/** Most webhook delivery batches at once (each batch holds up to 10 messages). */
const DELIVERY_CONCURRENCY = 5;

/** Receives of one delivery job before it goes to the dead letters: far more than its retries in 72 h. */
const DELIVERY_MAX_RECEIVES = 50;

export interface IntegrationSurfaceProps {
  /** The table, with its stream of new and old images. */
  readonly table: dynamodb.ITable;
  readonly entries: readonly FunctionEntry[];
  readonly functionOf: (name: string) => HouseFunction;
}

/**
 * Domain events and webhooks: the table's stream → the relay function (an event source mapping
 * that passes only the records of families with event mappers) → the EventBridge bus → a rule →
 * the webhook delivery queue → the delivery function (signed POSTs, backoff by message visibility).
 * Not EventBridge API destinations: they cannot sign each body with the endpoint's own HMAC
 * secret (nor two during a rotation), nor refuse addresses a name resolves to at delivery time.
 */
export class IntegrationSurface extends StackPart {
  /** The bus of every domain event (`source` pos.onboarding); other consumers add their own rules. */
  readonly bus: events.EventBus;
  /** The webhook delivery queue: events from the bus, then one job per endpoint and event. */
  readonly deliveryQueue: sqs.Queue;
  /**
   * What could not be handled: delivery jobs received too often, events the rule could not put on
   * the queue, and stream batches the relay gave up on. Alarmed on its first message.
   */
  readonly deadLetterQueue: sqs.Queue;
  /** The relay function (its iterator age is alarmed). */
  readonly relay: HouseFunction;

  constructor(scope: Construct, id: string, props: IntegrationSurfaceProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'EventBus', {
      description: 'Merchant onboarding domain events (ids, statuses and masked values only)',
    });
    this.deadLetterQueue = new sqs.Queue(this, 'IntegrationDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const deliveryFunctions = props.entries.filter((entry) => entry.trigger.kind === 'queue');
    const timeout = deliveryFunctions.map((entry) => props.functionOf(entry.name).function.timeout);
    this.deliveryQueue = new sqs.Queue(this, 'WebhookDeliveryQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than a delivery's whole retry window (72 h).
      retentionPeriod: Duration.days(4),
      // Six times the consumer's timeout, as Lambda recommends for an SQS event source.
      visibilityTimeout: Duration.seconds(6 * Math.max(30, ...timeout.map((t) => t?.toSeconds() ?? 30))),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: DELIVERY_MAX_RECEIVES },
    });
    new events.Rule(this, 'WebhookRule', {
      eventBus: this.bus,
      description: 'Every domain event to the webhook delivery queue',
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [
        new targets.SqsQueue(this.deliveryQueue, {
          deadLetterQueue: this.deadLetterQueue,
          maxEventAge: Duration.hours(24),
          retryAttempts: 185,
        }),
      ],
    });

    let relay: HouseFunction | undefined;
    for (const entry of props.entries) {
      const fn = props.functionOf(entry.name);
      if (entry.trigger.kind === 'table-stream') {
        relay = fn;
        fn.function.addEventSource(
          new DynamoEventSource(props.table, {
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
            batchSize: 100,
            maxBatchingWindow: Duration.seconds(1),
            reportBatchItemFailures: true,
            bisectBatchOnError: true,
            // Retried until the stream drops the record (24 h); then its position goes to the DLQ.
            onFailure: new SqsDlq(this.deadLetterQueue),
            filters: streamFilterPatterns().map((pattern) => ({ pattern })),
          }),
        );
      } else if (entry.trigger.kind === 'queue') {
        fn.function.addEventSource(
          new SqsEventSource(this.deliveryQueue, {
            batchSize: 10,
            reportBatchItemFailures: true,
            maxConcurrency: DELIVERY_CONCURRENCY,
          }),
        );
      }
    }
    if (!relay) throw new Error('No table-stream function in the manifest');
    this.relay = relay;
  }
}

/**
 * cdk-nag NIST 800-53 R5 acknowledgements of a function invoked by an event source mapping (the
 * table's stream, a queue).
 */
export function acknowledgeMappedFunction(
  fn: HouseFunction,
  name: string,
  kind: 'table-stream' | 'queue',
): void {
  const source =
    kind === 'table-stream'
      ? "the table's stream (poll-based): a failed batch is retried, bisected, and past the stream's 24 h the position of what was left goes to the integration dead-letter queue (alarmed)"
      : 'the webhook delivery queue (poll-based): a failed message returns after its visibility timeout and goes to the queue’s redrive dead-letter queue after too many receives (alarmed)';
  Validations.of(fn.function).acknowledge(
    {
      id: 'NIST.800.53.R5-LambdaDLQ',
      reason: `${name}: invoked by an event source mapping on ${source}; a Lambda dead-letter queue applies to asynchronous invocations only.`,
    },
    {
      id: 'NIST.800.53.R5-LambdaConcurrency',
      reason: `${name}: concurrency is bounded by the event source mapping (${kind === 'table-stream' ? 'one batch per stream shard' : `at most ${DELIVERY_CONCURRENCY} batches`}); Errors and Throttles are alarmed like every function's.`,
    },
  );
}

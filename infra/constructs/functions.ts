import { Duration, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionEntry } from '../../shared/manifest/types';
import { HouseFunction } from '../house-function';
import { StackPart } from './stack-part';

/** Workflow Task functions may run longer than API handlers (their ASL states time out at 60 s). */
const TASK_FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * Reserved concurrency of each event function: a bounce/complaint storm can neither starve the API
 * of account concurrency nor exhaust the table's capacity; SNS and Lambda retry the excess.
 */
const EVENT_FUNCTION_CONCURRENCY = 5;

/** Routes, Tasks, event handlers, then stream, scheduled and queue functions (the order of alarms and outputs). */
const TRIGGER_ORDER = { route: 0, task: 1, event: 2, stream: 3, schedule: 4, queue: 5 } as const;

/** The stream consumer and the daily run's page worker work through batches: longer than an API call. */
const BATCH_FUNCTION_TIMEOUT = Duration.seconds(30);

/** A scheduled function runs one invocation at a time: a slow run is never overtaken by the next. */
const SCHEDULED_FUNCTION_CONCURRENCY = 1;

/** Scheduled functions may work through many items (the retention sweep: every due application). */
const SCHEDULED_FUNCTION_TIMEOUT = Duration.minutes(15);

export interface ManifestFunctionsProps {
  readonly entries: readonly FunctionEntry[];
  /** The configuration every function gets (grants add what a capability needs). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logsKey: kms.IKey;
  /** Inline stub code instead of esbuild bundles (see HouseFunctionProps.skipBundling). @default false */
  readonly skipBundling?: boolean;
  /** Directory of the handler entry files. @default FUNCTIONS_DIR */
  readonly functionsDir?: string;
}

/**
 * One {@link HouseFunction} per manifest entry: Task functions with a longer timeout, event
 * functions with a dead-letter queue and reserved concurrency, and the cdk-nag acknowledgements of
 * how each is invoked. Permissions come from the grants (./grants.ts).
 */
export class ManifestFunctions extends StackPart {
  /** Every function by its file name under `functions/`. */
  readonly byName: ReadonlyMap<string, HouseFunction>;
  /**
   * Events the event functions could not process: Lambda's asynchronous dead letters and SNS's
   * undeliverable messages. Alarmed on its first message.
   */
  readonly eventDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ManifestFunctionsProps) {
    super(scope, id);
    this.eventDeadLetterQueue = new sqs.Queue(this, 'EventDeadLetterQueue', {
      // SQS-managed encryption: SNS and Lambda can write to it without a key policy or the wildcard
      // KMS actions (kms:ReEncrypt*, kms:GenerateDataKey*) a customer-managed key grant would add.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const byName = new Map<string, HouseFunction>();
    const ordered = [...props.entries].sort(
      (a, b) => TRIGGER_ORDER[a.trigger.kind] - TRIGGER_ORDER[b.trigger.kind],
    );
    for (const entry of ordered) {
      const { kind } = entry.trigger;
      // On an EventBridge rule of its own (a schedule the manifest states), invoked asynchronously.
      const onRule = entry.trigger.kind === 'schedule' && 'schedule' in entry.trigger;
      const fn = new HouseFunction(this, pascalCase(entry.name), {
        name: entry.name,
        functionsDir: props.functionsDir,
        skipBundling: props.skipBundling,
        lazyModules: entry.lazyModules,
        environment: props.environment,
        timeout:
          kind === 'task'
            ? TASK_FUNCTION_TIMEOUT
            : onRule
              ? SCHEDULED_FUNCTION_TIMEOUT
              : kind === 'stream' || kind === 'queue' || kind === 'schedule'
                ? BATCH_FUNCTION_TIMEOUT
                : undefined,
        logEncryptionKey: props.logsKey,
        // Event and rule-scheduled functions are invoked asynchronously: failed invocations (after
        // Lambda's own retries) land in the dead-letter queue, which is alarmed.
        ...(kind === 'event' || onRule
          ? {
              deadLetterQueue: this.eventDeadLetterQueue,
              reservedConcurrentExecutions:
                kind === 'event' ? EVENT_FUNCTION_CONCURRENCY : SCHEDULED_FUNCTION_CONCURRENCY,
            }
          : {}),
      });
      // Stream and queue functions, and the schedules a source owns: acknowledged by that source's construct.
      if (kind === 'route' || kind === 'task')
        acknowledgeSynchronousFunction(fn, entry.name, kind === 'task');
      Validations.of(fn.function).acknowledge({
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'No VPC resource to reach: every dependency (DynamoDB, S3, KMS, Step Functions, SES, SMS, CloudWatch, X-Ray) is an AWS API called over TLS with SigV4 and least-privilege IAM. A VPC would add NAT or ~10 interface endpoints and no boundary in front of this data.',
      });
      byName.set(entry.name, fn);
    }
    this.byName = byName;
  }

  /** The function of `functions/<name>.ts`. */
  get(name: string): HouseFunction {
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`No function named ${name}`);
    return fn;
  }
}

/** `task-run-checks` → `TaskRunChecks`. */
export function pascalCase(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * cdk-nag NIST 800-53 R5 acknowledgements of a function that API Gateway or Step Functions invokes
 * synchronously (every function but the event functions).
 */
function acknowledgeSynchronousFunction(fn: HouseFunction, name: string, isTask: boolean): void {
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

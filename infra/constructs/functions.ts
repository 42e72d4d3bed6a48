import { Duration, NestedStack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionEntry } from '../../shared/manifest/types';
import { HouseFunction, type ProfileAdapterModule } from '../house-function';
import { acknowledgeMappedFunction } from './integration';
import { StackPart } from './stack-part';

/** Workflow Task functions may run longer than API handlers (their ASL states time out at 60 s). */
const TASK_FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * The consumers of the streams and queues work through batches (a webhook receiver may take 10 s;
 * a page of the daily run many merchants): longer than an API call.
 */
const BATCH_FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * Reserved concurrency of each event function: a bounce/complaint storm can neither starve the API
 * of account concurrency nor exhaust the table's capacity; SNS and Lambda retry the excess.
 */
const EVENT_FUNCTION_CONCURRENCY = 5;

/**
 * Routes first, then Tasks, then event handlers, then the transaction stream's consumer, scheduled
 * ones, the table-stream and queue consumers, then what only some profiles deploy (the order of
 * alarms and outputs; the global profile's functions keep their order).
 */
const TRIGGER_ORDER = {
  route: 0,
  task: 1,
  event: 2,
  stream: 3,
  schedule: 4,
  'table-stream': 5,
  queue: 6,
  authorizer: 7,
} as const;

/** Log groups per nested stack: two outputs each, under CloudFormation's 200 outputs a template. */
const LOG_GROUPS_PER_STACK = 60;

/**
 * A scheduled function runs one invocation at a time: a slow run is never overtaken by the next
 * (nor does a pull of delivery receipts race another over the same receipts).
 */
const SCHEDULED_FUNCTION_CONCURRENCY = 1;

/**
 * Scheduled functions may work through many items (the retention sweep: every due application),
 * unless their entry says less (`timeoutSeconds`).
 */
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
  /** The deployment profile's adapter modules every bundle carries. @default none */
  readonly bundledAdapters?: readonly ProfileAdapterModule[];
  /** X-Ray active tracing (the profile's). @default true */
  readonly tracing?: boolean;
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
  /** The nested stacks of the functions' log groups. */
  readonly logStacks: readonly NestedStack[];

  constructor(scope: Construct, id: string, props: ManifestFunctionsProps) {
    super(scope, id);
    this.eventDeadLetterQueue = new sqs.Queue(this, 'EventDeadLetterQueue', {
      // SQS-managed encryption: SNS and Lambda can write to it without a key policy or the wildcard
      // KMS actions (kms:ReEncrypt*, kms:GenerateDataKey*) a customer-managed key grant would add.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // The log groups (one per function) in nested stacks of their own: with them the stateless
    // stack would pass CloudFormation's 500 resources. They depend on nothing but the logs key;
    // each function costs its stack two outputs (name and ARN), so a stack takes at most
    // LOG_GROUPS_PER_STACK of them under CloudFormation's 200 outputs.
    const logStacks: NestedStack[] = [];
    const logStackFor = (index: number): NestedStack => {
      const at = Math.floor(index / LOG_GROUPS_PER_STACK);
      logStacks[at] ??= new NestedStack(this, at === 0 ? 'LogStack' : `LogStack${at + 1}`, {
        description: `Merchant onboarding: the functions' log groups (KMS-encrypted), part ${at + 1}`,
      });
      return logStacks[at];
    };
    this.logStacks = logStacks;
    const byName = new Map<string, HouseFunction>();
    const ordered = [...props.entries].sort(
      (a, b) => TRIGGER_ORDER[a.trigger.kind] - TRIGGER_ORDER[b.trigger.kind],
    );
    for (const [index, entry] of ordered.entries()) {
      const { trigger } = entry;
      const { kind } = trigger;
      // On an EventBridge rule of its own (a schedule the manifest states), invoked asynchronously;
      // a schedule its source owns (the daily run) is a batch that source's construct invokes.
      const onRule = trigger.kind === 'schedule' && 'schedule' in trigger;
      const fn = new HouseFunction(this, pascalCase(entry.name), {
        name: entry.name,
        functionsDir: props.functionsDir,
        skipBundling: props.skipBundling,
        lazyModules: entry.lazyModules,
        bundledAdapters: props.bundledAdapters,
        tracing: props.tracing,
        environment: props.environment,
        timeout:
          kind === 'task'
            ? TASK_FUNCTION_TIMEOUT
            : trigger.kind === 'schedule' && 'schedule' in trigger
              ? trigger.timeoutSeconds === undefined
                ? SCHEDULED_FUNCTION_TIMEOUT
                : Duration.seconds(trigger.timeoutSeconds)
              : kind === 'stream' || kind === 'table-stream' || kind === 'queue' || kind === 'schedule'
                ? BATCH_FUNCTION_TIMEOUT
                : undefined,
        logEncryptionKey: props.logsKey,
        logScope: logStackFor(index),
        // Event and rule-scheduled functions are invoked asynchronously (SNS, EventBridge): failed
        // invocations (after Lambda's own retries) land in the dead-letter queue, which is alarmed.
        ...(kind === 'event' || onRule
          ? {
              deadLetterQueue: this.eventDeadLetterQueue,
              reservedConcurrentExecutions:
                kind === 'event' ? EVENT_FUNCTION_CONCURRENCY : SCHEDULED_FUNCTION_CONCURRENCY,
            }
          : {}),
      });
      // The table stream's and the webhook queue's consumers here; the transaction stream's, the
      // daily run's page worker and its schedule are acknowledged by their source's construct.
      if (trigger.kind === 'table-stream') acknowledgeMappedFunction(fn, entry.name, 'table-stream');
      else if (trigger.kind === 'queue' && trigger.queue === 'webhook-deliveries')
        acknowledgeMappedFunction(fn, entry.name, 'queue');
      else if (kind === 'route' || kind === 'task' || kind === 'authorizer')
        acknowledgeSynchronousFunction(fn, entry.name, kind);
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
function acknowledgeSynchronousFunction(
  fn: HouseFunction,
  name: string,
  kind: 'route' | 'task' | 'authorizer',
): void {
  const isTask = kind === 'task';
  const caller = {
    task: 'Step Functions invokes it synchronously (the ASL Task Resource is the function ARN): a failure goes back to the state machine, whose Retry and Catch handle it (ExecutionsFailed alarm)',
    route:
      'API Gateway invokes it synchronously (Lambda proxy integration): a failure is the 5xx answer the client sees (Api5xx alarm)',
    authorizer:
      "API Gateway invokes it synchronously as the staff routes' TOKEN authorizer (no cache, so a revoked token is refused at once): a failure is the 401/500 answer the client sees (Api5xx alarm)",
  }[kind];
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

/**
 * The local stack's fault-injection switch: make a named workflow Task fail N times, or a DynamoDB
 * operation throttle N times, to exercise the Retry/Catch paths and the SDK's retries against the
 * real emulators. Armed from `LOCAL_FAULTS` at start and at runtime through `POST /_local/faults`.
 *
 * Spec syntax (comma-separated): `<target>:<count>[:<error>]`
 * - `<target>`: a Task state name of the workflow (`ProvisionMerchant`), or `dynamodb.<Operation>`
 *   (`dynamodb.TransactWriteItems`; `dynamodb.*` for every operation);
 * - `<count>`: how many calls fail, a positive integer, or `*` for every call until disarmed;
 * - `<error>` for a Task: `retryable` (default: `Lambda.ServiceException`, which every Retry lists),
 *   `fatal` (skips Retry, goes straight to Catch, like an error no retrier lists) or any error name
 *   (matched by the ASL's Retry/Catch as written);
 *   for DynamoDB: `ProvisionedThroughputExceededException` (default), `ThrottlingException`, or any
 *   AWS error code (`InternalServerError` answers 500, `ServiceUnavailable` 503, anything else 400).
 */

/** One armed fault. */
export interface FaultRule {
  /** A Task state name or `dynamodb.<Operation>`. */
  readonly target: string;
  /** Calls still to fail; `Infinity` for `*`. */
  readonly count: number;
  /** The error (see the module comment); undefined for the target's default. */
  readonly error?: string;
}

/** What `GET /_local/faults` reports. */
export interface FaultSnapshot {
  /** The armed faults with the calls they still fail (`"*"` when unlimited). */
  readonly armed: readonly { target: string; remaining: number | '*'; error: string }[];
  /** Faults injected since the stack started, per target (cumulative across re-arming). */
  readonly injected: Readonly<Record<string, number>>;
  readonly injectedTotal: number;
  /** DynamoDB calls seen by the fault proxy per operation (empty when the proxy is off). */
  readonly dynamodbCalls: Readonly<Record<string, number>>;
  /** Whether DynamoDB calls go through the fault proxy (DynamoDB faults need it). */
  readonly dynamodbProxy: boolean;
}

/** An invalid spec; its message says what is wrong and shows the syntax. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(
      `${message}. Expected <target>:<count>[:<error>], e.g. ProvisionMerchant:2,dynamodb.TransactWriteItems:3`,
    );
    this.name = 'FaultSpecError';
  }
}

/** The default error of a Task fault: what Lambda answers on a transient service failure. */
export const RETRYABLE_TASK_ERROR = 'Lambda.ServiceException';
/** The error name of a `fatal` Task fault. */
export const FATAL_TASK_ERROR = 'LocalFault.NonRetryable';
/** The default error of a DynamoDB fault. */
export const DEFAULT_DYNAMODB_ERROR = 'ProvisionedThroughputExceededException';

const DYNAMODB_PREFIX = 'dynamodb.';
const TARGET = /^(?:dynamodb\.(?:\*|[A-Za-z]+)|[A-Za-z0-9_-]{1,80})$/;
const ERROR_NAME = /^[A-Za-z][\w.-]{0,127}$/;
const MAX_RULES = 50;

/**
 * An error thrown in place of a Task's handler. `isRetryable` is read by aws-local-stepfunctions:
 * `false` skips every retrier (Catch still applies).
 */
export class InjectedTaskError extends Error {
  readonly isRetryable: boolean;
  constructor(name: string, stateName: string, retryable: boolean) {
    super(`Fault injected by the local stack into ${stateName}`);
    this.name = name;
    this.isRetryable = retryable;
  }
}

/** Parses a spec (see the module comment); an empty string or `none` arms nothing. */
export function parseFaultSpec(spec: string): FaultRule[] {
  const text = spec.trim();
  if (text === '' || text === 'none') return [];
  const rules = text.split(',').map((part) => parseRule(part.trim()));
  if (rules.length > MAX_RULES) throw new FaultSpecError(`At most ${MAX_RULES} faults`);
  return rules;
}

function parseRule(part: string): FaultRule {
  const [target = '', count = '', error, ...rest] = part.split(':');
  if (rest.length > 0 || !TARGET.test(target)) throw new FaultSpecError(`Invalid fault "${part}"`);
  let times: number;
  if (count === '*') times = Number.POSITIVE_INFINITY;
  else if (/^\d{1,6}$/.test(count) && Number(count) > 0) times = Number(count);
  else throw new FaultSpecError(`Invalid count in "${part}" (a positive integer or *)`);
  if (error !== undefined && !ERROR_NAME.test(error)) throw new FaultSpecError(`Invalid error in "${part}"`);
  return { target, count: times, ...(error === undefined ? {} : { error }) };
}

/** Validates the `faults` member of `POST /_local/faults`: a spec string or an array of rules. */
export function parseFaultRequest(value: unknown): FaultRule[] {
  if (typeof value === 'string') return parseFaultSpec(value);
  if (!Array.isArray(value)) throw new FaultSpecError('"faults" must be a spec string or an array of rules');
  if (value.length > MAX_RULES) throw new FaultSpecError(`At most ${MAX_RULES} faults`);
  return value.map((item) => {
    const { target, count, error } = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const countText = count === '*' ? '*' : typeof count === 'number' ? String(count) : '';
    if (typeof target !== 'string' || (error !== undefined && typeof error !== 'string')) {
      throw new FaultSpecError('Each rule needs a string "target", a "count" and an optional string "error"');
    }
    return parseRule(error === undefined ? `${target}:${countText}` : `${target}:${countText}:${error}`);
  });
}

interface ArmedRule {
  readonly target: string;
  remaining: number;
  readonly error: string | undefined;
}

/**
 * The armed faults and the counters. Faults are consumed in arming order, one per call of the
 * target, whichever execution or request makes the call (the local stack is one process).
 */
export class FaultInjector {
  private armed: ArmedRule[] = [];
  private readonly injected = new Map<string, number>();
  private readonly calls = new Map<string, number>();

  /** @param dynamodbProxy whether DynamoDB calls go through the fault proxy (else DynamoDB faults are refused). */
  constructor(readonly dynamodbProxy: boolean) {}

  /** Replaces every armed fault (an empty list disarms all); counters are kept. */
  arm(rules: readonly FaultRule[]): void {
    if (!this.dynamodbProxy && rules.some((rule) => rule.target.startsWith(DYNAMODB_PREFIX))) {
      throw new FaultSpecError(
        'DynamoDB faults need the fault proxy: start the stack with LOCAL_FAULTS set (npm run dev always has it)',
      );
    }
    this.armed = rules.map((rule) => ({ target: rule.target, remaining: rule.count, error: rule.error }));
  }

  /** Consumes one fault of a Task state, if armed: the error to throw instead of calling the handler. */
  takeTask(stateName: string): InjectedTaskError | undefined {
    const rule = this.take(stateName);
    if (!rule) return undefined;
    if (rule.error === undefined || rule.error === 'retryable') {
      return new InjectedTaskError(RETRYABLE_TASK_ERROR, stateName, true);
    }
    if (rule.error === 'fatal') return new InjectedTaskError(FATAL_TASK_ERROR, stateName, false);
    return new InjectedTaskError(rule.error, stateName, true);
  }

  /** Counts one DynamoDB call and consumes one fault of its operation, if armed: the error code to answer. */
  takeDynamoDb(operation: string): string | undefined {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const rule = this.take(`${DYNAMODB_PREFIX}${operation}`) ?? this.take(`${DYNAMODB_PREFIX}*`);
    if (!rule) return undefined;
    return rule.error ?? DEFAULT_DYNAMODB_ERROR;
  }

  /** The state for `GET /_local/faults`. */
  snapshot(): FaultSnapshot {
    const injected = Object.fromEntries(this.injected);
    return {
      armed: this.armed
        .filter((rule) => rule.remaining > 0)
        .map((rule) => ({
          target: rule.target,
          remaining: Number.isFinite(rule.remaining) ? rule.remaining : '*',
          error:
            rule.error ?? (rule.target.startsWith(DYNAMODB_PREFIX) ? DEFAULT_DYNAMODB_ERROR : 'retryable'),
        })),
      injected,
      injectedTotal: Object.values(injected).reduce((sum, count) => sum + count, 0),
      dynamodbCalls: Object.fromEntries(this.calls),
      dynamodbProxy: this.dynamodbProxy,
    };
  }

  private take(target: string): ArmedRule | undefined {
    const rule = this.armed.find((candidate) => candidate.target === target && candidate.remaining > 0);
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.injected.set(target, (this.injected.get(target) ?? 0) + 1);
    return rule;
  }
}

// The polyfill must be evaluated before aws-local-stepfunctions runs on Node 20.
import './polyfills';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type AwsJsonOperation, AwsServiceError, optionalString, requiredString } from './aws-json-server';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './constants';
import type { FaultInjector } from './faults';
import { ensureDir, writeJsonAtomic } from './files';
import { functionNameFromArn, type HandlerLoader, invokeLambda } from './lambda-runtime';
import type { LocalLogger } from './log';

type RunHandle = ReturnType<StateMachine['run']>;
type JsonValue = Parameters<StateMachine['run']>[0];
type LibraryEvent = RunHandle['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type JsonObject = Record<string, unknown>;

/** Execution statuses, as `DescribeExecution` reports them. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** One event of an execution's history, in the shape `GetExecutionHistory` returns (timestamp in ms). */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** Where a RUNNING execution continues after a restart: the last top-level state entered and its raw input. */
export interface ResumePoint {
  readonly stateName: string;
  readonly input: unknown;
  /** Absolute deadline (ms) of the Task attempt that was running, so a restart does not extend it. */
  readonly deadlineAt?: number;
}

/** An execution as persisted in `<stateDir>/executions/<name>.json`. */
export interface ExecutionRecord {
  readonly version: 1;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: ExecutionStatus;
  /** The input exactly as given to StartExecution (a JSON string). */
  readonly input: string;
  output?: string;
  error?: string;
  cause?: string;
  readonly startDate: number;
  stopDate?: number;
  history: HistoryEvent[];
  resume?: ResumePoint;
}

/** One state machine the endpoint runs. */
export interface LocalStateMachine {
  readonly stateMachineArn: string;
  /** The ASL definition with every `${...Arn}` already substituted. */
  readonly definition: JsonObject;
}

/** Options of {@link LocalStepFunctions}. */
export interface LocalStepFunctionsOptions {
  /**
   * Directory holding one JSON file per execution and the state machines' creation dates (created
   * if missing).
   */
  readonly stateDir: string;
  /** Every state machine (one per process); their names are the last part of their ARNs. */
  readonly stateMachines: readonly LocalStateMachine[];
  readonly loader: HandlerLoader;
  /** Replaces every Retry interval (ms), so tests do not wait for real back-off. */
  readonly retryIntervalMs?: number;
  /** Lambda timeout of Task functions (ms); default 60 s. */
  readonly functionTimeoutMs?: number;
  readonly log: LocalLogger;
  /** The fault-injection switch: armed Task faults fail a state's call instead of its handler. */
  readonly faults?: FaultInjector;
}

/** The string `$$.Task.Token` resolves to; replaced by a fresh token in each callback Task's payload. */
const TOKEN_PLACEHOLDER = '__LOCAL_SFN_TASK_TOKEN__';
const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
/** Keys of the wrapper every Task's Parameters is moved into (see {@link prepareDefinition}). */
const PARAMETERS_KEY = '__localParameters';
const TIMEOUT_KEY = '__localTimeoutSeconds';
/** Node timers overflow above 2^31-1 ms (and then fire at once), so longer timeouts are capped here. */
const MAX_TIMEOUT_SECONDS = Math.floor(2_147_483_647 / 1000);
/** AWS's default Task timeout (99999999 s), capped to what a Node timer can hold. */
const DEFAULT_TASK_TIMEOUT_SECONDS = MAX_TIMEOUT_SECONDS;
const MAX_CLOSED_TOKENS = 10_000;
const MAX_PAYLOAD_CHARS = 256 * 1024;
const ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/local-onboarding-state-machine`;
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/**
 * An error that stops a Task without Retry or Catch applying: used when an execution is stopped or
 * the stack shuts down, so the library does not re-run handlers of an execution nobody runs anymore.
 * (aws-local-stepfunctions reads `isRetryable`/`isCatchable`, defaulting to true.)
 */
class ExecutionHaltedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('Execution halted');
    this.name = 'States.Runtime';
  }
}

/**
 * A Task failure as Step Functions reports it: `name` is the error code matched by Retry/Catch, and
 * `message` becomes the Catch output's `Cause`.
 */
class TaskError extends Error {
  /** Read by aws-local-stepfunctions: false skips every retrier (an injected `fatal` fault). */
  readonly isRetryable: boolean;
  constructor(error: string, cause: string, retryable = true) {
    super(cause);
    this.name = error;
    this.isRetryable = retryable;
  }
}

interface PendingToken {
  readonly live: LiveRun;
  readonly stateName: string;
  readonly resource: string;
  readonly resolve: (value: JsonValue) => void;
  readonly reject: (error: Error) => void;
}

/** A state machine as the endpoint runs it: its definition prepared once, its states indexed. */
interface Machine {
  readonly arn: string;
  readonly name: string;
  /** The definition as given (DescribeStateMachine returns it). */
  readonly definition: JsonObject;
  readonly prepared: JsonObject;
  readonly topLevelStates: ReadonlySet<string>;
  readonly taskStates: ReadonlyMap<string, JsonObject>;
  readonly retryStates: readonly string[];
  /** When it was first created in this state directory (ms); kept across restarts, as AWS keeps it across updates. */
  readonly creationDate: number;
}

interface LiveRun {
  readonly record: ExecutionRecord;
  readonly machine: Machine;
  handle?: RunHandle;
  stopReason?: 'user' | 'shutdown';
  readonly tokens: Set<string>;
  readonly haltWaiters: Set<(error: Error) => void>;
  readonly timers: Set<NodeJS.Timeout>;
  /** States whose StateEntered the event consumer has already written (see recordTaskEvent). */
  readonly enteredStates: Set<string>;
  readonly pendingTaskEvents: { stateName: string; type: string; details: JsonObject }[];
  /** Deadline (ms) of the current attempt of each Task state, persisted with the resume point. */
  readonly deadlines: Map<string, number>;
  /** On resume, the first attempt of this state keeps the deadline it had before the restart. */
  resumeDeadline?: { stateName: string; deadlineAt: number };
  done: Promise<void>;
}

/**
 * A local Step Functions service for several state machines (one per process): runs the ASL with
 * aws-local-stepfunctions, calls the Task functions' handlers in-process, implements the callback
 * pattern with real task tokens, and persists every execution so that RUNNING executions resume
 * after a restart.
 */
export class LocalStepFunctions {
  /** Every execution, by execution ARN. */
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly live = new Map<string, LiveRun>();
  private readonly tokens = new Map<string, PendingToken>();
  private readonly closedTokens = new Map<string, 'timedOut' | 'closed'>();
  /** Every state machine, by ARN. */
  private readonly machines = new Map<string, Machine>();
  private readonly executionsDir: string;
  private closed = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    const created = new CreationDates(join(ensureDir(options.stateDir), 'state-machines.json'));
    for (const { stateMachineArn, definition } of options.stateMachines) {
      if (this.machines.has(stateMachineArn)) throw new Error(`State machine ${stateMachineArn} given twice`);
      // Validate the definition as written (not our rewritten copy) so errors name the author's fields;
      // on a copy, because the library fills in defaults (QueryLanguage) where it validates.
      new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition, {
        validationOptions: { checkPaths: true, checkArn: true },
      });
      const prepared = prepareDefinition(definition);
      const states = collectStates(prepared);
      this.machines.set(stateMachineArn, {
        arn: stateMachineArn,
        name: stateMachineArn.split(':').pop() ?? 'state-machine',
        definition,
        prepared,
        topLevelStates: new Set(Object.keys(asObject(prepared.States))),
        taskStates: new Map([...states].filter(([, state]) => state.Type === 'Task')),
        retryStates: [...states].filter(([, state]) => Array.isArray(state.Retry)).map(([name]) => name),
        creationDate: created.of(stateMachineArn),
      });
    }
    created.save();
    this.executionsDir = ensureDir(join(options.stateDir, 'executions'));
    this.loadRecords();
  }

  /** The ARN of every state machine, in the order given. */
  get stateMachineArns(): readonly string[] {
    return [...this.machines.keys()];
  }

  /** The awsJson1_0 operations (`X-Amz-Target: AWSStepFunctions.<Op>`). */
  get operations(): Readonly<Record<string, AwsJsonOperation>> {
    return {
      StartExecution: (input) => this.startExecution(input),
      DescribeExecution: (input) => this.describeExecution(input),
      StopExecution: (input) => this.stopExecution(input),
      GetExecutionHistory: (input) => this.getExecutionHistory(input),
      ListExecutions: (input) => this.listExecutions(input),
      ListStateMachines: (input) => this.listStateMachines(input),
      DescribeStateMachine: (input) => this.describeStateMachine(input),
      SendTaskSuccess: (input) => this.sendTaskSuccess(input),
      SendTaskFailure: (input) => this.sendTaskFailure(input),
      SendTaskHeartbeat: (input) => this.sendTaskHeartbeat(input),
    };
  }

  /**
   * Continues every execution persisted as RUNNING from its last state. Its Task handler runs again
   * and registers a fresh token (Lambda tasks are idempotent, so a repeated call is harmless).
   */
  resumePending(): number {
    let resumed = 0;
    for (const record of this.records.values()) {
      if (record.status !== 'RUNNING' || this.live.has(record.executionArn)) continue;
      const machine = this.machines.get(record.stateMachineArn);
      if (!machine) {
        this.failOrphan(record, `State machine ${record.stateMachineArn} no longer exists`);
        continue;
      }
      const stateName = record.resume?.stateName;
      if (stateName !== undefined && !machine.topLevelStates.has(stateName)) {
        // The definition changed under a waiting execution: restarting it from the top would redo
        // work, so it ends the way AWS ends an execution it cannot continue.
        this.failOrphan(record, `State ${stateName} no longer exists in the state machine definition`);
        continue;
      }
      this.launch(record, machine);
      resumed += 1;
    }
    return resumed;
  }

  /** Every execution (newest first), for the `/_local/executions` debug route. */
  listRecords(): ExecutionRecord[] {
    return [...this.records.values()].sort((a, b) => b.startDate - a.startDate);
  }

  /**
   * Stops running executions without recording them as stopped: their files stay RUNNING with their
   * resume point, so the next start continues them.
   */
  async close(): Promise<void> {
    this.closed = true;
    const runs = [...this.live.values()];
    for (const live of runs) this.halt(live, 'shutdown');
    await Promise.allSettled(runs.map((live) => live.done));
  }

  // ---------------------------------------------------------------- operations

  private startExecution(input: JsonObject): JsonObject {
    this.assertOpen();
    const machine = this.machineOf(requiredString(input, 'stateMachineArn'));
    const name = optionalString(input, 'name') ?? randomUUID();
    if (name.length > 80 || INVALID_NAME.test(name) || hasControlCharacter(name)) {
      throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
    }
    const inputText = optionalString(input, 'input') ?? '{}';
    if (inputText.length > MAX_PAYLOAD_CHARS) {
      throw new AwsServiceError('InvalidExecutionInput', 'Input exceeds the 256 KiB limit');
    }
    const parsedInput = parseJson(
      inputText,
      'InvalidExecutionInput',
      'Invalid State Machine Execution Input',
    );
    const executionArn = executionArnOf(machine, name);
    const existing = this.records.get(executionArn);
    if (existing) {
      // Standard workflows: same name and input while RUNNING is idempotent, anything else conflicts.
      if (existing.status === 'RUNNING' && jsonEqual(JSON.parse(existing.input), parsedInput)) {
        return { executionArn: existing.executionArn, startDate: seconds(existing.startDate) };
      }
      throw new AwsServiceError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${existing.executionArn}'`,
      );
    }
    const now = Date.now();
    const record: ExecutionRecord = {
      version: 1,
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: now,
      history: [],
    };
    appendHistory(record, 'ExecutionStarted', {
      executionStartedEventDetails: {
        input: inputText,
        inputDetails: { truncated: false },
        roleArn: ROLE_ARN,
      },
    });
    this.records.set(executionArn, record);
    this.persist(record);
    this.launch(record, machine);
    return { executionArn: record.executionArn, startDate: seconds(now) };
  }

  private describeExecution(input: JsonObject): JsonObject {
    const record = this.findExecution(requiredString(input, 'executionArn'));
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: seconds(record.startDate),
      ...(record.stopDate === undefined ? {} : { stopDate: seconds(record.stopDate) }),
      input: record.input,
      inputDetails: { included: true },
      ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
      ...(record.error === undefined ? {} : { error: record.error }),
      ...(record.cause === undefined ? {} : { cause: record.cause }),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  private stopExecution(input: JsonObject): JsonObject {
    const record = this.findExecution(requiredString(input, 'executionArn'));
    if (record.status === 'RUNNING') {
      const error = optionalString(input, 'error');
      const cause = optionalString(input, 'cause');
      record.status = 'ABORTED';
      record.stopDate = Date.now();
      record.error = error;
      record.cause = cause;
      record.resume = undefined;
      appendHistory(record, 'ExecutionAborted', {
        executionAbortedEventDetails: {
          ...(error === undefined ? {} : { error }),
          ...(cause === undefined ? {} : { cause }),
        },
      });
      this.persist(record);
      const live = this.live.get(record.executionArn);
      if (live) this.halt(live, 'user');
    }
    return { stopDate: seconds(record.stopDate ?? Date.now()) };
  }

  private getExecutionHistory(input: JsonObject): JsonObject {
    const record = this.findExecution(requiredString(input, 'executionArn'));
    const events = input.reverseOrder === true ? [...record.history].reverse() : record.history;
    const { page, nextToken } = paginate(events, input);
    return {
      events: page.map((event) => ({ ...event, timestamp: seconds(event.timestamp) })),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  private listExecutions(input: JsonObject): JsonObject {
    const machine = this.machineOf(requiredString(input, 'stateMachineArn'));
    const statusFilter = optionalString(input, 'statusFilter');
    const records = this.listRecords().filter(
      (record) =>
        record.stateMachineArn === machine.arn &&
        (statusFilter === undefined || record.status === statusFilter),
    );
    const { page, nextToken } = paginate(records, input);
    return {
      executions: page.map((record) => ({
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: seconds(record.startDate),
        ...(record.stopDate === undefined ? {} : { stopDate: seconds(record.stopDate) }),
      })),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  private describeStateMachine(input: JsonObject): JsonObject {
    const machine = this.machineOf(requiredString(input, 'stateMachineArn'));
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: JSON.stringify(machine.definition),
      roleArn: ROLE_ARN,
      type: 'STANDARD',
      creationDate: seconds(machine.creationDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  private listStateMachines(input: JsonObject): JsonObject {
    const { page, nextToken } = paginate([...this.machines.values()], input);
    return {
      stateMachines: page.map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: 'STANDARD',
        creationDate: seconds(machine.creationDate),
      })),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  private sendTaskSuccess(input: JsonObject): JsonObject {
    const token = this.tokenFrom(input);
    const outputText = requiredString(input, 'output');
    if (outputText.length > MAX_PAYLOAD_CHARS)
      throw new AwsServiceError('InvalidOutput', 'Output exceeds 256 KiB');
    const output = parseJson(outputText, 'InvalidOutput', 'Invalid JSON in output') as JsonValue;
    const pending = this.takeToken(token);
    this.recordTaskEvent(pending.live, pending.stateName, 'TaskSucceeded', {
      taskSucceededEventDetails: {
        resourceType: 'lambda',
        resource: resourceSuffix(pending.resource),
        output: outputText,
      },
    });
    pending.resolve(output);
    return {};
  }

  private sendTaskFailure(input: JsonObject): JsonObject {
    const token = this.tokenFrom(input);
    const error = optionalString(input, 'error') ?? '';
    const cause = optionalString(input, 'cause') ?? '';
    const pending = this.takeToken(token);
    this.recordTaskEvent(pending.live, pending.stateName, 'TaskFailed', {
      taskFailedEventDetails: {
        resourceType: 'lambda',
        resource: resourceSuffix(pending.resource),
        error,
        cause,
      },
    });
    pending.reject(new TaskError(error, cause));
    return {};
  }

  private sendTaskHeartbeat(input: JsonObject): JsonObject {
    const token = this.tokenFrom(input);
    if (!this.tokens.has(token)) this.throwClosedToken(token);
    return {};
  }

  // ---------------------------------------------------------------- running executions

  private launch(record: ExecutionRecord, machine: Machine): void {
    const live: LiveRun = {
      record,
      machine,
      tokens: new Set(),
      haltWaiters: new Set(),
      timers: new Set(),
      enteredStates: new Set(),
      pendingTaskEvents: [],
      deadlines: new Map(),
      done: Promise.resolve(),
    };
    const resume = record.resume;
    let definition = machine.prepared;
    let input = JSON.parse(record.input) as JsonValue;
    if (resume !== undefined) {
      // Same definition, entered at the saved state with the saved raw input.
      definition = { ...machine.prepared, StartAt: resume.stateName };
      input = resume.input as JsonValue;
      if (resume.deadlineAt !== undefined) {
        live.resumeDeadline = { stateName: resume.stateName, deadlineAt: resume.deadlineAt };
      }
      this.options.log.info(`sfn: resuming ${record.name} at ${resume.stateName}`);
    }
    const taskResourceLocalHandlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    for (const [stateName, state] of machine.taskStates) {
      taskResourceLocalHandlers[stateName] = (taskInput) => this.runTask(live, stateName, state, taskInput);
    }
    const retryIntervalOverrides: Record<string, number> = {};
    if (this.options.retryIntervalMs !== undefined) {
      for (const stateName of machine.retryStates)
        retryIntervalOverrides[stateName] = this.options.retryIntervalMs;
    }
    this.live.set(record.executionArn, live);
    const runner = new StateMachine(definition as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    // Note: run() already calls the first Task's override synchronously, before `handle` is set.
    const handle = runner.run(input, {
      overrides: { taskResourceLocalHandlers, retryIntervalOverrides },
      context: {
        Execution: { Id: record.executionArn, Name: record.name, RoleArn: ROLE_ARN },
        StateMachine: { Id: record.stateMachineArn, Name: machine.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    live.handle = handle;
    // The outcome is taken from the event log (in order with the history); only silence the promise.
    handle.result.catch(() => undefined);
    live.done = this.consume(live)
      .catch((error: unknown) => this.options.log.error(`sfn: event log of ${record.name} failed`, error))
      .finally(() => {
        for (const timer of live.timers) clearTimeout(timer);
        if (this.live.get(record.executionArn) === live) this.live.delete(record.executionArn);
      });
  }

  private async consume(live: LiveRun): Promise<void> {
    const handle = live.handle;
    if (!handle) return;
    for await (const event of handle.eventLogs) {
      // After a shutdown the file must keep the last resume point, and a user stop is already recorded.
      if (live.stopReason !== undefined) continue;
      this.onLibraryEvent(live, event);
    }
  }

  private onLibraryEvent(live: LiveRun, event: LibraryEvent): void {
    const record = live.record;
    switch (event.type) {
      case 'StateEntered': {
        const { name, type, input } = event.state;
        appendHistory(record, `${type}StateEntered`, {
          stateEnteredEventDetails: { name, input: stringify(input), inputDetails: { truncated: false } },
        });
        live.enteredStates.add(name);
        if (live.machine.topLevelStates.has(name) && event.index === undefined) {
          record.resume = { stateName: name, input };
        }
        // Task events recorded before this StateEntered was consumed belong after it.
        const pending = live.pendingTaskEvents.splice(0);
        for (const item of pending) {
          if (item.stateName === name) appendHistory(record, item.type, item.details);
          else live.pendingTaskEvents.push(item);
        }
        this.persist(record);
        return;
      }
      case 'StateExited': {
        const { name, type, output } = event.state;
        appendHistory(record, `${type}StateExited`, {
          stateExitedEventDetails: {
            name,
            output: stringify(output ?? null),
            outputDetails: { truncated: false },
          },
        });
        live.enteredStates.delete(name);
        live.deadlines.delete(name);
        this.persist(record);
        return;
      }
      case 'ExecutionSucceeded':
        this.finish(live, 'SUCCEEDED', { output: stringify(event.output) });
        return;
      case 'ExecutionFailed':
        this.finish(live, 'FAILED', { error: event.Error, cause: causeText(event.Cause) });
        return;
      case 'ExecutionTimeout':
        this.finish(live, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
        return;
      default:
        // StateFailed/Retried/Caught have no AWS history event of their own: the Task events and the
        // next StateEntered tell the same story.
        return;
    }
  }

  private finish(
    live: LiveRun,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    result: { output?: string; error?: string; cause?: string },
  ): void {
    const record = live.record;
    if (record.status !== 'RUNNING') return;
    record.status = status;
    record.stopDate = Date.now();
    record.output = result.output;
    record.error = result.error;
    record.cause = result.cause;
    record.resume = undefined;
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      ABORTED: 'ExecutionAborted',
      TIMED_OUT: 'ExecutionTimedOut',
    }[status];
    const detailsKey = {
      SUCCEEDED: 'executionSucceededEventDetails',
      FAILED: 'executionFailedEventDetails',
      ABORTED: 'executionAbortedEventDetails',
      TIMED_OUT: 'executionTimedOutEventDetails',
    }[status];
    appendHistory(
      record,
      type,
      status === 'SUCCEEDED'
        ? { [detailsKey]: { output: result.output, outputDetails: { truncated: false } } }
        : { [detailsKey]: { error: result.error, cause: result.cause } },
    );
    for (const token of live.tokens) this.closeToken(token, 'closed');
    this.persist(record);
  }

  private failOrphan(record: ExecutionRecord, cause: string): void {
    record.status = 'FAILED';
    record.stopDate = Date.now();
    record.error = 'States.Runtime';
    record.cause = cause;
    record.resume = undefined;
    appendHistory(record, 'ExecutionFailed', { executionFailedEventDetails: { error: record.error, cause } });
    this.persist(record);
    this.options.log.warn(`sfn: ${record.name} failed on resume: ${cause}`);
  }

  /** Stops a live run: aborts the library run, then fails whatever it is still waiting on. */
  private halt(live: LiveRun, reason: 'user' | 'shutdown'): void {
    if (live.stopReason !== undefined) return;
    live.stopReason = reason;
    live.handle?.abort();
    const halted = new ExecutionHaltedError();
    for (const reject of live.haltWaiters) reject(halted);
    live.haltWaiters.clear();
    for (const token of [...live.tokens]) {
      const pending = this.tokens.get(token);
      this.closeToken(token, 'closed');
      pending?.reject(halted);
    }
    for (const timer of live.timers) clearTimeout(timer);
  }

  /**
   * The override of every Task state. `rawInput` is the wrapper built by {@link prepareDefinition}:
   * `{__localParameters, __localTimeoutSeconds}`.
   */
  private runTask(
    live: LiveRun,
    stateName: string,
    state: JsonObject,
    rawInput: JsonValue,
  ): Promise<JsonValue> {
    const wrapper = asObject(rawInput);
    const parameters = wrapper[PARAMETERS_KEY] as JsonValue;
    // Synchronous part, before the library reads the timeout (it calls the override first, then
    // evaluates TimeoutSecondsPath on this same object): fix the attempt's effective timeout here.
    const timeoutSeconds = this.effectiveTimeout(live, stateName, wrapper[TIMEOUT_KEY]);
    if (timeoutSeconds === undefined) {
      // The library fails the state with States.Runtime right after this returns; never call the handler.
      return new Promise<JsonValue>(() => undefined);
    }
    wrapper[TIMEOUT_KEY] = timeoutSeconds;
    live.deadlines.set(stateName, Date.now() + timeoutSeconds * 1000);
    if (live.stopReason !== undefined) return Promise.reject(new ExecutionHaltedError());
    const resource = typeof state.Resource === 'string' ? state.Resource : '';
    if (resource === CALLBACK_RESOURCE)
      return this.runCallbackTask(live, stateName, parameters, timeoutSeconds);
    if (resource === INVOKE_RESOURCE || resource.startsWith('arn:aws:lambda:')) {
      return this.runLambdaTask(live, stateName, resource, parameters, timeoutSeconds);
    }
    const unsupported = new ExecutionHaltedError();
    unsupported.message = `The local Step Functions endpoint only runs Lambda tasks, not ${resource}`;
    return Promise.reject(unsupported);
  }

  private effectiveTimeout(live: LiveRun, stateName: string, requested: unknown): number | undefined {
    if (!Number.isInteger(requested) || (requested as number) < 1) return undefined;
    let timeout = Math.min(requested as number, MAX_TIMEOUT_SECONDS);
    const resumeDeadline = live.resumeDeadline;
    if (resumeDeadline?.stateName === stateName) {
      live.resumeDeadline = undefined;
      timeout = Math.max(1, Math.ceil((resumeDeadline.deadlineAt - Date.now()) / 1000));
    }
    return timeout;
  }

  private async runCallbackTask(
    live: LiveRun,
    stateName: string,
    parameters: JsonValue,
    timeoutSeconds: number,
  ): Promise<JsonValue> {
    const { FunctionName, Payload } = asObject(parameters);
    if (typeof FunctionName !== 'string')
      throw new TaskError('States.Runtime', 'Parameters.FunctionName is missing');
    const token = randomBytes(48).toString('base64url');
    const payload = replaceToken(Payload ?? null, token);
    let resolve: (value: JsonValue) => void = () => undefined;
    let reject: (error: Error) => void = () => undefined;
    const promise = new Promise<JsonValue>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    // SendTaskFailure may arrive while the handler is still running; the promise is awaited later.
    promise.catch(() => undefined);
    this.tokens.set(token, { live, stateName, resource: CALLBACK_RESOURCE, resolve, reject });
    live.tokens.add(token);
    const resource = resourceSuffix(CALLBACK_RESOURCE);
    this.recordTaskEvent(live, stateName, 'TaskScheduled', {
      taskScheduledEventDetails: {
        resourceType: 'lambda',
        resource,
        region: LOCAL_REGION,
        parameters: JSON.stringify({ FunctionName, Payload: payload }),
        timeoutInSeconds: timeoutSeconds,
      },
    });
    this.recordTaskEvent(live, stateName, 'TaskStarted', {
      taskStartedEventDetails: { resourceType: 'lambda', resource },
    });
    // Our own timer (set before the library's, same length) drops the token when the state times out.
    this.startTimer(live, timeoutSeconds, () => {
      if (!this.tokens.has(token)) return;
      this.closeToken(token, 'timedOut');
      this.recordTaskEvent(live, stateName, 'TaskTimedOut', {
        taskTimedOutEventDetails: { resourceType: 'lambda', resource, error: 'States.Timeout', cause: '' },
      });
    });
    let result: unknown;
    try {
      result = await this.invoke(live, stateName, functionNameFromArn(FunctionName), payload);
    } catch (error) {
      if (this.tokens.has(token)) this.closeToken(token, 'closed');
      throw this.taskFailure(live, stateName, error, (code, cause) => ({
        type: 'TaskFailed',
        details: { taskFailedEventDetails: { resourceType: 'lambda', resource, error: code, cause } },
      }));
    }
    this.recordTaskEvent(live, stateName, 'TaskSubmitted', {
      taskSubmittedEventDetails: {
        resourceType: 'lambda',
        resource,
        output: JSON.stringify({ ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 }),
      },
    });
    return promise;
  }

  private async runLambdaTask(
    live: LiveRun,
    stateName: string,
    resource: string,
    parameters: JsonValue,
    timeoutSeconds: number,
  ): Promise<JsonValue> {
    const viaIntegration = resource === INVOKE_RESOURCE;
    const target = viaIntegration ? asObject(parameters).FunctionName : resource;
    if (typeof target !== 'string')
      throw new TaskError('States.Runtime', 'Parameters.FunctionName is missing');
    const payload = viaIntegration ? (asObject(parameters).Payload ?? null) : parameters;
    let timedOut = false;
    if (viaIntegration) {
      this.recordTaskEvent(live, stateName, 'TaskScheduled', {
        taskScheduledEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke',
          region: LOCAL_REGION,
          parameters: JSON.stringify(parameters),
          timeoutInSeconds: timeoutSeconds,
        },
      });
      this.recordTaskEvent(live, stateName, 'TaskStarted', {
        taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke' },
      });
    } else {
      this.recordTaskEvent(live, stateName, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: {
          resource,
          input: JSON.stringify(payload),
          inputDetails: { truncated: false },
          timeoutInSeconds: timeoutSeconds,
        },
      });
      this.recordTaskEvent(live, stateName, 'LambdaFunctionStarted', {});
    }
    this.startTimer(live, timeoutSeconds, () => {
      timedOut = true;
      this.recordTaskEvent(
        live,
        stateName,
        viaIntegration ? 'TaskTimedOut' : 'LambdaFunctionTimedOut',
        viaIntegration
          ? {
              taskTimedOutEventDetails: {
                resourceType: 'lambda',
                resource: 'invoke',
                error: 'States.Timeout',
              },
            }
          : { lambdaFunctionTimedOutEventDetails: { error: 'States.Timeout' } },
      );
    });
    let result: unknown;
    try {
      result = await this.invoke(live, stateName, functionNameFromArn(target), payload);
    } catch (error) {
      if (timedOut) throw error;
      throw this.taskFailure(live, stateName, error, (code, cause) =>
        viaIntegration
          ? {
              type: 'TaskFailed',
              details: {
                taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: code, cause },
              },
            }
          : {
              type: 'LambdaFunctionFailed',
              details: { lambdaFunctionFailedEventDetails: { error: code, cause } },
            },
      );
    }
    const output = viaIntegration ? { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 } : result;
    if (!timedOut) {
      this.recordTaskEvent(
        live,
        stateName,
        viaIntegration ? 'TaskSucceeded' : 'LambdaFunctionSucceeded',
        viaIntegration
          ? {
              taskSucceededEventDetails: {
                resourceType: 'lambda',
                resource: 'invoke',
                output: JSON.stringify(output),
              },
            }
          : {
              lambdaFunctionSucceededEventDetails: {
                output: JSON.stringify(output),
                outputDetails: { truncated: false },
              },
            },
      );
    }
    return output as JsonValue;
  }

  /** Calls the handler, unless (or until) the execution is halted or a fault is armed for the state. */
  private invoke(live: LiveRun, stateName: string, functionName: string, payload: unknown): Promise<unknown> {
    if (live.stopReason !== undefined) return Promise.reject(new ExecutionHaltedError());
    // Failed like a handler throwing: the Task events, Retry and Catch see it as they would in AWS.
    const injected = this.options.faults?.takeTask(stateName);
    if (injected !== undefined) return Promise.reject(injected);
    let waiter: ((error: Error) => void) | undefined;
    const halted = new Promise<never>((_resolve, reject) => {
      waiter = reject;
      live.haltWaiters.add(reject);
    });
    const call = invokeLambda(this.options.loader, functionName, payload, {
      timeoutMs: this.options.functionTimeoutMs ?? 60_000,
    });
    call.catch(() => undefined);
    return Promise.race([call, halted]).finally(() => {
      if (waiter) live.haltWaiters.delete(waiter);
    });
  }

  /**
   * Maps a thrown handler error to what Step Functions sees: the error's `name` is the error code
   * (so `Retry`/`Catch` on it, `States.TaskFailed` and `States.ALL` all match) and the cause is the
   * Lambda runtime's JSON error document.
   */
  private taskFailure(
    live: LiveRun,
    stateName: string,
    error: unknown,
    event: (code: string, cause: string) => { type: string; details: JsonObject },
  ): Error {
    if (error instanceof ExecutionHaltedError) return error;
    const errorType = error instanceof Error && error.name ? error.name : 'Error';
    const errorMessage = error instanceof Error ? error.message : String(error);
    const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
    const cause = JSON.stringify({ errorType, errorMessage, trace });
    const { type, details } = event(errorType, cause);
    this.recordTaskEvent(live, stateName, type, details);
    if (errorType.startsWith('Runtime.')) {
      this.options.log.error(`sfn: ${live.record.name} ${stateName}: ${errorType}: ${errorMessage}`);
    }
    const retryable = (error as { isRetryable?: unknown } | null)?.isRetryable !== false;
    return new TaskError(errorType, cause, retryable);
  }

  private startTimer(live: LiveRun, timeoutSeconds: number, onTimeout: () => void): void {
    const timer = setTimeout(() => {
      live.timers.delete(timer);
      if (live.stopReason === undefined) onTimeout();
    }, timeoutSeconds * 1000);
    timer.unref();
    live.timers.add(timer);
  }

  /**
   * Records an event raised by a Task override. The override runs as soon as the library enters the
   * state, before the event consumer has written that StateEntered, so such events wait for it.
   */
  private recordTaskEvent(live: LiveRun, stateName: string, type: string, details: JsonObject): void {
    if (live.stopReason !== undefined || live.record.status !== 'RUNNING') return;
    if (live.enteredStates.has(stateName)) {
      appendHistory(live.record, type, details);
      this.persist(live.record);
    } else {
      live.pendingTaskEvents.push({ stateName, type, details });
    }
  }

  // ---------------------------------------------------------------- tokens

  private tokenFrom(input: JsonObject): string {
    const token = input.taskToken;
    if (typeof token !== 'string' || token.length === 0 || token.length > 1024) {
      throw new AwsServiceError('InvalidToken', 'Invalid Token');
    }
    return token;
  }

  private takeToken(token: string): PendingToken {
    const pending = this.tokens.get(token);
    if (!pending) this.throwClosedToken(token);
    this.closeToken(token, 'closed');
    return pending;
  }

  private throwClosedToken(token: string): never {
    if (this.closedTokens.get(token) === 'timedOut')
      throw new AwsServiceError('TaskTimedOut', 'Task Timed Out');
    throw new AwsServiceError('TaskDoesNotExist', 'Task does not exist anymore');
  }

  private closeToken(token: string, reason: 'timedOut' | 'closed'): void {
    const pending = this.tokens.get(token);
    this.tokens.delete(token);
    pending?.live.tokens.delete(token);
    this.closedTokens.set(token, reason);
    if (this.closedTokens.size > MAX_CLOSED_TOKENS) {
      const oldest = this.closedTokens.keys().next().value;
      if (oldest !== undefined) this.closedTokens.delete(oldest);
    }
  }

  // ---------------------------------------------------------------- records

  private loadRecords(): void {
    for (const file of readdirSync(this.executionsDir)) {
      if (!file.endsWith('.json')) continue;
      try {
        const record = JSON.parse(readFileSync(join(this.executionsDir, file), 'utf8')) as ExecutionRecord;
        if (record.version !== 1 || typeof record.name !== 'string') throw new Error('unknown format');
        // Another stack's state machine (the directory is shared by nothing else): left alone.
        if (!this.machines.has(record.stateMachineArn)) continue;
        this.records.set(record.executionArn, record);
        // Files of the time when one state machine ran everything were named after the execution only.
        const expected = this.fileOf(record);
        if (file !== expected && !existsSync(join(this.executionsDir, expected))) {
          renameSync(join(this.executionsDir, file), join(this.executionsDir, expected));
        }
      } catch (error) {
        this.options.log.warn(`sfn: ignoring unreadable execution file ${file}: ${(error as Error).message}`);
      }
    }
  }

  private persist(record: ExecutionRecord): void {
    const live = this.live.get(record.executionArn);
    if (record.status === 'RUNNING' && record.resume && live) {
      const deadlineAt = live.deadlines.get(record.resume.stateName);
      record.resume = { stateName: record.resume.stateName, input: record.resume.input, deadlineAt };
    }
    writeJsonAtomic(join(this.executionsDir, this.fileOf(record)), record);
  }

  /** `<state machine>.<execution name, base64url>.json`: names are unique per state machine only. */
  private fileOf(record: ExecutionRecord): string {
    const machine = record.stateMachineArn.split(':').pop() ?? 'state-machine';
    return `${machine}.${Buffer.from(record.name).toString('base64url')}.json`;
  }

  private findExecution(executionArn: string): ExecutionRecord {
    const prefix = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:execution:`;
    if (!executionArn.startsWith(prefix))
      throw new AwsServiceError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    const record = this.records.get(executionArn);
    if (!record)
      throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  private machineOf(arn: string): Machine {
    const machine = this.machines.get(arn);
    if (!machine) {
      throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
    return machine;
  }

  private assertOpen(): void {
    if (this.closed)
      throw new AwsServiceError('ServiceUnavailable', 'The local Step Functions endpoint is stopping', 503);
  }
}

function executionArnOf(machine: Machine, name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:execution:${machine.name}:${name}`;
}

/**
 * When each state machine was first created in a state directory (`state-machines.json`), so that
 * `DescribeStateMachine` and `ListStateMachines` report a real date that a restart keeps.
 */
class CreationDates {
  private readonly dates: Record<string, number>;
  private changed = false;

  constructor(private readonly file: string) {
    let stored: unknown;
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      stored = {};
    }
    this.dates = Object.fromEntries(
      Object.entries(asObject(stored)).filter(
        (entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0,
      ),
    );
  }

  /** The state machine's creation date (ms), now when it is new. */
  of(arn: string): number {
    const known = this.dates[arn];
    if (known !== undefined) return known;
    const now = Date.now();
    this.dates[arn] = now;
    this.changed = true;
    return now;
  }

  save(): void {
    if (this.changed) writeJsonAtomic(this.file, this.dates);
  }
}

/**
 * Rewrites every Task state so that the local endpoint controls its timeout:
 * `Parameters` (or the whole input) moves under `__localParameters`, the timeout under
 * `__localTimeoutSeconds`, and `TimeoutSecondsPath` points there. Reasons:
 * - aws-local-stepfunctions 3.0 evaluates `TimeoutSecondsPath` against the state's *effective
 *   parameters* instead of its input (so `$.config.reviewEscalationSeconds` would not resolve);
 * - its default Task timeout is 60 s where AWS has none, and Node timers overflow above ~24.8 days;
 * - a resumed execution must keep the deadline its Task had before the restart.
 * The Task override unwraps the parameters again, so handlers see exactly what AWS would send.
 */
export function prepareDefinition(definition: JsonObject): JsonObject {
  const copy = structuredClone(definition);
  for (const [, state] of collectStates(copy)) {
    if (state.Type !== 'Task') continue;
    const parameters = state.Parameters;
    const wrapper: JsonObject =
      parameters === undefined ? { [`${PARAMETERS_KEY}.$`]: '$' } : { [PARAMETERS_KEY]: parameters };
    if (typeof state.TimeoutSecondsPath === 'string') {
      wrapper[`${TIMEOUT_KEY}.$`] = state.TimeoutSecondsPath;
    } else {
      wrapper[TIMEOUT_KEY] =
        typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_SECONDS;
    }
    state.Parameters = wrapper;
    state.TimeoutSecondsPath = `$.${TIMEOUT_KEY}`;
    delete state.TimeoutSeconds;
  }
  return copy;
}

/** Every state of a definition by name, including those nested in Parallel branches and Map iterators. */
function collectStates(definition: JsonObject): Map<string, JsonObject> {
  const states = new Map<string, JsonObject>();
  const visit = (machine: unknown) => {
    const { States } = asObject(machine);
    for (const [name, value] of Object.entries(asObject(States))) {
      const state = asObject(value);
      states.set(name, state);
      if (Array.isArray(state.Branches)) for (const branch of state.Branches) visit(branch);
      if (state.Iterator !== undefined) visit(state.Iterator);
      if (state.ItemProcessor !== undefined) visit(state.ItemProcessor);
    }
  };
  visit(definition);
  return states;
}

function appendHistory(record: ExecutionRecord, type: string, details: JsonObject): void {
  const id = record.history.length + 1;
  record.history.push({ id, previousEventId: id - 1, timestamp: Date.now(), type, ...details });
}

function replaceToken(value: unknown, token: string): JsonValue {
  if (typeof value === 'string') return value.split(TOKEN_PLACEHOLDER).join(token);
  if (Array.isArray(value)) return value.map((item) => replaceToken(item, token));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceToken(item, token)]));
  }
  return value as JsonValue;
}

function paginate<T>(items: readonly T[], input: JsonObject): { page: T[]; nextToken?: string } {
  const maxResults =
    typeof input.maxResults === 'number' && input.maxResults > 0 ? Math.min(input.maxResults, 1000) : 100;
  const offset =
    typeof input.nextToken === 'string'
      ? Number.parseInt(Buffer.from(input.nextToken, 'base64url').toString(), 10)
      : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new AwsServiceError('InvalidToken', 'Invalid nextToken');
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return next < items.length
    ? { page, nextToken: Buffer.from(String(next)).toString('base64url') }
    : { page };
}

function parseJson(text: string, code: string, message: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsServiceError(code, message);
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function asObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

function stringify(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause ?? '');
}

function resourceSuffix(resource: string): string {
  return resource.replace('arn:aws:states:::lambda:', '');
}

/** AWS rejects names with control characters (U+0000-001F, U+007F-009F). */
function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function seconds(ms: number): number {
  return ms / 1000;
}

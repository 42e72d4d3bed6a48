import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './constants';

/** A Lambda handler as exported by `functions/<name>.ts` (a middy handler). */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * An error as the Lambda runtime reports it: `name` is the `errorType` Step Functions matches in
 * `Retry`/`Catch` (`Runtime.ImportModuleError`, `Sandbox.Timedout`, or the handler's own error name).
 */
export class LambdaRuntimeError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

const FUNCTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/**
 * Imports handler modules lazily, at their first invocation, so the stack starts even while some
 * `functions/*.ts` files do not exist yet. A failed import is not cached: creating the file makes
 * the next request work without a restart.
 */
export class HandlerLoader {
  private readonly cache = new Map<string, Promise<LambdaHandler>>();

  constructor(readonly functionsDir: string) {}

  /** Returns the `handler` export of `<functionsDir>/<functionName>.ts`. */
  load(functionName: string): Promise<LambdaHandler> {
    const cached = this.cache.get(functionName);
    if (cached) return cached;
    const loading = this.importHandler(functionName);
    this.cache.set(functionName, loading);
    loading.catch(() => this.cache.delete(functionName));
    return loading;
  }

  private async importHandler(functionName: string): Promise<LambdaHandler> {
    // The name comes from ROUTES or the ASL, but never let it walk out of functionsDir.
    if (!FUNCTION_NAME.test(functionName)) {
      throw new LambdaRuntimeError('Runtime.ImportModuleError', `Invalid function name ${functionName}`);
    }
    const file = HANDLER_EXTENSIONS.map((ext) => join(this.functionsDir, `${functionName}${ext}`)).find(
      (path) => existsSync(path),
    );
    if (file === undefined) {
      throw new LambdaRuntimeError(
        'Runtime.ImportModuleError',
        `Error: Cannot find module '${functionName}' in ${this.functionsDir}`,
      );
    }
    let module: { handler?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new LambdaRuntimeError('Runtime.ImportModuleError', `${functionName}: ${detail}`);
    }
    if (typeof module.handler !== 'function') {
      throw new LambdaRuntimeError(
        'Runtime.HandlerNotFound',
        `${functionName}.handler is undefined or not exported`,
      );
    }
    return module.handler as LambdaHandler;
  }
}

/** Options of one invocation. */
export interface InvokeOptions {
  /** The function's configured timeout; drives `getRemainingTimeInMillis` (and middy's early timeout). */
  readonly timeoutMs: number;
}

/**
 * Invokes a handler the way the Lambda service does: the event and the result go through JSON (so
 * no handler can depend on object identity or non-JSON values), a fresh context carries a request id
 * and the remaining time, and running past the timeout fails with `Sandbox.Timedout`.
 */
export async function invokeLambda(
  loader: HandlerLoader,
  functionName: string,
  event: unknown,
  options: InvokeOptions,
): Promise<unknown> {
  const handler = await loader.load(functionName);
  const context = createLambdaContext(functionName, options.timeoutMs);
  const payload = jsonRoundTrip(event);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new LambdaRuntimeError(
          'Sandbox.Timedout',
          `Task timed out after ${(options.timeoutMs / 1000).toFixed(2)} seconds`,
        ),
      );
    }, options.timeoutMs);
    timer.unref();
  });
  try {
    const result = await Promise.race([Promise.resolve().then(() => handler(payload, context)), timeout]);
    return jsonRoundTrip(result);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One log stream per function, like one execution environment: Lambda names the stream when the
 * environment starts, not per invocation (and this saves a random read and a date per request).
 */
const logStreams = new Map<string, string>();

function logStreamOf(functionName: string): string {
  let stream = logStreams.get(functionName);
  if (stream === undefined) {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    stream = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
    logStreams.set(functionName, stream);
  }
  return stream;
}

/** A Lambda-like context object for one invocation. */
export function createLambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('context.done/fail/succeed are not supported: return or throw from the async handler');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: lambdaArn(functionName),
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: logStreamOf(functionName),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** `arn:aws:lambda:us-east-1:000000000000:function:<name>`: the placeholder ARN of a local function. */
export function lambdaArn(functionName: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`;
}

/** Extracts the function name from a function name, partial ARN or full ARN (dropping a qualifier). */
export function functionNameFromArn(nameOrArn: string): string {
  const marker = ':function:';
  const index = nameOrArn.indexOf(marker);
  const rest = index >= 0 ? nameOrArn.slice(index + marker.length) : nameOrArn;
  return rest.split(':')[0] ?? rest;
}

function jsonRoundTrip(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value));
}

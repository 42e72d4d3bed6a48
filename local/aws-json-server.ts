import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody, sendJson } from './http';
import type { LocalLogger } from './log';

/**
 * An error answered the way AWS JSON services answer: HTTP 400 (by default) with
 * `{"__type": "<Code>", "message": "...", ...members}`. The SDK turns `__type` into the thrown
 * exception's name and the members (such as a ConflictException's `Reason`) into its properties.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** One operation of an `awsJson1_0` service: receives the parsed request body, returns the response body. */
export type AwsJsonOperation = (input: Record<string, unknown>) => unknown;

/** Options of {@link createAwsJsonServer}. */
export interface AwsJsonServerOptions {
  /** Human-readable name used in logs and the GET probe answer. */
  readonly serviceName: string;
  /** `X-Amz-Target` prefix, e.g. `AWSStepFunctions` (the target is `<prefix>.<Operation>`). */
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, AwsJsonOperation>>;
  readonly log: LocalLogger;
}

const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/**
 * An HTTP server speaking the `awsJson1_0` protocol (POST, `X-Amz-Target`, JSON in and out), so that
 * unchanged AWS SDK v3 clients can talk to a local emulator through `AWS_ENDPOINT_URL_<SERVICE>`.
 * Request signatures are not checked: the local stack has no real credentials to check them against.
 */
export function createAwsJsonServer(options: AwsJsonServerOptions): Server {
  return createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      options.log.error(`${options.serviceName}: unexpected error`, error);
      if (!res.headersSent) sendError(res, new AwsServiceError('InternalFailure', 'Internal failure', 500));
    });
  });
}

async function handle(
  options: AwsJsonServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    // A cheap readiness probe for the stack (the SDK never sends GET).
    sendJson(res, 200, { service: options.serviceName, status: 'ok' });
    return;
  }
  if (req.method !== 'POST') {
    sendError(res, new AwsServiceError('UnknownOperationException', `Method ${req.method} is not supported`));
    return;
  }
  const target = headerValue(req, 'x-amz-target');
  const prefix = `${options.targetPrefix}.`;
  const operationName = target?.startsWith(prefix) ? target.slice(prefix.length) : undefined;
  const operation = operationName === undefined ? undefined : options.operations[operationName];
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_REQUEST_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendError(res, new AwsServiceError('ValidationException', 'Request too large', 413));
      return;
    }
    throw error;
  }
  if (operation === undefined) {
    sendError(
      res,
      new AwsServiceError('UnknownOperationException', `Unknown operation ${target ?? '(none)'}`),
    );
    return;
  }
  let input: Record<string, unknown>;
  try {
    const parsed: unknown = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    input = parsed as Record<string, unknown>;
  } catch {
    sendError(res, new AwsServiceError('SerializationException', 'Request body is not a JSON object'));
    return;
  }
  try {
    const output = await operation(input);
    const text = JSON.stringify(output ?? {});
    res.writeHead(200, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  } catch (error) {
    if (error instanceof AwsServiceError) {
      sendError(res, error);
      return;
    }
    throw error;
  }
}

function sendError(res: ServerResponse, error: AwsServiceError): void {
  const text = JSON.stringify({ ...error.members, __type: error.code, message: error.message });
  res.writeHead(error.statusCode, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-errortype': error.code,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads a required string member of a request, throwing `ValidationException` like AWS. */
export function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: '${name}' must not be null`,
    );
  }
  return value;
}

/** Reads an optional string member of a request. */
export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: '${name}' must be a string`,
    );
  }
  return value;
}

/**
 * The SQS operations of several local queues on one endpoint, as SQS serves every queue of an
 * account: each call goes to the queue its `QueueUrl` ends with (`…/<account>/<name>`).
 */
export function operationsByQueueUrl(
  queues: Readonly<Record<string, Readonly<Record<string, AwsJsonOperation>>>>,
): Record<string, AwsJsonOperation> {
  const names = new Set(Object.values(queues).flatMap((operations) => Object.keys(operations)));
  return Object.fromEntries(
    [...names].map((operation): [string, AwsJsonOperation] => [
      operation,
      (input) => {
        const url = typeof input.QueueUrl === 'string' ? input.QueueUrl : '';
        const run = queues[url.slice(url.lastIndexOf('/') + 1)]?.[operation];
        if (!run)
          throw new AwsServiceError(
            'AWS.SimpleQueueService.NonExistentQueue',
            `No local queue ${url || '(no QueueUrl)'} answers ${operation}`,
          );
        return run(input);
      },
    ]),
  );
}

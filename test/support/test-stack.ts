import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { ApiClient } from './api-client';

/** A local stack for one integration test file, with a reviewer's and an operator's token. */
export interface TestStack {
  readonly stack: LocalStack;
  readonly api: ApiClient;
  readonly reviewer: string;
  readonly operator: string;
  /** The stack's own state dir (DynamoDB data, S3 files, persisted executions, outboxes). */
  readonly stateDir: string;
  /** Stops every part and removes the state dir. */
  stop(): Promise<void>;
}

/**
 * Starts the whole local stack on free ports with its own state dir and short retry intervals.
 * One configuration per file: handler modules read `env` once per process, as at a cold start.
 */
export async function startTestStack(
  name: string,
  env: Readonly<Record<string, string>>,
  /** `quiet: false` also prints the stack's progress lines (a test that scans the console). */
  options: { faults?: string; quiet?: boolean } = {},
): Promise<TestStack> {
  const stateDir = mkdtempSync(join(tmpdir(), `pos-${name}-`));
  const stack = await startLocalStack({
    stateDir,
    ports: { api: 0, dynamodb: 0, sfn: 0, sms: 0, ses: 0, s3: 0, kinesis: 0, sqs: 0 },
    quiet: options.quiet ?? true,
    retryIntervalMs: 10,
    env,
    // Off unless asked: the fault proxy is an extra hop on every DynamoDB call.
    faults: options.faults ?? false,
  });
  const api = new ApiClient(stack.urls.api);
  const [reviewer, operator] = await Promise.all([
    api.staffToken('rev-1', ['reviewer']),
    api.staffToken('op-1', ['operator']),
  ]);
  return {
    stack,
    api,
    reviewer,
    operator,
    stateDir,
    async stop() {
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

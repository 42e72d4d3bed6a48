import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger';

/** The payload every onboarding Task receives (ids only, never personal data). */
export interface TaskInput {
  /** Set for onboarding steps. */
  readonly applicationId: string;
  /** Set for terminal-transfer steps. */
  readonly transferRequestId?: string;
  /** Set for change-request steps. */
  readonly changeRequestId?: string;
  /** Which message a notification step sends, where a step sends more than one. */
  readonly event?: string;
  readonly taskToken?: string;
  readonly taskId?: string;
  readonly failure?: { Error?: string };
}

/**
 * Wraps a workflow Task as a middy handler: Powertools' `injectLambdaContext` (the function's
 * context on every log line, the invocation's keys cleared when it ends), then the Task's ids on
 * every line, then the step. No error handler: errors propagate so the state machine's
 * Retry/Catch decide what happens. middy's early timeout is off, as on API routes: Lambda's own
 * timeout is what Step Functions sees (`States.Timeout`).
 */
export function workflowTask<R>(name: string, step: (input: TaskInput) => Promise<R>) {
  return middy<TaskInput, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .before(({ event }) => {
      logger.appendKeys({
        task: name,
        applicationId: event.applicationId,
        transferRequestId: event.transferRequestId,
        changeRequestId: event.changeRequestId,
      });
    })
    .handler((input) => step(input));
}

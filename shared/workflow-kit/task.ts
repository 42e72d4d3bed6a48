import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../logger';

/** What a Catch puts at `$.failure` and a RecordFailure state passes on: the error's name only. */
export interface WorkflowFailure {
  readonly Error?: string;
}

/**
 * The Lambda wrapper of one process's Task functions, typed by the payload its ASL sends
 * (`Input`), as a middy handler: Powertools' `injectLambdaContext` (the function's context on every
 * log line, the invocation's keys cleared when it ends), then the task name and the process's
 * subject id on every line (ids only, never personal data), then the step. No error handler:
 * errors propagate, so the state's Retry/Catch decide what happens. middy's early timeout is off,
 * as on API routes: Lambda's own timeout is what Step Functions sees (`States.Timeout`).
 *
 * @example export const onboardingTask = processTask<OnboardingTaskInput>('applicationId');
 */
export function processTask<Input extends object>(subjectKey: keyof Input & string) {
  return <Result>(name: string, step: (input: Input) => Promise<Result>) =>
    middy<Input, Result, Error, Context>({ timeoutEarlyInMillis: 0 })
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .before(({ event }) => {
        logger.appendKeys({ task: name, [subjectKey]: event[subjectKey] });
      })
      .handler((input) => step(input));
}

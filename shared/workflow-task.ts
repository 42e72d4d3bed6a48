import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger';

/** The payload every onboarding Task receives (ids only, never personal data). */
export interface TaskInput {
  readonly applicationId: string;
  readonly taskToken?: string;
  readonly taskId?: string;
  readonly failure?: { Error?: string };
}

/**
 * Wraps a workflow Task: log context (ids only), then the step. Errors propagate so the state
 * machine's Retry/Catch decide what happens.
 */
export function workflowTask<R>(name: string, step: (input: TaskInput) => Promise<R>) {
  return middy<TaskInput, R, Error, Context>().handler(async (input) => {
    logger.resetKeys();
    logger.appendKeys({ task: name, applicationId: input.applicationId });
    return step(input);
  });
}

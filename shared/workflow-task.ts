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
 * Wraps a workflow Task: log context (ids only), then the step. Errors propagate so the state
 * machine's Retry/Catch decide what happens.
 */
export function workflowTask<R>(name: string, step: (input: TaskInput) => Promise<R>) {
  return async (input: TaskInput, context?: Context): Promise<R> => {
    logger.resetKeys();
    logger.appendKeys({
      task: name,
      functionRequestId: context?.awsRequestId,
      applicationId: input.applicationId,
      transferRequestId: input.transferRequestId,
      changeRequestId: input.changeRequestId,
    });
    return step(input);
  };
}

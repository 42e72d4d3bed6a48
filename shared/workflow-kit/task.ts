import type { Context } from 'aws-lambda';
import { logger } from '../logger';

/** What a Catch puts at `$.failure` and a RecordFailure state passes on: the error's name only. */
export interface WorkflowFailure {
  readonly Error?: string;
}

/**
 * The Lambda wrapper of one process's Task functions, typed by the payload its ASL sends
 * (`Input`): each invocation logs the task name and the process's subject id (ids only, never
 * personal data), then runs the step. Errors propagate, so the state's Retry/Catch decide what
 * happens.
 *
 * @example export const onboardingTask = processTask<OnboardingTaskInput>('applicationId');
 */
export function processTask<Input extends object>(subjectKey: keyof Input & string) {
  return <Result>(name: string, step: (input: Input) => Promise<Result>) =>
    async (input: Input, context?: Context): Promise<Result> => {
      logger.resetKeys();
      logger.appendKeys({
        task: name,
        functionRequestId: context?.awsRequestId,
        [subjectKey]: input[subjectKey],
      });
      return step(input);
    };
}

import type { Deadlines } from '../config/env';
import { type ReviewWaits, reviewWaits } from '../workflow-kit/deadlines';
import { processTask, type WorkflowFailure } from '../workflow-kit/task';

/*
 * The onboarding process's contract with its state machine (`workflow/onboarding.asl.json`): what
 * an execution starts with and what each Task state passes to its function. Ids and waits only:
 * Step Functions keeps execution histories for 90 days.
 */

/** The input of an onboarding execution (its name is the application id). */
export interface OnboardingExecution {
  readonly applicationId: string;
  /** The waits of the ASL's `TimeoutSecondsPath`. */
  readonly config: ReviewWaits & { readonly resubmissionSeconds: number };
}

/** The execution input of an application submitted for the first time. */
export function onboardingExecution(applicationId: string, deadlines: Deadlines): OnboardingExecution {
  return {
    applicationId,
    config: { ...reviewWaits(deadlines), resubmissionSeconds: deadlines.resubmissionSeconds },
  };
}

/** What the onboarding ASL passes to its Task functions. */
export interface OnboardingTaskInput {
  readonly applicationId: string;
  /** The token of a `.waitForTaskToken` state. */
  readonly taskToken?: string;
  /** Which message a notification step sends (`RECEIVED`, else the outcome). */
  readonly event?: string;
  /** The caught error, for RecordFailure. */
  readonly failure?: WorkflowFailure;
}

/** The wrapper of every onboarding Task function (logs the task and the application id). */
export const onboardingTask = processTask<OnboardingTaskInput>('applicationId');

import type { Deadlines } from '../config/env';
import { type ReviewWaits, reviewWaits } from '../workflow-kit/deadlines';
import { processTask, type WorkflowFailure } from '../workflow-kit/task';

/*
 * The change-request process's contract with its state machine (`workflow/change-request.asl.json`):
 * what an execution starts with and what each Task state passes to its function. Ids and waits only.
 */

/** The input of a change-request execution (its name is the change request id). */
export interface ChangeRequestExecution {
  readonly changeRequestId: string;
  /** The waits of the ASL's `TimeoutSecondsPath`. */
  readonly config: ReviewWaits;
}

/** The execution input of a new change request. */
export function changeRequestExecution(
  changeRequestId: string,
  deadlines: Deadlines,
): ChangeRequestExecution {
  return { changeRequestId, config: reviewWaits(deadlines) };
}

/** What the change-request ASL passes to its Task functions. */
export interface ChangeRequestTaskInput {
  readonly changeRequestId: string;
  /** The token of a `.waitForTaskToken` state. */
  readonly taskToken?: string;
  /** The review task whose decision a step records. */
  readonly taskId?: string;
  /** The caught error, for ChangeRecordFailure. */
  readonly failure?: WorkflowFailure;
}

/** The wrapper of every change-request Task function (logs the task and the change request id). */
export const changeRequestTask = processTask<ChangeRequestTaskInput>('changeRequestId');

import type { Deadlines } from '../config/env';
import { type ReviewWaits, reviewWaits } from '../workflow-kit/deadlines';
import { processTask, type WorkflowFailure } from '../workflow-kit/task';

/*
 * The terminal-transfer process's contract with its state machine
 * (`workflow/terminal-transfer.asl.json`): what an execution starts with and what each Task state
 * passes to its function. Ids and waits only.
 */

/** The input of a transfer execution (its name is the transfer request id). */
export interface TransferExecution {
  readonly transferRequestId: string;
  /** The waits of the ASL's `TimeoutSecondsPath`. */
  readonly config: ReviewWaits & { readonly transferAcceptanceSeconds: number };
}

/** The execution input of a new transfer request. */
export function transferExecution(transferRequestId: string, deadlines: Deadlines): TransferExecution {
  return {
    transferRequestId,
    config: { ...reviewWaits(deadlines), transferAcceptanceSeconds: deadlines.transferAcceptanceSeconds },
  };
}

/** What the terminal-transfer ASL passes to its Task functions. */
export interface TransferTaskInput {
  readonly transferRequestId: string;
  /** The token of a `.waitForTaskToken` state. */
  readonly taskToken?: string;
  /** Which message a notification step sends: `REQUESTED`, `ACCEPTED` or `OUTCOME`. */
  readonly event?: string;
  /** The caught error, for TransferRecordFailure. */
  readonly failure?: WorkflowFailure;
}

/** The wrapper of every terminal-transfer Task function (logs the task and the transfer id). */
export const transferTask = processTask<TransferTaskInput>('transferRequestId');

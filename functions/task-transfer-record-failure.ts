import { transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferTask } from '../shared/transfers/process';
import { recordTransferFailure } from '../shared/transfers/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = { transfers: transferRepository(), clock: systemClock };

/** Workflow Task: records a failed transfer in its timeline (the execution then fails). */
export const handler = transferTask('task-transfer-record-failure', (input) =>
  recordTransferFailure(deps, { transferRequestId: input.transferRequestId, failure: input.failure }),
);

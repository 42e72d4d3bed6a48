import { transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferTask } from '../shared/transfers/process';
import { transferSteps } from '../shared/transfers/workflow';
import { recordFailureOf } from '../shared/workflow-kit/process-subjects';

// Only the adapters this step uses, created once per cold start.
const deps = { transfers: transferRepository(), clock: systemClock };

/** Workflow Task: records a failed transfer in its timeline (the execution then fails). */
export const handler = transferTask('task-transfer-record-failure', (input) =>
  recordFailureOf(transferSteps, deps, input.transferRequestId, input.failure),
);

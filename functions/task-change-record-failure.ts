import { changeRequestTask } from '../shared/change-requests/process';
import { changeRequestSteps } from '../shared/change-requests/workflow';
import { changeRequestRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { recordFailureOf } from '../shared/workflow-kit/process-subjects';

// Only the adapters this step uses, created once per cold start.
const deps = { changeRequests: changeRequestRepository(), clock: systemClock };

/** Workflow Task: records a failed change request in its timeline (the execution then fails). */
export const handler = changeRequestTask('task-change-record-failure', (input) =>
  recordFailureOf(changeRequestSteps, deps, input.changeRequestId, input.failure),
);

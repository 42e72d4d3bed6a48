import { changeRequestTask } from '../shared/change-requests/process';
import { recordChangeDecision } from '../shared/change-requests/workflow';
import { changeRequestRepository, reviewReader } from '../shared/composition';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  reviews: reviewReader(),
  clock: systemClock,
};

/** Workflow Task: applies a REJECT decision (with the reviewer's reasons) to the change request. */
export const handler = changeRequestTask('task-change-record-decision', (input) =>
  recordChangeDecision(deps, { changeRequestId: input.changeRequestId, taskId: input.taskId ?? '' }),
);

import { changeRequestTask } from '../shared/change-requests/process';
import { expireChangeRequest } from '../shared/change-requests/workflow';
import { changeRequestRepository, reviewCloser } from '../shared/composition';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  reviews: reviewCloser(),
  clock: systemClock,
};

/** Workflow Task: no review decision by the final deadline; the change request expires. */
export const handler = changeRequestTask('task-change-expire', (input) =>
  expireChangeRequest(deps, input.changeRequestId),
);

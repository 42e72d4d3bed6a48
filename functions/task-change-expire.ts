import { changeRequestRepository, reviewRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { expireChangeRequest } from '../shared/use-cases/change-request-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  reviews: reviewRepository(),
  clock: systemClock,
};

/** Workflow Task: no review decision by the final deadline; the change request expires. */
export const handler = workflowTask('task-change-expire', (input) =>
  expireChangeRequest(deps, input.changeRequestId ?? ''),
);

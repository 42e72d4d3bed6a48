import { changeRequestRepository, merchantRepository, reviewRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { applyChangeRequest } from '../shared/use-cases/change-request-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  reviews: reviewRepository(),
  clock: systemClock,
};

/** Workflow Task: applies an approved change if the merchant's version is unchanged, else STALE. */
export const handler = workflowTask('task-change-apply', (input) =>
  applyChangeRequest(deps, input.changeRequestId ?? ''),
);

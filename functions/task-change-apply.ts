import { changeRequestTask } from '../shared/change-requests/process';
import { applyChangeRequest } from '../shared/change-requests/workflow';
import { changeRequestRepository, merchantRepository, reviewRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  reviews: reviewRepository(),
  clock: systemClock,
};

/** Workflow Task: applies an approved change if the merchant's version is unchanged, else STALE. */
export const handler = changeRequestTask('task-change-apply', (input) =>
  applyChangeRequest(deps, input.changeRequestId),
);

import { reviewRepository, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferExpire } from '../shared/use-cases/transfers';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  reviews: reviewRepository(),
  clock: systemClock,
};

/** Workflow Task: not accepted or not decided in time. */
export const handler = workflowTask('task-transfer-expire', (input) =>
  transferExpire(deps, input.transferRequestId ?? ''),
);

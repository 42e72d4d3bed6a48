import { merchantRepository, reviewRepository, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferComplete } from '../shared/use-cases/transfers';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  reviews: reviewRepository(),
  merchants: merchantRepository(),
  clock: systemClock,
};

/** Workflow Task: the atomic re-binding of the SN to the receiving merchant with a new terminal ID. */
export const handler = workflowTask('task-transfer-complete', (input) =>
  transferComplete(deps, input.transferRequestId ?? ''),
);

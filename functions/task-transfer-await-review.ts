import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { deadlines, reviewRepository, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferAwaitReview } from '../shared/use-cases/transfers';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  reviews: reviewRepository(),
  workflow: workflowFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
};

/** Workflow Task: opens the TERMINAL_TRANSFER review task (.waitForTaskToken). */
export const handler = workflowTask('task-transfer-await-review', (input) =>
  transferAwaitReview(deps, {
    transferRequestId: input.transferRequestId ?? '',
    taskToken: input.taskToken ?? '',
  }),
);

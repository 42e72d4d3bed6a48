import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { deadlines, reviewOpener, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferTask } from '../shared/transfers/process';
import { transferAwaitReview } from '../shared/transfers/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  reviews: reviewOpener(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
};

/** Workflow Task: opens the TERMINAL_TRANSFER review task (.waitForTaskToken). */
export const handler = transferTask('task-transfer-await-review', (input) =>
  transferAwaitReview(deps, {
    transferRequestId: input.transferRequestId,
    taskToken: input.taskToken ?? '',
  }),
);

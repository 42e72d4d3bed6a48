import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { changeRequestTask } from '../shared/change-requests/process';
import { awaitChangeReview } from '../shared/change-requests/workflow';
import { changeRequestRepository, deadlines, merchantRepository, reviewOpener } from '../shared/composition';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  reviews: reviewOpener(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
};

/** Workflow Task: opens the CHANGE_REQUEST review task or gives it the new token (.waitForTaskToken). */
export const handler = changeRequestTask('task-change-await-review', (input) =>
  awaitChangeReview(deps, { changeRequestId: input.changeRequestId, taskToken: input.taskToken ?? '' }),
);

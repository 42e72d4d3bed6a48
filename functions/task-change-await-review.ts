import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import {
  changeRequestRepository,
  deadlines,
  merchantRepository,
  reviewRepository,
} from '../shared/composition';
import { systemClock } from '../shared/ports';
import { awaitChangeReview } from '../shared/use-cases/change-request-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  reviews: reviewRepository(),
  workflow: workflowFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
};

/** Workflow Task: opens the CHANGE_REQUEST review task or gives it the new token (.waitForTaskToken). */
export const handler = workflowTask('task-change-await-review', (input) =>
  awaitChangeReview(deps, { changeRequestId: input.changeRequestId ?? '', taskToken: input.taskToken ?? '' }),
);

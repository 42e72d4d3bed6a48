import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository, deadlines, reviewRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { awaitReview } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
  workflow: workflowFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
};

/** Workflow Task: creates the review task or gives it the new task token (.waitForTaskToken). */
export const handler = workflowTask('task-await-review', (input) =>
  awaitReview(deps, { applicationId: input.applicationId, taskToken: input.taskToken ?? '' }),
);

import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationStore, deadlines, reviewOpener } from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { awaitReview } from '../shared/onboarding/workflow';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationStore(),
  reviews: reviewOpener(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
};

/** Workflow Task: creates the review task or gives it the new task token (.waitForTaskToken). */
export const handler = onboardingTask('task-await-review', (input) =>
  awaitReview(deps, { applicationId: input.applicationId, taskToken: input.taskToken ?? '' }),
);

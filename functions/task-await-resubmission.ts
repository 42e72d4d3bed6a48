import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationStore, messagingAdapters, reviewReader } from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { awaitResubmission } from '../shared/onboarding/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationStore(),
  reviews: reviewReader(),
  workflow: workflowControlFromEnv(),
  ...messagingAdapters(),
};

/**
 * Workflow Task (.waitForTaskToken): records REQUEST_CHANGES with the token the merchant's
 * resubmission resumes, and tells the merchant what to correct (at most once).
 */
export const handler = onboardingTask('task-await-resubmission', (input) =>
  awaitResubmission(deps, {
    applicationId: input.applicationId,
    taskToken: input.taskToken ?? '',
  }),
);

import { documentInspectorFromEnv } from '../shared/adapters/s3-document-inspector';
import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import {
  applicationStore,
  deadlines,
  messagingAdapters,
  reviewOpener,
  terminalReader,
} from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { checkAndAwaitReview } from '../shared/onboarding/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationStore(),
  reviews: reviewOpener(),
  workflow: workflowControlFromEnv(),
  ...messagingAdapters(),
  storage: documentInspectorFromEnv(),
  terminals: terminalReader(),
  deadlines: deadlines(),
};

/**
 * Workflow Task (.waitForTaskToken): automated checks, the "received" message, then the review
 * task with this token — or, on an automatic rejection, its outcome and the token completed at once.
 */
export const handler = onboardingTask('task-run-checks', (input) =>
  checkAndAwaitReview(deps, { applicationId: input.applicationId, taskToken: input.taskToken ?? '' }),
);

import { applicationRepository, reviewRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { expireApplication } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
  clock: systemClock,
};

/** Workflow Task: a deadline passed without a decision or a resubmission. */
export const handler = workflowTask('task-expire-application', (input) =>
  expireApplication(deps, input.applicationId),
);

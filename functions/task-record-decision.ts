import { applicationRepository, reviewRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { recordDecision } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
  clock: systemClock,
};

/** Workflow Task: applies a REJECT or REQUEST_CHANGES decision to the application. */
export const handler = workflowTask('task-record-decision', (input) =>
  recordDecision(deps, { applicationId: input.applicationId, taskId: input.taskId ?? '' }),
);

import { applicationRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { recordFailure } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  clock: systemClock,
};

/** Workflow Task: records a failed workflow in the application's timeline. */
export const handler = workflowTask('task-record-failure', (input) =>
  recordFailure(deps, { applicationId: input.applicationId, failure: input.failure }),
);

import { recordFailure } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: records a failed workflow in the application's timeline. */
export const handler = workflowTask('task-record-failure', (input) =>
  recordFailure(deps, { applicationId: input.applicationId, failure: input.failure }),
);

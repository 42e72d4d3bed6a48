import { expireApplication } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: a deadline passed without a decision or a resubmission. */
export const handler = workflowTask('task-expire-application', (input) =>
  expireApplication(deps, input.applicationId),
);

import { recordDecision } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: applies a REJECT or REQUEST_CHANGES decision to the application. */
export const handler = workflowTask('task-record-decision', (input) =>
  recordDecision(deps, { applicationId: input.applicationId, taskId: input.taskId ?? '' }),
);

import { escalateReview } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: the review deadline passed; flags the task and tells supervisors. */
export const handler = workflowTask('task-escalate-review', (input) =>
  escalateReview(deps, input.applicationId),
);

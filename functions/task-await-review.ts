import { awaitReview } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: creates the review task or gives it the new task token (.waitForTaskToken). */
export const handler = workflowTask('task-await-review', (input) =>
  awaitReview(deps, { applicationId: input.applicationId, taskToken: input.taskToken ?? '' }),
);

import { awaitResubmission } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: keeps the token the merchant's resubmission resumes (.waitForTaskToken). */
export const handler = workflowTask('task-await-resubmission', (input) =>
  awaitResubmission(deps, { applicationId: input.applicationId, taskToken: input.taskToken ?? '' }),
);

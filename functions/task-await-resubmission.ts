import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { applicationRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { awaitResubmission } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  workflow: workflowFromEnv(),
  clock: systemClock,
};

/** Workflow Task: keeps the token the merchant's resubmission resumes (.waitForTaskToken). */
export const handler = workflowTask('task-await-resubmission', (input) =>
  awaitResubmission(deps, { applicationId: input.applicationId, taskToken: input.taskToken ?? '' }),
);

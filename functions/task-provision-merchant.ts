import { provisionMerchant } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: merchant number, merchant, markers and terminal binding in one transaction. */
export const handler = workflowTask('task-provision-merchant', (input) =>
  provisionMerchant(deps, input.applicationId),
);

import { notifyApplicant } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: email and SMS for the application's outcome, at most once each. */
export const handler = workflowTask('task-notify', (input) => notifyApplicant(deps, input.applicationId));

import { runChecks } from '../shared/use-cases/onboarding-workflow';
import { lazyTaskDeps, workflowTask } from '../shared/workflow-task';

const deps = lazyTaskDeps();

/** Workflow Task: automated checks; rejects automatically on a hard failure. */
export const handler = workflowTask('task-run-checks', (input) => runChecks(deps, input.applicationId));

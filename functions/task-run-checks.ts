import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { documentStorageFromEnv } from '../shared/adapters/s3-document-storage';
import { applicationRepository, terminalRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { runChecks } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  hasher: keyedHasherFromEnv(),
  storage: documentStorageFromEnv(),
  terminals: terminalRepository(),
  clock: systemClock,
};

/** Workflow Task: automated checks; rejects automatically on a hard failure. */
export const handler = workflowTask('task-run-checks', (input) => runChecks(deps, input.applicationId));

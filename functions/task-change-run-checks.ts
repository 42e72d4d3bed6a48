import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { applicationRepository, changeRequestRepository, merchantRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { runChangeChecks } from '../shared/use-cases/change-request-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  applications: applicationRepository(),
  hasher: keyedHasherFromEnv(),
  clock: systemClock,
};

/** Workflow Task: automated checks of a change request; rejects automatically on a hard failure. */
export const handler = workflowTask('task-change-run-checks', (input) =>
  runChangeChecks(deps, input.changeRequestId ?? ''),
);

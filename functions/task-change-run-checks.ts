import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { changeRequestTask } from '../shared/change-requests/process';
import { runChangeChecks } from '../shared/change-requests/workflow';
import { applicationRepository, changeRequestRepository, merchantRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  applications: applicationRepository(),
  hasher: keyedHasherFromEnv(),
  clock: systemClock,
};

/** Workflow Task: automated checks of a change request; rejects automatically on a hard failure. */
export const handler = changeRequestTask('task-change-run-checks', (input) =>
  runChangeChecks(deps, input.changeRequestId),
);

import { changeRequestTask } from '../shared/change-requests/process';
import { notifyChangeOutcome } from '../shared/change-requests/workflow';
import { changeRequestRepository, merchantRepository, messagingAdapters } from '../shared/composition';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  ...messagingAdapters(),
  // Addresses are looked up on the suppression list by keyed hash.
};

/** Workflow Task: the outcome by email and SMS (old and new contact when the contact changed). */
export const handler = changeRequestTask('task-change-notify', (input) =>
  notifyChangeOutcome(deps, input.changeRequestId),
);

import { transferRepository } from '../shared/composition';
import { escalationSenderDeps } from '../shared/reviews/escalation-sender';
import { transferTask } from '../shared/transfers/process';
import { transferSteps } from '../shared/transfers/workflow';
import { escalateReviewOf } from '../shared/workflow-kit/process-subjects';

// Only the adapters this step uses, created once per cold start.
const deps = { ...escalationSenderDeps(), transfers: transferRepository() };

/** Workflow Task: the transfer's review deadline passed; flags the task and tells supervisors once. */
export const handler = transferTask('task-transfer-escalate-review', (input) =>
  escalateReviewOf(transferSteps, deps, input.transferRequestId),
);

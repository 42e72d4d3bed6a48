import { changeRequestTask } from '../shared/change-requests/process';
import { changeRequestSteps } from '../shared/change-requests/workflow';
import { changeRequestRepository } from '../shared/composition';
import { escalationSenderDeps } from '../shared/reviews/escalation-sender';
import { escalateReviewOf } from '../shared/workflow-kit/process-subjects';

// Only the adapters this step uses, created once per cold start.
const deps = { ...escalationSenderDeps(), changeRequests: changeRequestRepository() };

/** Workflow Task: the change request's review deadline passed; flags the task and tells supervisors once. */
export const handler = changeRequestTask('task-change-escalate-review', (input) =>
  escalateReviewOf(changeRequestSteps, deps, input.changeRequestId),
);

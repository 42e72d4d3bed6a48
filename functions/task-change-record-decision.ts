import { changeRequestRepository, reviewRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { recordChangeDecision } from '../shared/use-cases/change-request-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  reviews: reviewRepository(),
  clock: systemClock,
};

/** Workflow Task: applies a REJECT decision (with the reviewer's reasons) to the change request. */
export const handler = workflowTask('task-change-record-decision', (input) =>
  recordChangeDecision(deps, { changeRequestId: input.changeRequestId ?? '', taskId: input.taskId ?? '' }),
);

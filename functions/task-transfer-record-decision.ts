import { reviewRepository, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferRecordDecision } from '../shared/use-cases/transfers';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  reviews: reviewRepository(),
  clock: systemClock,
};

/** Workflow Task: records a REJECT decision; the SN stays with the sender. */
export const handler = workflowTask('task-transfer-record-decision', (input) =>
  transferRecordDecision(deps, {
    transferRequestId: input.transferRequestId ?? '',
    taskId: input.taskId ?? '',
  }),
);

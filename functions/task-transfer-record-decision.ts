import { reviewReader, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferTask } from '../shared/transfers/process';
import { transferRecordDecision } from '../shared/transfers/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  reviews: reviewReader(),
  clock: systemClock,
};

/** Workflow Task: records the REJECT recorded on the review task; the SN stays with the sender. */
export const handler = transferTask('task-transfer-record-decision', (input) =>
  transferRecordDecision(deps, { transferRequestId: input.transferRequestId }),
);

import { reviewCloser, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferTask } from '../shared/transfers/process';
import { transferExpire } from '../shared/transfers/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  reviews: reviewCloser(),
  clock: systemClock,
};

/** Workflow Task: not accepted or not decided in time. */
export const handler = transferTask('task-transfer-expire', (input) =>
  transferExpire(deps, input.transferRequestId),
);

import { merchantRepository, reviewReader, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferTask } from '../shared/transfers/process';
import { transferComplete } from '../shared/transfers/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  reviews: reviewReader(),
  merchants: merchantRepository(),
  clock: systemClock,
};

/** Workflow Task: the atomic re-binding of the SN to the receiving merchant with a new terminal ID. */
export const handler = transferTask('task-transfer-complete', (input) =>
  transferComplete(deps, input.transferRequestId),
);

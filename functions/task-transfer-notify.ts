import {
  merchantRepository,
  messagingAdapters,
  terminalRepository,
  transferRepository,
} from '../shared/composition';
import { transferTask } from '../shared/transfers/process';
import { transferNotify } from '../shared/transfers/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  merchants: merchantRepository(),
  terminals: terminalRepository(),
  ...messagingAdapters(),
};

/** Workflow Task: tells the merchants of a transfer by email and SMS, at most once each. */
export const handler = transferTask('task-transfer-notify', (input) =>
  transferNotify(deps, { transferRequestId: input.transferRequestId, event: input.event ?? 'OUTCOME' }),
);

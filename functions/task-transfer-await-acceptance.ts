import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferTask } from '../shared/transfers/process';
import { transferAwaitAcceptance } from '../shared/transfers/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  workflow: workflowControlFromEnv(),
  clock: systemClock,
};

/** Workflow Task: keeps the token the receiving merchant's acceptance resumes (.waitForTaskToken). */
export const handler = transferTask('task-transfer-await-acceptance', (input) =>
  transferAwaitAcceptance(deps, {
    transferRequestId: input.transferRequestId,
    taskToken: input.taskToken ?? '',
  }),
);

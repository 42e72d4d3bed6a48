import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferAwaitAcceptance } from '../shared/use-cases/transfers';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  workflow: workflowFromEnv(),
  clock: systemClock,
};

/** Workflow Task: keeps the token the receiving merchant's acceptance resumes (.waitForTaskToken). */
export const handler = workflowTask('task-transfer-await-acceptance', (input) =>
  transferAwaitAcceptance(deps, {
    transferRequestId: input.transferRequestId ?? '',
    taskToken: input.taskToken ?? '',
  }),
);

import { applicationRepository, changeRequestRepository, transferRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';
import { recordChangeFailure } from '../shared/use-cases/change-request-workflow';
import { recordFailure } from '../shared/use-cases/onboarding-workflow';
import { recordTransferFailure } from '../shared/use-cases/transfers';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  transfers: transferRepository(),
  changeRequests: changeRequestRepository(),
  clock: systemClock,
};

/** Workflow Task: records a failed workflow in its subject's timeline (each process passes its own id). */
export const handler = workflowTask('task-record-failure', (input) => {
  if (input.transferRequestId) {
    return recordTransferFailure(deps, {
      transferRequestId: input.transferRequestId,
      failure: input.failure,
    });
  }
  if (input.changeRequestId) {
    return recordChangeFailure(deps, { changeRequestId: input.changeRequestId, failure: input.failure });
  }
  return recordFailure(deps, { applicationId: input.applicationId, failure: input.failure });
});

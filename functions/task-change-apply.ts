import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { agreementAfterAppliedChange } from '../shared/agreements/changes';
import { changeRequestTask } from '../shared/change-requests/process';
import { applyChangeRequest } from '../shared/change-requests/workflow';
import {
  agreementRepository,
  changeRequestRepository,
  feePlanRepository,
  merchantRepository,
  reviewReader,
} from '../shared/composition';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  reviews: reviewReader(),
  feePlans: feePlanRepository(),
  agreements: agreementRepository(),
  agreementWorkflow: workflowFromEnv('agreement'),
  clock: systemClock,
};

/**
 * Workflow Task: applies an approved change if the merchant's version is unchanged, else STALE; an
 * applied change of the settlement cycle makes the next agreement version (idempotently).
 */
export const handler = changeRequestTask('task-change-apply', async (input) => {
  const result = await applyChangeRequest(deps, input.changeRequestId);
  if (result.status !== 'APPLIED') return result;
  const agreement = await agreementAfterAppliedChange(deps, input.changeRequestId);
  return agreement ? { ...result, agreement } : result;
});

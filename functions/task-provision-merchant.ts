import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import type { AgreementExecution } from '../shared/agreements/process';
import {
  agreementRepository,
  applicationStore,
  feePlanRepository,
  merchantRepository,
  messagingAdapters,
  reviewReader,
  terminalRepository,
} from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { provisionAndConfirm } from '../shared/onboarding/workflow';
import type { WorkflowEngine } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationStore(),
  reviews: reviewReader(),
  merchants: merchantRepository(),
  ...messagingAdapters(),
  terminals: terminalRepository(),
  feePlans: feePlanRepository(),
  agreements: agreementRepository(),
  agreementWorkflow: workflowFromEnv('agreement') as WorkflowEngine<AgreementExecution>,
};

/**
 * Workflow Task: merchant number, merchant (with its fee plan), markers and terminal binding in one
 * transaction, agreement version 1 and its process, then the confirmation with the activation code
 * and the agreement's rates by email and SMS (at most once each).
 */
export const handler = onboardingTask('task-provision-merchant', (input) =>
  provisionAndConfirm(deps, input.applicationId),
);

import {
  applicationRepository,
  merchantRepository,
  messagingConfig,
  reviewRepository,
} from '../shared/composition';
import { systemClock } from '../shared/ports';
import { provisionMerchant } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
  merchants: merchantRepository(),
  clock: systemClock,
  config: messagingConfig(),
};

/** Workflow Task: merchant number, merchant, markers and terminal binding in one transaction. */
export const handler = workflowTask('task-provision-merchant', (input) =>
  provisionMerchant(deps, input.applicationId),
);

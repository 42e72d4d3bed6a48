import { applicationStore, messagingAdapters, reviewReader } from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { recordDecision } from '../shared/onboarding/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationStore(),
  reviews: reviewReader(),
  ...messagingAdapters(),
};

/**
 * Workflow Task: applies the REJECT recorded on the current submission's review task to the
 * application, then tells the merchant (at most once).
 */
export const handler = onboardingTask('task-record-decision', (input) =>
  recordDecision(deps, { applicationId: input.applicationId }),
);

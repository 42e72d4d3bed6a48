import { applicationStore, messagingAdapters, terminalRepository } from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { notifyApplicant } from '../shared/onboarding/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationStore(),
  ...messagingAdapters(),
  terminals: terminalRepository(),
};

/** Workflow Task: email and SMS that the application was received, or of its outcome, at most once each. */
export const handler = onboardingTask('task-notify', (input) =>
  notifyApplicant(deps, { applicationId: input.applicationId, event: input.event }),
);

import { applicationStore, reviewCloser } from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { expireApplication } from '../shared/onboarding/workflow';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationStore(),
  reviews: reviewCloser(),
  clock: systemClock,
};

/** Workflow Task: a deadline passed without a decision or a resubmission. */
export const handler = onboardingTask('task-expire-application', (input) =>
  expireApplication(deps, input.applicationId),
);

import { applicationStore } from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { escalateApplicationReview } from '../shared/onboarding/workflow';
import { escalationSenderDeps } from '../shared/reviews/escalation-sender';

// Only the adapters this step uses, created once per cold start.
const deps = { ...escalationSenderDeps(), applications: applicationStore() };

/** Workflow Task: the application's review deadline passed; flags the task and tells supervisors once. */
export const handler = onboardingTask('task-escalate-review', (input) =>
  escalateApplicationReview(deps, { applicationId: input.applicationId }),
);

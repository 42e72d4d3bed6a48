import { applicationStore } from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { applicationSteps } from '../shared/onboarding/workflow';
import { systemClock } from '../shared/ports';
import { recordFailureOf } from '../shared/workflow-kit/process-subjects';

// Only the adapters this step uses, created once per cold start.
const deps = { applications: applicationStore(), clock: systemClock };

/** Workflow Task: records a failed onboarding in the application's timeline (the execution then fails). */
export const handler = onboardingTask('task-record-failure', (input) =>
  recordFailureOf(applicationSteps, deps, input.applicationId, input.failure),
);

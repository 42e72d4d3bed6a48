import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import {
  applicationRepository,
  messagingConfig,
  reviewRepository,
  sendRecordRepository,
} from '../shared/composition';
import { systemClock } from '../shared/ports';
import { escalateReview } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
  sends: sendRecordRepository(),
  mailer: mailerFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
};

/** Workflow Task: the review deadline passed; flags the task and tells supervisors. */
export const handler = workflowTask('task-escalate-review', (input) =>
  escalateReview(deps, { applicationId: input.applicationId, taskId: input.taskId }),
);

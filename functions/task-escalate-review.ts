import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import {
  applicationRepository,
  changeRequestRepository,
  messagingConfig,
  reviewRepository,
  sendRecordRepository,
  suppressionList,
  transferRepository,
} from '../shared/composition';
import { systemClock } from '../shared/ports';
import { escalateReview } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start (the three subject repositories
// share one table client: an undeliverable notice is noted in its subject's timeline).
const deps = {
  applications: applicationRepository(),
  changeRequests: changeRequestRepository(),
  transfers: transferRepository(),
  reviews: reviewRepository(),
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  hasher: keyedHasherFromEnv(),
  mailer: mailerFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
};

/** Workflow Task: the review deadline passed; flags the task and tells supervisors. */
export const handler = workflowTask('task-escalate-review', (input) =>
  escalateReview(deps, { applicationId: input.applicationId, taskId: input.taskId }),
);

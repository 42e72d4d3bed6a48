import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { documentInspectorFromEnv } from '../shared/adapters/s3-document-inspector';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  applicationRepository,
  deadlines,
  messagingConfig,
  reviewRepository,
  sendQuota,
  sendRecordRepository,
  suppressionList,
  terminalRepository,
} from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { checkAndAwaitReview } from '../shared/onboarding/workflow';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
  workflow: workflowControlFromEnv(),
  hasher: keyedHasherFromEnv(),
  storage: documentInspectorFromEnv(),
  terminals: terminalRepository(),
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  sendQuota: sendQuota(),
  mailer: mailerFromEnv(),
  sms: smsSenderFromEnv(),
  clock: systemClock,
  deadlines: deadlines(),
  config: messagingConfig(),
};

/**
 * Workflow Task (.waitForTaskToken): automated checks, the "received" message, then the review
 * task with this token — or, on an automatic rejection, its outcome and the token completed at once.
 */
export const handler = onboardingTask('task-run-checks', (input) =>
  checkAndAwaitReview(deps, { applicationId: input.applicationId, taskToken: input.taskToken ?? '' }),
);

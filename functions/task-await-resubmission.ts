import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { workflowControlFromEnv } from '../shared/adapters/sfn-workflow';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  applicationRepository,
  messagingConfig,
  reviewRepository,
  sendQuota,
  sendRecordRepository,
  suppressionList,
  terminalRepository,
} from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { awaitResubmission } from '../shared/onboarding/workflow';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
  workflow: workflowControlFromEnv(),
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  sendQuota: sendQuota(),
  terminals: terminalRepository(),
  hasher: keyedHasherFromEnv(),
  mailer: mailerFromEnv(),
  sms: smsSenderFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
};

/**
 * Workflow Task (.waitForTaskToken): records REQUEST_CHANGES with the token the merchant's
 * resubmission resumes, and tells the merchant what to correct (at most once).
 */
export const handler = onboardingTask('task-await-resubmission', (input) =>
  awaitResubmission(deps, {
    applicationId: input.applicationId,
    taskToken: input.taskToken ?? '',
  }),
);

import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  applicationRepository,
  merchantRepository,
  messagingConfig,
  reviewRepository,
  sendQuota,
  sendRecordRepository,
  suppressionList,
  terminalRepository,
} from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { provisionAndConfirm } from '../shared/onboarding/workflow';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
  merchants: merchantRepository(),
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
 * Workflow Task: merchant number, merchant, markers and terminal binding in one transaction, then
 * the confirmation with the activation code by email and SMS (at most once each).
 */
export const handler = onboardingTask('task-provision-merchant', (input) =>
  provisionAndConfirm(deps, input.applicationId),
);

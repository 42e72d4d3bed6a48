import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
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
import { recordDecision } from '../shared/onboarding/workflow';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  reviews: reviewRepository(),
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
 * Workflow Task: applies the REJECT recorded on the current submission's review task to the
 * application, then tells the merchant (at most once).
 */
export const handler = onboardingTask('task-record-decision', (input) =>
  recordDecision(deps, { applicationId: input.applicationId }),
);

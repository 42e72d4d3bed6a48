import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  applicationRepository,
  messagingConfig,
  sendQuota,
  sendRecordRepository,
  suppressionList,
  terminalRepository,
} from '../shared/composition';
import { onboardingTask } from '../shared/onboarding/process';
import { notifyApplicant } from '../shared/onboarding/workflow';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
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

/** Workflow Task: email and SMS that the application was received, or of its outcome, at most once each. */
export const handler = onboardingTask('task-notify', (input) =>
  notifyApplicant(deps, { applicationId: input.applicationId, event: input.event }),
);

import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  applicationRepository,
  messagingConfig,
  sendRecordRepository,
  smsQuota,
  suppressionList,
  terminalRepository,
} from '../shared/composition';
import { systemClock } from '../shared/ports';
import { notifyApplicant } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  smsQuota: smsQuota(),
  terminals: terminalRepository(),
  hasher: keyedHasherFromEnv(),
  mailer: mailerFromEnv(),
  sms: smsSenderFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
};

/** Workflow Task: email and SMS that the application was received, or of its outcome, at most once each. */
export const handler = workflowTask('task-notify', (input) =>
  notifyApplicant(deps, { applicationId: input.applicationId, event: input.event }),
);

import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  applicationRepository,
  messagingConfig,
  sendRecordRepository,
  terminalRepository,
} from '../shared/composition';
import { systemClock } from '../shared/ports';
import { notifyApplicant } from '../shared/use-cases/onboarding-workflow';
import { workflowTask } from '../shared/workflow-task';

// Only the adapters this step uses, created once per cold start.
const deps = {
  applications: applicationRepository(),
  sends: sendRecordRepository(),
  terminals: terminalRepository(),
  hasher: keyedHasherFromEnv(),
  mailer: mailerFromEnv(),
  sms: smsSenderFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
};

/** Workflow Task: email and SMS for the application's outcome, at most once each. */
export const handler = workflowTask('task-notify', (input) => notifyApplicant(deps, input.applicationId));

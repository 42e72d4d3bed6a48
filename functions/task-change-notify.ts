import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import { changeRequestTask } from '../shared/change-requests/process';
import { notifyChangeOutcome } from '../shared/change-requests/workflow';
import {
  changeRequestRepository,
  merchantRepository,
  messagingConfig,
  sendQuota,
  sendRecordRepository,
  suppressionList,
} from '../shared/composition';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  changeRequests: changeRequestRepository(),
  merchants: merchantRepository(),
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  sendQuota: sendQuota(),
  // Addresses are looked up on the suppression list by keyed hash.
  hasher: keyedHasherFromEnv(),
  mailer: mailerFromEnv(),
  sms: smsSenderFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
};

/** Workflow Task: the outcome by email and SMS (old and new contact when the contact changed). */
export const handler = changeRequestTask('task-change-notify', (input) =>
  notifyChangeOutcome(deps, input.changeRequestId),
);

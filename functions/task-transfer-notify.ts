import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import {
  merchantRepository,
  messagingConfig,
  sendQuota,
  sendRecordRepository,
  suppressionList,
  terminalRepository,
  transferRepository,
} from '../shared/composition';
import { systemClock } from '../shared/ports';
import { transferTask } from '../shared/transfers/process';
import { transferNotify } from '../shared/transfers/workflow';

// Only the adapters this step uses, created once per cold start.
const deps = {
  transfers: transferRepository(),
  merchants: merchantRepository(),
  terminals: terminalRepository(),
  hasher: keyedHasherFromEnv(),
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  sendQuota: sendQuota(),
  mailer: mailerFromEnv(),
  sms: smsSenderFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
};

/** Workflow Task: tells the merchants of a transfer by email and SMS, at most once each. */
export const handler = transferTask('task-transfer-notify', (input) =>
  transferNotify(deps, { transferRequestId: input.transferRequestId, event: input.event ?? 'OUTCOME' }),
);

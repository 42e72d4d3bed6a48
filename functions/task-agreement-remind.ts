import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { mailerFromEnv } from '../shared/adapters/ses-mailer';
import { smsSenderFromEnv } from '../shared/adapters/sms-sender';
import { agreementTask } from '../shared/agreements/process';
import { remindToSign } from '../shared/agreements/workflow';
import {
  agreementRepository,
  merchantRepository,
  messagingConfig,
  sendQuota,
  sendRecordRepository,
  suppressionList,
} from '../shared/composition';
import { systemClock } from '../shared/ports';

// Only the adapters this step uses, created once per cold start.
const deps = {
  agreements: agreementRepository(),
  merchants: merchantRepository(),
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  sendQuota: sendQuota(),
  hasher: keyedHasherFromEnv(),
  mailer: mailerFromEnv(),
  sms: smsSenderFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
};

/** Workflow Task: a version still unsigned after the wait is recalled once by email and SMS. */
export const handler = agreementTask('task-agreement-remind', (input) => remindToSign(deps, input));

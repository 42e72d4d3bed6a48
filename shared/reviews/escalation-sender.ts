import { keyedHasherFromEnv } from '../adapters/keyed-hasher';
import { mailerFromEnv } from '../adapters/ses-mailer';
import { messagingConfig, reviewEscalations, sendRecordRepository, suppressionList } from '../composition';
import { systemClock } from '../ports';
import type { EscalationDeps } from './workflow';

/**
 * The adapters of every process's EscalateReview Task function: the review tasks, exactly-once send
 * records, the suppression list (addresses looked up by keyed hash), the mailer and the supervisors'
 * address and locale. Each function adds its own subject repository.
 */
export function escalationSenderDeps(): EscalationDeps {
  return {
    reviews: reviewEscalations(),
    sends: sendRecordRepository(),
    suppressions: suppressionList(),
    hasher: keyedHasherFromEnv(),
    mailer: mailerFromEnv(),
    clock: systemClock,
    config: messagingConfig(),
  };
}

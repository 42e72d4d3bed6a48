import { keyedHasherFromEnv } from './adapters/keyed-hasher';
import { smsSenderFromEnv } from './adapters/sms-sender';
import {
  merchantRepository,
  messagingConfig,
  sendQuota,
  sendRecordRepository,
  suppressionList,
  terminalRepository,
} from './composition';
import { systemClock } from './ports';

/**
 * The adapters of the routes that issue an activation code by SMS (bind, reissue): terminals,
 * merchants (contact and locale), the keyed hasher, exactly-once send records, the suppression list,
 * the per-phone SMS limit and the SMS sender.
 */
export function activationCodeSenderDeps() {
  return {
    terminals: terminalRepository(),
    merchants: merchantRepository(),
    hasher: keyedHasherFromEnv(),
    sends: sendRecordRepository(),
    suppressions: suppressionList(),
    sendQuota: sendQuota(),
    sms: smsSenderFromEnv(),
    clock: systemClock,
    config: messagingConfig(),
  };
}

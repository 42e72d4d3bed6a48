import { smsSenderFromEnv } from './adapters/sms-sender';
import { merchantRepository, messageBookkeeping, terminalRepository } from './composition';

/**
 * The adapters of the routes that issue an activation code by SMS (bind, reissue): terminals,
 * merchants (contact and locale), the keyed hasher, exactly-once send records, the suppression list,
 * the per-phone SMS limit and the SMS sender.
 */
export function activationCodeSenderDeps() {
  return {
    terminals: terminalRepository(),
    merchants: merchantRepository(),
    ...messageBookkeeping(),
    sms: smsSenderFromEnv(),
  };
}

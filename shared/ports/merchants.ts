import type { ApplicationRecord } from '../domain/application';
import type { MerchantRecord, MerchantTerminalRecord } from '../domain/merchant';

/** Outcome of the provisioning transaction. */
export type ProvisionOutcome = 'PROVISIONED' | 'TERMINAL_UNAVAILABLE' | 'STALE';

/** Status of a notification send record. */
export type SendStatus = 'SENDING' | 'SENT' | 'FAILED' | 'SKIPPED';

/** Merchants, numbering sequences, terminals and send records. */
export interface MerchantRepository {
  /** Atomically allocates the next number of a named sequence (1, 2, …; never reused). */
  nextSequence(name: string): Promise<number>;
  /**
   * One transaction: the approved application (if its revision is unchanged), the merchant,
   * the uniqueness markers moved to the merchant, and — when given — the terminal binding
   * (SN in stock → BOUND) with the merchant's terminal count.
   */
  provision(input: {
    application: ApplicationRecord;
    expectedRevision: number;
    merchant: MerchantRecord;
    terminal?: { serialNumber: string; terminalId: string; model: string };
  }): Promise<ProvisionOutcome>;
  getMerchant(merchantNo: string): Promise<MerchantRecord | undefined>;
  merchantTerminals(merchantNo: string): Promise<MerchantTerminalRecord[]>;
  terminalStatus(serialNumber: string): Promise<{ status: string; merchantNo?: string } | undefined>;
  /** Stores a new activation code's hash on a bound terminal (valid until `expiresAt`, attempts reset). */
  setActivationCode(serialNumber: string, codeHash: string, expiresAt: string): Promise<void>;
  /** Registers an SN in stock; false when the SN is already known. */
  registerTerminal(input: {
    serialNumber: string;
    model: string;
    at: string;
    actor: string;
  }): Promise<boolean>;
}

/** Exactly-once bookkeeping of notifications: claim before sending, record after. */
export interface SendRecordRepository {
  /** Claims (subject, template, channel); false when it was claimed or sent before. */
  claim(input: {
    subjectId: string;
    template: string;
    channel: 'EMAIL' | 'SMS';
    recipient: string;
    at: string;
  }): Promise<boolean>;
  complete(input: {
    subjectId: string;
    template: string;
    channel: 'EMAIL' | 'SMS';
    status: SendStatus;
    providerMessageId?: string;
    at: string;
  }): Promise<void>;
}

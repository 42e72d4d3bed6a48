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

import type { ApplicationRecord } from '../domain/application';
import type { MerchantRecord, MerchantTerminalRecord } from '../domain/merchant';
import type { Channel } from '../domain/notification';

/** Outcome of the provisioning transaction. */
export type ProvisionOutcome = 'PROVISIONED' | 'TERMINAL_UNAVAILABLE' | 'STALE';

/** Status of a notification send record (SENDING while claimed; the others are outcomes). */
export type SendStatus = 'SENDING' | 'SENT' | 'FAILED' | 'SUPPRESSED' | 'RATE_LIMITED';

/** One send record: (subject, template, channel), the masked recipient and how it went. */
export interface SendRecord {
  readonly subjectId: string;
  readonly template: string;
  readonly channel: Channel;
  /** Masked (`138****8000`, `z***@example.com`): the record never holds the address. */
  readonly recipient: string;
  readonly status: SendStatus;
  /** Claims so far: the provider was called at most this many times. */
  readonly attempts: number;
  readonly claimedAt: string;
  readonly completedAt?: string;
  readonly providerMessageId?: string;
}

/** Merchants, numbering sequences, terminals and send records. */
export interface MerchantRepository {
  /** Atomically allocates the next merchant number of a prefix (1, 2, …; never reused). */
  nextMerchantSequence(prefix: string): Promise<number>;
  /** Atomically allocates the next terminal-ID number (1, 2, …; never reused). */
  nextTerminalSequence(): Promise<number>;
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
  /**
   * Whether a merchant with this number exists and may take terminals (PENDING_ACTIVATION or
   * ACTIVE) — one answer for unknown and not-accepting numbers, read without opening any field.
   */
  acceptsTerminals(merchantNo: string): Promise<boolean>;
  merchantTerminals(merchantNo: string): Promise<MerchantTerminalRecord[]>;
}

/** Exactly-once bookkeeping of notifications: claim before sending, record after. */
export interface SendRecordRepository {
  /**
   * Claims (subject, template, channel) for one attempt and returns the attempt's number (1, 2, …);
   * `undefined` when it was claimed, sent or ended before. Only a FAILED record may be claimed again.
   */
  claim(input: {
    subjectId: string;
    template: string;
    channel: Channel;
    recipient: string;
    at: string;
    /** Epoch seconds after which the table's TTL may delete the record. */
    expiresAt?: number;
  }): Promise<number | undefined>;
  complete(input: {
    subjectId: string;
    template: string;
    channel: Channel;
    status: Exclude<SendStatus, 'SENDING'>;
    providerMessageId?: string;
    at: string;
  }): Promise<void>;
  get(subjectId: string, template: string, channel: Channel): Promise<SendRecord | undefined>;
}

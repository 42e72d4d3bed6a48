import type { TerminalStatus } from './merchant';
import type { NotificationNote } from './notification';

/** Wrong activation codes allowed before the terminal is locked (spec 4.1). */
export const MAX_ACTIVATION_ATTEMPTS = 5;

/** Activation codes are valid for 30 days (spec 4.1). */
export const ACTIVATION_CODE_DAYS = 30;

/**
 * Activation codes one terminal may ever be issued, across bindings, transfers and reissues: each
 * code allows {@link MAX_ACTIVATION_ATTEMPTS} guesses, so a terminal can never be guessed more than
 * 5 × 20 = 100 times out of 10⁶ codes. Reaching it refuses further codes and raises an alarm
 * (`ActivationCodeCapReached`): a terminal that needed this many codes is an incident, not routine.
 */
export const MAX_ACTIVATION_CODES_PER_TERMINAL = 20;

/**
 * Days after an unbinding during which binding the SN to another merchant needs a second
 * operator's approval: moving a bound terminal between merchants is a transfer (the receiver
 * accepts, a reviewer approves with a phone call-back), never one operator's unbind + bind.
 */
export const REBIND_HOLD_DAYS = 30;

/** How long a first operator's request to bind a held SN waits for a second operator. */
export const REBIND_APPROVAL_HOURS = 24;

/** The stored terminal: stock record and, while bound, the binding marker of its SN (一机一码). */
export interface TerminalRecord {
  readonly serialNumber: string;
  readonly model: string;
  readonly status: TerminalStatus;
  readonly registeredAt: string;
  readonly merchantNo?: string;
  readonly terminalId?: string;
  readonly boundAt?: string;
  /** Keyed hash of the current activation code; the code itself exists only in its SMS. */
  readonly activationCodeHash?: string;
  readonly activationExpiresAt?: string;
  /** Attempts reserved against the current code (each reserved before its code is compared). */
  readonly activationAttempts?: number;
  /** Activation codes ever issued for this SN (never reset; see MAX_ACTIVATION_CODES_PER_TERMINAL). */
  readonly activationCodesIssued?: number;
  /**
   * The operator reissue that holds the next code, and until when (see `reserveActivationIssue`):
   * one reissue at a time, so the code of the last SMS is always the stored one.
   */
  readonly activationIssueId?: string;
  readonly activationIssueLeaseUntil?: string;
  /** The transfer request under way for this SN (one at a time). */
  readonly openTransferId?: string;
  /** Suspended by a reviewer's decision on a risk alert: activation and test transactions are refused. */
  readonly suspended?: boolean;
  readonly suspension?: { readonly taskId: string; readonly by: string; readonly at: string };
  /** The merchant the SN was last unbound from, and when (kept after the unbinding). */
  readonly lastUnboundFrom?: string;
  readonly lastUnboundAt?: string;
  /** A first operator's request to bind the held SN to `rebindMerchantNo`, waiting for a second. */
  readonly rebindMerchantNo?: string;
  readonly rebindRequestedBy?: string;
  readonly rebindRequestedAt?: string;
}

/**
 * One entry of a terminal's history (bindings, unbindings, transfers, activation...); an activation
 * code that did not reach the merchant (`NOTIFICATION_*`) adds channel, template and masked recipient.
 */
export interface TerminalHistoryEntry extends Partial<NotificationNote> {
  readonly action: string;
  readonly at: string;
  readonly actor: string;
  readonly merchantNo?: string;
  readonly terminalId?: string;
  readonly reason?: string;
}

/** Statuses in which an SN is bound to a merchant. */
export const BOUND_STATUSES: readonly TerminalStatus[] = ['BOUND', 'ACTIVATED', 'VERIFIED'];

/** Transfer request states (spec 4.1). */
export type TransferStatus =
  | 'AWAITING_ACCEPTANCE'
  | 'PENDING_REVIEW'
  | 'COMPLETED'
  | 'REJECTED'
  | 'CANCELLED'
  | 'EXPIRED';

/** One audit entry of a transfer request. */
export interface TransferTimelineEntry extends Partial<NotificationNote> {
  readonly status: TransferStatus;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
}

/** A request to move a bound terminal to another merchant (一机一码后更改商户). */
export interface TransferRequestRecord {
  readonly transferRequestId: string;
  readonly serialNumber: string;
  readonly fromMerchantNo: string;
  readonly toMerchantNo: string;
  /** The terminal ID under the sending merchant. */
  readonly fromTerminalId: string;
  /** The new terminal ID under the receiving merchant, once completed. */
  readonly toTerminalId?: string;
  readonly reason: string;
  readonly status: TransferStatus;
  readonly reasons: readonly { field: string; code: string; reason: string }[];
  /** Audit entries; `NOTIFICATION_*` entries add channel, template and masked recipient. */
  readonly timeline: readonly TransferTimelineEntry[];
  readonly executionArn: string;
  /** Token of the workflow waiting for the receiving merchant's acceptance. */
  readonly acceptanceToken?: string;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Transfer states in which the sender may still cancel (spec: before review). */
export const CANCELLABLE_TRANSFER_STATUSES: readonly TransferStatus[] = [
  'AWAITING_ACCEPTANCE',
  'PENDING_REVIEW',
];

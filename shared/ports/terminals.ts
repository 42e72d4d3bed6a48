import type { MerchantStatus } from '../domain/merchant';
import type { TerminalHistoryEntry, TerminalRecord, TransferRequestRecord } from '../domain/terminal';

/** Why a binding write was refused. */
export type BindRefusal =
  | 'TERMINAL_NOT_FOUND'
  | 'TERMINAL_ALREADY_BOUND'
  | 'TERMINAL_LIMIT'
  | 'MERCHANT_NOT_ACTIVE'
  /** Unbound from another merchant since `holdSince`, and no other operator's request to approve. */
  | 'REBIND_NEEDS_APPROVAL';

/**
 * The reads of terminals, for the uses that write none (the onboarding's stock check, the
 * object-level guard, the terminal view): their adapter carries no write of
 * {@link TerminalRepository}, which extends this.
 */
export interface TerminalReader {
  get(serialNumber: string): Promise<TerminalRecord | undefined>;
  /** The status of a merchant (its plain attribute only), to refuse a suspended one. */
  merchantStatus(merchantNo: string): Promise<MerchantStatus | undefined>;
  history(serialNumber: string): Promise<TerminalHistoryEntry[]>;
}

/**
 * Terminals. Every invariant of 一机一码 is a condition of one write or transaction here: the SN's
 * own item is the binding marker (`status = IN_STOCK` to bind), the merchant's `terminalCount`
 * is bounded in the same transaction, and nothing is decided by a read before a write.
 */
export interface TerminalRepository extends TerminalReader {
  register(input: { serialNumber: string; model: string; at: string; actor: string }): Promise<boolean>;
  /**
   * IN_STOCK → BOUND to the merchant, count +1 (≤ limit), in one transaction — unless the SN was
   * unbound from another merchant after `holdSince`, in which case only an approval does: a request
   * to bind it to this merchant made after `approvalSince` by another actor ({@link requestRebind}).
   */
  bind(input: {
    serialNumber: string;
    merchantNo: string;
    terminalId: string;
    at: string;
    actor: string;
    holdSince: string;
    approvalSince: string;
    /** Why the history shows this binding (an approved request: who asked). */
    reason?: string;
  }): Promise<BindRefusal | undefined>;
  /**
   * Records `actor`'s request to bind a held SN (in stock, unbound from another merchant after
   * `holdSince`) to `merchantNo`, replacing any earlier request; false when the SN is no longer so.
   */
  requestRebind(input: {
    serialNumber: string;
    merchantNo: string;
    actor: string;
    at: string;
    holdSince: string;
  }): Promise<boolean>;
  /**
   * Bound to `merchantNo` → IN_STOCK, count −1, binding and activation data removed, the merchant
   * and time kept as the last unbinding; false if not bound to it.
   */
  unbind(input: {
    serialNumber: string;
    merchantNo: string;
    at: string;
    actor: string;
    reason: string;
  }): Promise<boolean>;
  /**
   * Reserves the next code of a BOUND terminal of `merchantNo` for one reissue, for a lease that
   * ends at `leaseUntil` or on {@link releaseActivationIssue}: while it holds, no other reissue can
   * reserve, so codes are stored and texted in the same order. false when another reissue holds it.
   */
  reserveActivationIssue(input: {
    serialNumber: string;
    merchantNo: string;
    issueId: string;
    now: string;
    leaseUntil: string;
  }): Promise<boolean>;
  /** Ends the lease of `issueId` (its SMS went out, or could not); a no-op once another holds it. */
  releaseActivationIssue(serialNumber: string, issueId: string): Promise<void>;
  /**
   * New activation code (hash) on a BOUND terminal of `merchantNo`: attempts reset, lock lifted,
   * and the terminal's lifetime count of codes +1, at most `lifetimeCap`. With `reservedIssueId`,
   * only while that reissue still holds the reservation; without it, any reservation is dropped
   * (the newer code wins). `CODE_LIMIT` when the terminal has had `lifetimeCap` codes already,
   * `NOT_BOUND` when it is not bound to the merchant (or the reservation was lost).
   */
  setActivationCode(input: {
    serialNumber: string;
    merchantNo: string;
    codeHash: string;
    expiresAt: string;
    lifetimeCap: number;
    reservedIssueId?: string;
  }): Promise<'SET' | 'NOT_BOUND' | 'CODE_LIMIT'>;
  /**
   * Reserves one attempt against the stored code before the presented one is compared: +1 only
   * while the code is still `codeHash`, unexpired at `now` and under `limit` attempts; returns the
   * new count (`undefined`: refused). Concurrent guesses can so never compare more than `limit` codes.
   */
  reserveAttempt(input: {
    serialNumber: string;
    codeHash: string;
    limit: number;
    now: string;
  }): Promise<number | undefined>;
  /** BOUND → ACTIVATED if the code, its expiry and the attempt count (its own reserved one included) still allow it. */
  activate(input: {
    serialNumber: string;
    merchantNo: string;
    codeHash: string;
    at: string;
    limit: number;
  }): Promise<boolean>;
  /** ACTIVATED → VERIFIED and the merchant → ACTIVE, in one transaction. */
  markVerified(input: {
    serialNumber: string;
    merchantNo: string;
    at: string;
    saleId: string;
  }): Promise<boolean>;
  /** Appends a history entry. */
  addHistory(serialNumber: string, entry: TerminalHistoryEntry): Promise<void>;
}

/** Where a new activation code's hash is stored: all that issuing a code writes. */
export type ActivationCodeStore = Pick<TerminalRepository, 'setActivationCode'>;

/** Why a transfer could not complete. */
export type TransferCompletion = 'COMPLETED' | 'TERMINAL_LIMIT' | 'STALE';

/** Transfer requests. */
export interface TransferRepository {
  get(transferRequestId: string): Promise<TransferRequestRecord | undefined>;
  /** Creates the request and marks the SN (one open transfer per SN, bound to the sender); false if refused. */
  create(record: TransferRequestRecord): Promise<boolean>;
  /** Writes `next` if the stored revision is `expectedRevision`; `releaseTerminal` clears the SN's mark. */
  save(next: TransferRequestRecord, expectedRevision: number, releaseTerminal?: boolean): Promise<boolean>;
  /**
   * One transaction: the SN leaves the sender (count −1) and is bound to the receiver with a new
   * terminal ID (count +1, ≤ limit), the history records it, and the request becomes COMPLETED.
   */
  complete(input: {
    transfer: TransferRequestRecord;
    toTerminalId: string;
    at: string;
    actor: string;
  }): Promise<TransferCompletion>;
}

/** A card sale or void result from the acquirer's payment host. */
export interface PaymentHostResult {
  readonly approved: boolean;
  /** ISO 8583 style response code (`00` approved). */
  readonly responseCode: string;
  readonly transactionId: string;
}

/**
 * The acquirer's payment host, for the test transaction after activation: a 0.01 CNY sale and
 * its void. Plug in a real host by implementing these two calls (e.g. over the host's ISO 8583
 * or HTTPS gateway) and returning its response code; amounts are in fen (1 = 0.01 CNY).
 */
export interface PaymentHost {
  sale(input: {
    merchantNo: string;
    terminalId: string;
    amountFen: number;
    currency: 'CNY';
    reference: string;
  }): Promise<PaymentHostResult>;
  voidSale(input: {
    merchantNo: string;
    terminalId: string;
    saleId: string;
    reference: string;
  }): Promise<PaymentHostResult>;
}

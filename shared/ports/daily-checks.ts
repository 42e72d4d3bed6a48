import type { RuleHit, TerminalWindow, UsageCounters } from '../daily-checks/rules';
import type { CardType, Limits } from '../daily-checks/settings';
import type { TransactionRecord } from '../daily-checks/transaction';
import type { MerchantStatus } from '../domain/merchant';
import type { ReviewTaskRecord } from '../domain/review';
import type { MerchantType } from '../validation/application-schema';

/*
 * The store of the daily checks (spec section 8): usage counters, transaction markers, terminal
 * windows, limits, the activity index and the daily run. Every invariant is a condition of one
 * write or transaction (a transaction counted once, one alert per merchant/rule/day, one open
 * limit request per card type, one run per day).
 */

/** What the checks read of a merchant (plain attributes of its item: no field is opened). */
export interface MerchantProfile {
  readonly merchantNo: string;
  readonly type: MerchantType;
  readonly status: MerchantStatus;
  readonly divisionCode: string;
  readonly locale: 'zh-CN' | 'en';
  readonly contact: { readonly email: string; readonly phone: string };
}

/** A merchant's own limits (over the defaults of its type), with their version. */
export interface StoredLimits {
  readonly limits: Partial<Limits>;
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** A stream record that could not be counted, set aside. */
export interface RejectedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly reason: string;
  /** The record's bytes, base64 (at most 4 KB kept). */
  readonly data: string;
  readonly at: string;
}

/** Everything one chunk of one merchant's records writes, all or nothing. */
export interface ChunkWrite {
  readonly merchantNo: string;
  /** Each counted transaction's marker (its condition: not seen before). */
  readonly markers: readonly TransactionRecord[];
  /** Counters as they become, each guarded by the version it was read at. */
  readonly days: readonly { day: string; expectedVer: number; counters: UsageCounters }[];
  readonly months: readonly { month: string; expectedVer: number; counters: UsageCounters }[];
  readonly windows: readonly {
    serialNumber: string;
    terminalId: string;
    expectedVer: number;
    window: TerminalWindow;
    /** Set when the terminal's last approved sale moved to a new day: it is dormant on this day unless it sells again. */
    dormantOn?: string;
  }[];
  /** Days to add to the activity index. */
  readonly activeDays: readonly string[];
  /** Alerts to open (their condition: none for this merchant, rule and day yet). */
  readonly alerts: readonly ReviewTaskRecord[];
  /** TTL of the markers (epoch seconds). */
  readonly markerExpiresAt: number;
}

/** Why a chunk was refused: the caller drops what was seen and retries with fresh state. */
export interface ChunkRefusal {
  /** Transactions counted before (redelivered). */
  readonly seen: readonly string[];
  /** Alerts that exist already. */
  readonly existingAlerts: readonly string[];
  /** A counter or window changed since it was read. */
  readonly stale: boolean;
}

/** A daily summary of one merchant and day. */
export interface DailySummary {
  readonly day: string;
  readonly cards: Record<CardType, { count: number; amountFen: number; declines: number; alerts: number }>;
}

/** The daily run of one day. */
export interface DailyRunRecord {
  readonly day: string;
  readonly status: 'RUNNING' | 'COMPLETED';
  readonly startedAt: string;
  readonly completedAt?: string;
  readonly shardsDone: readonly number[];
  readonly merchants: number;
  readonly alerts: number;
}

/** A merchant as the daily checks see it, and its limits: what their rules and decisions read. */
export interface MerchantLimitsReader {
  merchantProfile(merchantNo: string): Promise<MerchantProfile | undefined>;
  storedLimits(merchantNo: string): Promise<StoredLimits | undefined>;
}

/** A replacement of a merchant's limits, with the audit entry it writes. */
export interface LimitsWrite {
  readonly merchantNo: string;
  readonly limits: Partial<Limits>;
  readonly expectedVersion: number;
  readonly at: string;
  readonly actor: string;
  readonly reason: string;
  readonly source: 'OPERATOR' | 'LIMIT_INCREASE' | 'LOWER_LIMITS';
  readonly taskId?: string;
}

/**
 * One change of a merchant's limits as its audit entry keeps it (written with the change, see
 * {@link LimitsWrite}): ids, figures, the source and the staff member's reason, no personal data.
 */
export interface LimitAuditEntry {
  readonly at: string;
  /** `staff:<sub>`: the operator who set the limits, or the reviewer who decided the task. */
  readonly actor: string;
  readonly reason: string;
  readonly source: LimitsWrite['source'];
  /** The version of the limits this change made. */
  readonly version: number;
  /** The card types of the merchant's own limits after the change, as `limits.<cardType>`. */
  readonly fields: readonly string[];
  /** The merchant's own limits after the change. */
  readonly limits: Partial<Limits>;
  /** The review task decided (LIMIT_INCREASE, LOWER_LIMITS). */
  readonly taskId?: string;
}

/** One page of a merchant's limit audit, newest first. */
export interface LimitAuditPage {
  readonly items: readonly LimitAuditEntry[];
  /** The entry just older than the page's last one (what that change is compared with), if any. */
  readonly older?: LimitAuditEntry;
  /** Where the next page starts: present exactly when there are older entries. */
  readonly cursor?: string;
}

/** A merchant's usage counters and a terminal's window: what the limits route and the rules read. */
export interface UsageReader extends MerchantLimitsReader {
  day(merchantNo: string, day: string): Promise<UsageCounters | undefined>;
  month(merchantNo: string, month: string): Promise<UsageCounters | undefined>;
  window(serialNumber: string): Promise<TerminalWindow | undefined>;
}

/** What the transaction stream's consumer reads and writes. */
export interface TransactionIngestStore extends UsageReader {
  setAside(record: RejectedRecord): Promise<void>;
  /** undefined when written; the refusal otherwise. */
  commitChunk(write: ChunkWrite): Promise<ChunkRefusal | undefined>;
}

/** What the limit routes write: the operator's change and the merchant's request. */
export interface LimitWriter extends MerchantLimitsReader {
  /** Replaces a merchant's limits if their version is still `expectedVersion`, with an audit entry; false otherwise. */
  putLimits(input: LimitsWrite): Promise<boolean>;
  /** The request's task with its open-request marker, in one transaction; false if one is open for the card type. */
  openLimitRequest(task: ReviewTaskRecord): Promise<boolean>;
}

/** A merchant's limit audit. */
export interface LimitAuditReader extends MerchantLimitsReader {
  /**
   * One page of a merchant's limit audit, newest first: at most `limit` entries from `cursor` (a
   * cursor of this merchant's audit only: any other is a 400 at `query.cursor`).
   */
  limitAudit(merchantNo: string, page: { limit: number; cursor?: string }): Promise<LimitAuditPage>;
}

/** A merchant's daily summaries. */
export interface DailySummaryReader extends MerchantLimitsReader {
  summaries(merchantNo: string, from: string, to: string): Promise<DailySummary[]>;
}

/** What the daily run reads and writes. */
export interface DailyRunStore extends UsageReader {
  putSummary(merchantNo: string, summary: DailySummary, at: string): Promise<void>;
  /** One page of the merchants with activity on `day` in one index shard. */
  activeMerchants(
    day: string,
    shard: number,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ merchantNos: string[]; cursor?: string }>;
  /** The terminals whose last approved sale was on `lastSaleDay` and that have not sold since. */
  dormantTerminals(
    dueDay: string,
    lastSaleDay: string,
  ): Promise<{ serialNumber: string; merchantNo: string; terminalId: string; lastSaleDay: string }[]>;
  /** Creates the run record of `day` unless it exists; returns the record as it is. */
  startRun(day: string, at: string): Promise<DailyRunRecord>;
  getRun(day: string): Promise<DailyRunRecord | undefined>;
  /** Claims the next page of a shard once (a redelivered page message does not fork the chain). */
  claimPage(day: string, shard: number, page: number): Promise<boolean>;
  /** Marks a shard done; returns the run as it becomes. */
  finishShard(day: string, shard: number, merchants: number, alerts: number): Promise<DailyRunRecord>;
  completeRun(day: string, at: string): Promise<boolean>;
  /** Opens an alert found by the daily run (OFF_HOURS), with its day's alert count; false if it exists. */
  openAlert(task: ReviewTaskRecord, day: string, cardType: CardType): Promise<boolean>;
}

/**
 * The whole store (each function takes the narrow port its use case calls, so that its bundle
 * carries only those methods: class methods are never tree-shaken).
 */
export interface DailyCheckStore
  extends TransactionIngestStore,
    LimitWriter,
    LimitAuditReader,
    DailySummaryReader,
    DailyRunStore {
  /** The records set aside on `day` (at most `limit`). */
  rejected(day: string, limit: number): Promise<RejectedRecord[]>;
}

/** The rule hits of a chunk become review tasks: their draft. */
export type AlertDraft = RuleHit & { readonly merchantNo: string };

/** What a decided RISK_ALERT or LIMIT_INCREASE task changes, in the same transaction as the decision. */
export type DecisionEffect =
  | { readonly kind: 'none' }
  | { readonly kind: 'suspend-merchant'; readonly merchantNo: string }
  | { readonly kind: 'suspend-terminal'; readonly merchantNo: string; readonly serialNumber: string }
  | {
      readonly kind: 'set-limits';
      readonly merchantNo: string;
      readonly limits: Partial<Limits>;
      readonly expectedVersion: number;
      readonly source: 'LIMIT_INCREASE' | 'LOWER_LIMITS';
      /** Why, for the limits audit trail. */
      readonly reason: string;
    };

/** A reviewer's decision of a task decided without a workflow. */
export interface TaskDecision {
  readonly task: ReviewTaskRecord;
  readonly decision: ReviewTaskRecord['decision'] & string;
  readonly reasons: readonly { field: string; reason: string }[];
  /** The reviewer: the write is refused while anyone else holds a live claim on the task. */
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly effect: DecisionEffect;
  /** LIMIT_INCREASE: the open-request marker the decision closes. */
  readonly closesRequest?: { readonly merchantNo: string; readonly cardType: string };
}

/**
 * The decision and its effect, or why not: the task is no longer as read (decided, escalated, or
 * held by another reviewer's live claim: read it again), or the subject changed (read again).
 */
export type DecisionOutcome = 'DECIDED' | 'TASK_CHANGED' | 'SUBJECT_CHANGED';

/** Reads what a decision checks, and writes it with its effect (see {@link DecisionEffect}). */
export interface DailyCheckDecisions extends MerchantLimitsReader {
  decide(input: TaskDecision): Promise<DecisionOutcome>;
}

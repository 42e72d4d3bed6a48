/**
 * Single-table design: every DynamoDB key of the product is built here and nowhere else.
 * Keys never contain personal data: licence and ID numbers, email addresses and phone numbers
 * appear only as keyed hashes (HMAC).
 *
 * | Access pattern                                  | Key condition                                      |
 * |-------------------------------------------------|----------------------------------------------------|
 * | Application by id                               | pk = APP#<applicationId>, sk = APP                 |
 * | Idempotent application create (per key, for life) | pk = APP#<id from sha256(scope, key)>, sk = APP  |
 * | First token of an application, for replays (24 h, until first use) | pk = REPLAY#<applicationId>, sk = REPLAY |
 * | Idempotent change request (per key, 24 h TTL)   | pk = IDEM#<sha256(scope, key)>, sk = IDEM          |
 * | Review task by id                               | pk = TASK#<taskId>, sk = TASK                      |
 * | Token of the workflow waiting on a review task   | pk = WAIT#<taskId>, sk = WAIT (TTL)                |
 * | Pending review queue, oldest first (paginated)  | GSI1: gsi1pk = REVIEWQ#PENDING, gsi1sk = <createdAt>#<taskId> |
 * | Pending review tasks of one kind, oldest first  | GSI2 (keys only): gsi2pk = REVIEWKQ#<kind>, gsi2sk = <createdAt>#<taskId> |
 * | Escalated pending review tasks, oldest first    | GSI3 (keys only): gsi3pk = REVIEWEQ#PENDING, gsi3sk = <createdAt>#<taskId> |
 * | Review queue counters (pending, escalated, by kind) | pk = REVIEWSTATS#QUEUE, sk = REVIEWSTATS       |
 * | Review decisions and escalations of a day (Asia/Shanghai) | pk = REVIEWSTATS#DAY, sk = <yyyy-mm-dd>     |
 * | Merchant by merchant number                     | pk = MER#<merchantNo>, sk = MER                    |
 * | Terminals of a merchant                         | pk = MER#<merchantNo>, sk begins_with TERM#        |
 * | Merchant-number sequence (per prefix)           | pk = SEQ#MERCHANT#<acquirer+area+mcc>, sk = SEQ    |
 * | Terminal-ID sequence                            | pk = SEQ#TERMINAL, sk = SEQ                        |
 * | Uniqueness marker (licence / legal-person ID)   | pk = UNIQ#<kind>#<hmac>, sk = UNIQ                 |
 * | Terminal (stock, binding marker) by SN          | pk = TERM#<sn>, sk = TERM                          |
 * | Terminal history, in time order                 | pk = TERM#<sn>, sk begins_with HIST#               |
 * | Notification send record (exactly once)         | pk = SEND#<subjectId>, sk = <template>#<channel>   |
 * | Blocklist entry                                 | pk = BLOCK#<kind>#<hmac>, sk = BLOCK               |
 * | Change request by id                            | pk = CHANGE#<changeRequestId>, sk = CHANGE         |
 * | Open change request of a merchant (at most one) | pk = MER#<merchantNo>, sk = CHANGE#OPEN            |
 * | Versions of a merchant, oldest first            | pk = MER#<merchantNo>, sk begins_with VER# (VER#<6 digits>) |
 * | Terminal-transfer request by id                 | pk = TRANSFER#<transferRequestId>, sk = TRANSFER   |
 * | Suppressed address (bounce, complaint, opt-out) | pk = SUPPRESS#<channel>#<hmac(address)>, sk = SUPPRESS |
 * | Streamed transaction marker (seen once, TTL)    | pk = TXN#<transactionId>, sk = TXN                 |
 * | Usage of a merchant per day / month             | pk = USAGE#<merchantNo>, sk = DAY#<yyyy-mm-dd> / MONTH#<yyyy-mm> |
 * | Daily summaries of a merchant, by day           | pk = USAGE#<merchantNo>, sk between SUM#<from> and SUM#<to> |
 * | Limits of a merchant (overrides of the defaults) | pk = LIMIT#<merchantNo>, sk = LIMIT               |
 * | Limit audit of a merchant, in time order        | pk = LIMIT#<merchantNo>, sk begins_with AUDIT#     |
 * | Open limit-increase request per card type       | pk = LIMIT#<merchantNo>, sk = REQ#<cardType>       |
 * | Recent sales window of a terminal               | pk = TACT#<sn>, sk = WINDOW                        |
 * | Merchants with activity on a day (16 shards)    | pk = ACTIVE#<yyyy-mm-dd>#<00..15>, sk = <merchantNo> |
 * | Terminals whose last sale makes them dormant on a day | pk = DORMANT#<yyyy-mm-dd>#<00..15>, sk = <sn> |
 * | Daily run of a day, and its pages               | pk = RUN#<yyyy-mm-dd>, sk = RUN / PAGE#<shard>#<n> |
 * | Malformed stream record, set aside              | pk = REJECT#<yyyy-mm-dd>, sk = <shardId>#<sequenceNumber> |
 * | Applications closed / drafted on a day (retention) | GSI2 (keys only): gsi2pk = RETAIN#CLOSED#<day> or RETAIN#DRAFT#<day>, gsi2sk = <applicationId> |
 * | Progress of the retention sweep                 | pk = RETAIN#PROGRESS, sk = RETAIN                  |
 * | One-time code of a purpose, subject and channel (TTL) | pk = OTC#<purpose>#<subjectId>#<channel>, sk = OTC |
 * | Messages of a pool to an address in one clock hour (TTL) | pk = QUOTA#<pool>#<hmac(address)>#<yyyy-mm-ddThh>, sk = QUOTA |
 * | Fee plan version (immutable)                    | pk = FEEPLAN#CODE#<code>, sk = V#<6 digits>        |
 * | Current version of every fee plan, by code      | pk = FEEPLAN#LIST, sk = <code>                     |
 * | Agreement version of a merchant                 | pk = AGR#<merchantNo>, sk = V#<6 digits>           |
 * | Newest agreement version first                  | pk = AGR#<merchantNo>, sk begins_with V#, descending |
 * | Agreement head (newest and signed version)      | pk = AGR#<merchantNo>, sk = HEAD                   |
 * | Webhook endpoints (all, or one)                 | pk = WEBHOOK#ENDPOINTS, sk = EP#<endpointId>       |
 * | Deliveries of an endpoint, newest event first   | pk = WHDELIVERY#<endpointId>, sk = <eventId> (time-ordered ids) |
 * | Event delivered to webhooks, by id (TTL)        | pk = EVENT#<eventId>, sk = EVENT                   |
 *
 * An application is its own idempotency record: its id derives from the scoped hash of the
 * Idempotency-Key (`applicationIdFor`), the item keeps the create body's hash (`requestHash`), and
 * the create is one PutItem on `attribute_not_exists(pk)` that returns the holder when refused. So
 * an application key stays bound to its application for the application's lifetime (not 24 h),
 * and application ids are not time-sortable: nothing orders by them (the review queue orders by
 * the task's submission time, `gsi1sk = <createdAt>#<taskId>`).
 *
 * Every partition key starts with the prefix of its family ({@link KEY_FAMILIES}): what a
 * function may read or write is said per family (IAM `dynamodb:LeadingKeys`).
 *
 * Each key builder is an export of its own, and callers import the module as a namespace
 * (`import * as keys from './keys'`, then `keys.application(id)`): a bundle keeps only the
 * builders its function calls, where one object of builders kept all of them in every function.
 */

/** Partition/sort key pair. */
export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

/**
 * Key schema of the single table (CDK creates it, the local stack mirrors it): attribute names of
 * the keys built below.
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /**
   * The retention index (keys only): rejected, withdrawn and expired applications by the
   * Asia/Shanghai day they closed, drafts by the day they were created, so the retention sweep
   * queries one partition per day and never scans; and pending review tasks by kind (partitions
   * `REVIEWKQ#<kind>`), so the supervisor view reads the oldest of each kind in one item.
   */
  gsi2: { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /**
   * The escalated queue (keys only, sparse): only a pending task that is escalated carries its
   * keys, so the escalated tasks are listed oldest first without reading the rest of the queue.
   */
  gsi3: { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  /** Epoch seconds; DynamoDB TTL deletes expired drafts, idempotency records and similar. */
  ttlAttribute: 'expiresAt',
} as const;

/** Name of the review queue's global secondary index. */
export const GSI1 = TABLE_SCHEMA.gsi1.indexName;

/** Name of the retention index. */
export const GSI2 = TABLE_SCHEMA.gsi2.indexName;

/** Name of the escalated review queue's index. */
export const GSI3 = TABLE_SCHEMA.gsi3.indexName;

/** The two partitions of the retention index: applications that closed, drafts never submitted. */
export type RetentionKind = 'CLOSED' | 'DRAFT';

/** Partition value of the pending review queue on GSI1. */
export const REVIEW_QUEUE_PENDING = 'REVIEWQ#PENDING';

/** Kinds of uniqueness markers and blocklist entries (the values are keyed hashes). */
export type IdentityKind = 'LICENSE' | 'ID' | 'ACCOUNT';

/**
 * The partition-key prefix of each family of items (`reviewQueue` is GSI1's partition key). A
 * family is the unit of table access in the manifest (IAM `dynamodb:LeadingKeys`).
 */
export const KEY_FAMILIES = {
  application: 'APP#',
  /**
   * The first access token of an application (sealed), which a replay of its create may answer
   * until the token is first used; apart from the application so that a route that only reads
   * the application (GET) can still forget it.
   */
  tokenReplay: 'REPLAY#',
  idempotency: 'IDEM#',
  reviewTask: 'TASK#',
  /**
   * The Step Functions token of the wait on a review task, apart from the task so that only the
   * functions that wait or hand a decision over can read it (whoever holds it can resume the wait).
   */
  reviewWait: 'WAIT#',
  reviewQueue: 'REVIEWQ#',
  /** GSI2's partitions of pending review tasks by kind (index only: DynamoDB writes them). */
  reviewKindQueue: 'REVIEWKQ#',
  /** GSI3's one partition: the escalated pending review tasks (index only, like the two above). */
  reviewEscalatedQueue: 'REVIEWEQ#',
  /** A merchant, its terminal list, its versions and its open-change-request marker. */
  merchant: 'MER#',
  sequence: 'SEQ#',
  uniqueness: 'UNIQ#',
  /** A terminal and its history. */
  terminal: 'TERM#',
  sendRecord: 'SEND#',
  blocklist: 'BLOCK#',
  changeRequest: 'CHANGE#',
  transferRequest: 'TRANSFER#',
  suppression: 'SUPPRESS#',
  /** A streamed transaction seen once (the redelivery guard), with its figures as evidence. */
  transaction: 'TXN#',
  /** A merchant's usage counters (day, month) and its daily summaries. */
  usage: 'USAGE#',
  /** A merchant's limits, their audit and its open limit-increase requests. */
  limits: 'LIMIT#',
  /** A terminal's recent sales (the window of the velocity and split rules). */
  terminalActivity: 'TACT#',
  /** The merchants with activity on a day (the daily run's index: no Scan). */
  activity: 'ACTIVE#',
  /** The terminals that become dormant on a day unless they sell again. */
  dormancy: 'DORMANT#',
  /** One daily run and its pages. */
  dailyRun: 'RUN#',
  /** Stream records that could not be read, with the reason. */
  rejectedRecord: 'REJECT#',
  /** The retention index's partitions (GSI2 partition key) and the sweep's progress item. */
  retention: 'RETAIN#',
  /** One-time codes (shared/one-time-codes/): the live code of a purpose, subject and channel. */
  oneTimeCode: 'OTC#',
  /** Hourly per-address send counters (SMS, activation-code SMS, email). */
  sendQuota: 'QUOTA#',
  /** Fee plans: every version of a code and the list of current versions. */
  feePlan: 'FEEPLAN#',
  /** A merchant's agreement versions and their head (signature codes are one-time codes, `OTC#`). */
  agreement: 'AGR#',
  /** The webhook endpoints (one partition: operators keep a handful). */
  webhookEndpoint: 'WEBHOOK#',
  /** The deliveries of one webhook endpoint, by event. */
  webhookDelivery: 'WHDELIVERY#',
  /** A domain event delivered to at least one webhook endpoint (for redelivery). */
  event: 'EVENT#',
  /**
   * The supervisor view's counters: the queue's depth and escalations by kind, decisions and
   * escalations per day; kept by the writes that change them, in the same transaction.
   */
  reviewStats: 'REVIEWSTATS#',
} as const;

/** A family of items, by its partition-key prefix. */
export type KeyFamily = keyof typeof KEY_FAMILIES;

/**
 * The families whose partitions exist only in an index (no item has such a `pk`): a function that
 * reads them is granted a Query of that index, never item access.
 */
export const INDEX_ONLY_FAMILIES: readonly KeyFamily[] = [
  'reviewQueue',
  'reviewKindQueue',
  'reviewEscalatedQueue',
];

/** The family of a partition key value (`undefined` for one of no family). */
export function familyOfKey(partitionKey: string): KeyFamily | undefined {
  return (Object.keys(KEY_FAMILIES) as KeyFamily[]).find((family) =>
    partitionKey.startsWith(KEY_FAMILIES[family]),
  );
}

const F = KEY_FAMILIES;

/** Sort key of a uniqueness marker (its partition key is what the application stores). */
const MARKER_SK = 'UNIQ';

/** Prefix of a merchant version's sort key, followed by the zero-padded version number. */
const VERSION_SK_PREFIX = 'VER#';

/** Sort key of a fee-plan or agreement version: zero-padded so that sort keys order numerically. */
const numberedVersion = (version: number) => `V#${String(version).padStart(6, '0')}`;

/*
 * The key builders: one per row of the access-pattern table above, named after the item they key
 * (`keys.application(id)`); a comment says what a name alone does not.
 */

export const application = (applicationId: string): TableKey => ({
  pk: `${F.application}${applicationId}`,
  sk: 'APP',
});

/** The sealed first token of an application that a replay of its create may answer. */
export const tokenReplay = (applicationId: string): TableKey => ({
  pk: `${F.tokenReplay}${applicationId}`,
  sk: 'REPLAY',
});

/** A change request's Idempotency-Key (applications need none: see the table above). */
export const idempotency = (scopedKeyHash: string): TableKey => ({
  pk: `${F.idempotency}${scopedKeyHash}`,
  sk: 'IDEM',
});

export const reviewTask = (taskId: string): TableKey => ({ pk: `${F.reviewTask}${taskId}`, sk: 'TASK' });

/** The token of the workflow now waiting on review task `taskId` (expires by TTL). */
export const reviewWait = (taskId: string): TableKey => ({ pk: `${F.reviewWait}${taskId}`, sk: 'WAIT' });

/** GSI1 attributes that put a task in the pending queue (removed when it leaves the queue). */
export const reviewQueueEntry = (createdAt: string, taskId: string) => ({
  gsi1pk: REVIEW_QUEUE_PENDING,
  gsi1sk: `${createdAt}#${taskId}`,
});

/**
 * GSI2 attributes that put a pending task in its kind's queue (removed with the GSI1 entry), so
 * the oldest task of each kind is one keys-only item away.
 */
export const reviewKindQueueEntry = (kind: string, createdAt: string, taskId: string) => ({
  gsi2pk: `${F.reviewKindQueue}${kind}`,
  gsi2sk: `${createdAt}#${taskId}`,
});

/** The GSI2 partition of the pending tasks of `kind`. */
export const reviewKindQueuePartition = (kind: string): string => `${F.reviewKindQueue}${kind}`;

/** The GSI3 partition of the escalated pending tasks (all kinds). */
export const reviewEscalatedQueuePartition = (): string => `${F.reviewEscalatedQueue}PENDING`;

/**
 * GSI3 attributes that put a pending task in the escalated queue: set when it is escalated,
 * removed with the other queue entries when it leaves the pending queue.
 */
export const reviewEscalatedQueueEntry = (createdAt: string, taskId: string) => ({
  gsi3pk: reviewEscalatedQueuePartition(),
  gsi3sk: `${createdAt}#${taskId}`,
});

/**
 * Every index attribute a pending task may carry (GSI1, GSI2, GSI3): what a write that takes the
 * task out of the pending queue (decision, close) removes, so it leaves every queue at once.
 */
export const REVIEW_QUEUE_ATTRIBUTES = ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const;

/** The review queue's counters: `pending_<kind>` and `escalated_<kind>`. */
export const reviewQueueCounts = (): TableKey => ({ pk: `${F.reviewStats}QUEUE`, sk: 'REVIEWSTATS' });

/** Decisions (by decision) and escalations of Asia/Shanghai day `day` (`2026-12-01`). */
export const reviewDay = (day: string): TableKey => ({ pk: `${F.reviewStats}DAY`, sk: day });

export const merchant = (merchantNo: string): TableKey => ({ pk: `${F.merchant}${merchantNo}`, sk: 'MER' });

export const merchantTerminal = (merchantNo: string, serialNumber: string): TableKey => ({
  pk: `${F.merchant}${merchantNo}`,
  sk: `TERM#${serialNumber}`,
});

export const merchantTerminalsPrefix = (merchantNo: string) => ({
  pk: `${F.merchant}${merchantNo}`,
  skPrefix: 'TERM#',
});

/** The merchant-number sequence of one prefix (acquirer code + area + MCC). */
export const merchantSequence = (prefix: string): TableKey => ({
  pk: `${F.sequence}MERCHANT#${prefix}`,
  sk: 'SEQ',
});

/** The one terminal-ID sequence. */
export const terminalSequence = (): TableKey => ({ pk: `${F.sequence}TERMINAL`, sk: 'SEQ' });

export const uniqueness = (kind: IdentityKind, keyedHash: string): TableKey =>
  uniquenessMarker(`${F.uniqueness}${kind}#${keyedHash}`);

export const terminal = (serialNumber: string): TableKey => ({
  pk: `${F.terminal}${serialNumber}`,
  sk: 'TERM',
});

export const terminalHistory = (serialNumber: string, at: string, eventId: string): TableKey => ({
  pk: `${F.terminal}${serialNumber}`,
  sk: `HIST#${at}#${eventId}`,
});

export const terminalHistoryPrefix = (serialNumber: string) => ({
  pk: `${F.terminal}${serialNumber}`,
  skPrefix: 'HIST#',
});

export const sendRecord = (subjectId: string, template: string, channel: 'EMAIL' | 'SMS'): TableKey => ({
  pk: `${F.sendRecord}${subjectId}`,
  sk: `${template}#${channel}`,
});

export const blocklist = (kind: IdentityKind, keyedHash: string): TableKey => ({
  pk: `${F.blocklist}${kind}#${keyedHash}`,
  sk: 'BLOCK',
});

export const changeRequest = (changeRequestId: string): TableKey => ({
  pk: `${F.changeRequest}${changeRequestId}`,
  sk: 'CHANGE',
});

/** The one-open-change-request marker: its `changeRequestId` is the merchant's open request. */
export const merchantOpenChangeRequest = (merchantNo: string): TableKey => ({
  pk: `${F.merchant}${merchantNo}`,
  sk: 'CHANGE#OPEN',
});

/** Zero-padded so that the sort key orders versions numerically. */
export const merchantVersion = (merchantNo: string, version: number): TableKey => ({
  pk: `${F.merchant}${merchantNo}`,
  sk: `${VERSION_SK_PREFIX}${String(version).padStart(6, '0')}`,
});

export const merchantVersionsPrefix = (merchantNo: string) => ({
  pk: `${F.merchant}${merchantNo}`,
  skPrefix: VERSION_SK_PREFIX,
});

/** The version number a merchant version's sort key names. */
export const merchantVersionNumber = (sortKey: string): number =>
  Number(sortKey.slice(VERSION_SK_PREFIX.length));

export const transferRequest = (transferRequestId: string): TableKey => ({
  pk: `${F.transferRequest}${transferRequestId}`,
  sk: 'TRANSFER',
});

/** An address nothing is sent to any more, by the keyed hash of its normalized spelling. */
export const suppression = (channel: 'EMAIL' | 'SMS', addressHash: string): TableKey => ({
  pk: `${F.suppression}${channel}#${addressHash}`,
  sk: 'SUPPRESS',
});

/** The retention index partition of `kind` on Asia/Shanghai day `day` (`2026-12-01`). */
export const retentionPartition = (kind: RetentionKind, day: string): string =>
  `${F.retention}${kind}#${day}`;

/** GSI2 attributes that put an application in the retention index (absent while it is not due for retention). */
export const retentionIndexEntry = (kind: RetentionKind, day: string, applicationId: string) => ({
  gsi2pk: `${F.retention}${kind}#${day}`,
  gsi2sk: applicationId,
});

/** The last day of each retention partition the sweep has finished. */
export const retentionProgress = (): TableKey => ({ pk: `${F.retention}PROGRESS`, sk: 'RETAIN' });

/**
 * The live one-time code of `purpose` (`contact-verification`, `session`, …) for `subjectId` on
 * one channel, with its attempts and the times of this hour's issues. Subjects are ids, never
 * personal data.
 */
export const oneTimeCode = (purpose: string, subjectId: string, channel: 'EMAIL' | 'SMS'): TableKey => ({
  pk: `${F.oneTimeCode}${purpose}#${subjectId}#${channel}`,
  sk: 'OTC',
});

/**
 * The counter of one pool (`SMS`, `SMS_ACTIVATION_CODE`, `EMAIL`) for one address in one UTC
 * clock hour (`hour` = `2026-11-23T08`); expires by TTL.
 */
export const sendQuota = (pool: string, addressHash: string, hour: string): TableKey => ({
  pk: `${F.sendQuota}${pool}#${addressHash}#${hour}`,
  sk: 'QUOTA',
});

/** One version of a fee plan (never rewritten). */
export const feePlanVersion = (code: string, version: number): TableKey => ({
  pk: `${F.feePlan}CODE#${code}`,
  sk: numberedVersion(version),
});

/** The current version of a fee plan, in the one list of plans. */
export const feePlanCurrent = (code: string): TableKey => ({ pk: `${F.feePlan}LIST`, sk: code });

/** The partition of the current versions (a Query lists every plan). */
export const feePlanList = () => ({ pk: `${F.feePlan}LIST` });

export const agreementVersion = (merchantNo: string, version: number): TableKey => ({
  pk: `${F.agreement}${merchantNo}`,
  sk: numberedVersion(version),
});

export const agreementVersionsPrefix = (merchantNo: string) => ({
  pk: `${F.agreement}${merchantNo}`,
  skPrefix: 'V#',
});

/** Which agreement version is the newest and which one is signed (in force). */
export const agreementHead = (merchantNo: string): TableKey => ({
  pk: `${F.agreement}${merchantNo}`,
  sk: 'HEAD',
});

/** The partition of every webhook endpoint (a Query lists them). */
export const webhookEndpoints = () => ({ pk: `${F.webhookEndpoint}ENDPOINTS`, skPrefix: 'EP#' });

export const webhookEndpoint = (endpointId: string): TableKey => ({
  pk: `${F.webhookEndpoint}ENDPOINTS`,
  sk: `EP#${endpointId}`,
});

/** The deliveries of one endpoint (a Query lists them, by event id). */
export const webhookDeliveries = (endpointId: string) => ({ pk: `${F.webhookDelivery}${endpointId}` });

export const webhookDelivery = (endpointId: string, eventId: string): TableKey => ({
  pk: `${F.webhookDelivery}${endpointId}`,
  sk: eventId,
});

export const event = (eventId: string): TableKey => ({ pk: `${F.event}${eventId}`, sk: 'EVENT' });

export const transaction = (transactionId: string): TableKey => ({
  pk: `${F.transaction}${transactionId}`,
  sk: 'TXN',
});

export const usageDay = (merchantNo: string, day: string): TableKey => ({
  pk: `${F.usage}${merchantNo}`,
  sk: `DAY#${day}`,
});

export const usageMonth = (merchantNo: string, month: string): TableKey => ({
  pk: `${F.usage}${merchantNo}`,
  sk: `MONTH#${month}`,
});

export const dailySummary = (merchantNo: string, day: string): TableKey => ({
  pk: `${F.usage}${merchantNo}`,
  sk: `SUM#${day}`,
});

export const limits = (merchantNo: string): TableKey => ({ pk: `${F.limits}${merchantNo}`, sk: 'LIMIT' });

export const limitAudit = (merchantNo: string, at: string, id: string): TableKey => ({
  pk: `${F.limits}${merchantNo}`,
  sk: `AUDIT#${at}#${id}`,
});

export const limitAuditPrefix = (merchantNo: string) => ({
  pk: `${F.limits}${merchantNo}`,
  skPrefix: 'AUDIT#',
});

export const openLimitRequest = (merchantNo: string, cardType: string): TableKey => ({
  pk: `${F.limits}${merchantNo}`,
  sk: `REQ#${cardType}`,
});

export const terminalWindow = (serialNumber: string): TableKey => ({
  pk: `${F.terminalActivity}${serialNumber}`,
  sk: 'WINDOW',
});

/** The activity index of one day is split in shards so a busy morning spreads its writes. */
export const activity = (day: string, shard: number, merchantNo: string): TableKey => ({
  pk: `${F.activity}${day}#${String(shard).padStart(2, '0')}`,
  sk: merchantNo,
});

export const activityShard = (day: string, shard: number) => ({
  pk: `${F.activity}${day}#${String(shard).padStart(2, '0')}`,
});

export const dormancy = (day: string, shard: number, serialNumber: string): TableKey => ({
  pk: `${F.dormancy}${day}#${String(shard).padStart(2, '0')}`,
  sk: serialNumber,
});

export const dormancyShard = (day: string, shard: number) => ({
  pk: `${F.dormancy}${day}#${String(shard).padStart(2, '0')}`,
});

export const dailyRun = (day: string): TableKey => ({ pk: `${F.dailyRun}${day}`, sk: 'RUN' });

export const dailyRunPage = (day: string, shard: number, page: number): TableKey => ({
  pk: `${F.dailyRun}${day}`,
  sk: `PAGE#${String(shard).padStart(2, '0')}#${String(page).padStart(6, '0')}`,
});

export const rejectedRecord = (day: string, shardId: string, sequenceNumber: string): TableKey => ({
  pk: `${F.rejectedRecord}${day}`,
  sk: `${shardId}#${sequenceNumber}`,
});

/** Shards of the activity and dormancy indexes of one day. */
export const INDEX_SHARDS = 16;

/** The index shard of a merchant number or SN (stable: a sum of its character codes). */
export function indexShardOf(id: string): number {
  let sum = 0;
  for (let index = 0; index < id.length; index++) sum = (sum * 31 + id.charCodeAt(index)) >>> 0;
  return sum % INDEX_SHARDS;
}

/** The key of a uniqueness marker from its partition key (what an application keeps). */
export function uniquenessMarker(pk: string): TableKey {
  return { pk, sk: MARKER_SK };
}

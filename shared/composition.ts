import { DynamoAgreementRepository } from './adapters/dynamodb-agreements';
import {
  DynamoApplicationPlainReads,
  DynamoApplicationRepository,
  DynamoApplicationStore,
} from './adapters/dynamodb-applications';
import { DynamoCallbackPhones } from './adapters/dynamodb-callback-phones';
import { DynamoChangeRequestRepository } from './adapters/dynamodb-change-requests';
import { DynamoDailyCheckDecisions } from './adapters/dynamodb-daily-check-decisions';
import {
  DynamoDailyRunStore,
  DynamoDailySummaryReader,
  DynamoLimitAuditReader,
  DynamoLimitWriter,
  DynamoTransactionIngestStore,
  DynamoUsageReader,
} from './adapters/dynamodb-daily-checks';
import { DynamoFeePlanRepository } from './adapters/dynamodb-fee-plans';
import {
  DynamoDeliveryReceipts,
  DynamoMerchantRepository,
  DynamoSendRecordRepository,
} from './adapters/dynamodb-merchants';
import { DynamoSendQuota, DynamoSuppressionList } from './adapters/dynamodb-notifications';
import { DynamoReviewTaskOpener, DynamoReviewTaskReader } from './adapters/dynamodb-review-opener';
import {
  DynamoReviewClaims,
  DynamoReviewDecisions,
  DynamoReviewEscalations,
  DynamoReviewQueue,
  DynamoReviewStats,
  DynamoReviewTaskCloser,
} from './adapters/dynamodb-reviews';
import { type DynamoTable, tableFromEnv } from './adapters/dynamodb-table';
import { DynamoTerminalReader } from './adapters/dynamodb-terminal-reader';
import { DynamoTerminalRepository, DynamoTransferRepository } from './adapters/dynamodb-terminals';
import { DynamoWebhookRepository } from './adapters/dynamodb-webhooks';
import { fieldCipherFromEnv } from './adapters/field-cipher';
import { keyedHasherFromEnv } from './adapters/keyed-hasher';
import { mailerFromEnv } from './adapters/ses-mailer';
import { smsSenderFromEnv } from './adapters/sms-sender';
import { type MessagingConfig, readDeadlines, readMessagingConfig } from './config/env';
import { DynamoOneTimeCodeStore } from './one-time-codes/dynamodb-store';
import { type FieldCipher, systemClock } from './ports';

/*
 * Composition helpers for the function files: each function calls only the factories it needs
 * at module scope (cold start), so its bundle holds only the AWS clients it uses. No factory runs
 * on import of this module.
 */

let table: DynamoTable | undefined;

/** The one table client of this process. */
export function sharedTable(): DynamoTable {
  table ??= tableFromEnv();
  return table;
}

let fieldCipher: FieldCipher | undefined;

/**
 * The one field cipher of this process: its data-key cache is per process, so every repository
 * shares it (one KMS GenerateDataKey per cold start, not per repository).
 */
export function sharedFieldCipher(): FieldCipher {
  fieldCipher ??= fieldCipherFromEnv();
  return fieldCipher;
}

/** Application repository over the shared table (ID and account numbers encrypted). */
export const applicationRepository = () =>
  new DynamoApplicationRepository(sharedTable(), sharedFieldCipher());
/** The application reads that open no encrypted field, over the shared table (no field cipher). */
export const applicationPlainReads = () => new DynamoApplicationPlainReads(sharedTable());
/** The applications as the onboarding workflow's steps use them ({@link applicationRepository}'s core). */
export const applicationStore = () => new DynamoApplicationStore(sharedTable(), sharedFieldCipher());
/** Review tasks read by id, nothing written (the steps acting on a decision, one task's staff views). */
export const reviewReader = () => new DynamoReviewTaskReader(sharedTable());
/** The closing of review tasks whose subject ended (withdraw, cancel, expiry), over the shared table. */
export const reviewCloser = () => new DynamoReviewTaskCloser(sharedTable());
/** Reviewers' claims on tasks and their audited reveals, over the shared table. */
export const reviewClaims = () => new DynamoReviewClaims(sharedTable());
/** The pending review queue's pages, over the shared table. */
export const reviewQueue = () => new DynamoReviewQueue(sharedTable());
/** The escalation of review tasks past their deadline, over the shared table. */
export const reviewEscalations = () => new DynamoReviewEscalations(sharedTable());
/** What deciding a review task reads and writes, over the shared table (the decision route). */
export const reviewDecisionStore = () => new DynamoReviewDecisions(sharedTable());
/** What a workflow's wait on a review task writes (the task with its token), over the shared table. */
export const reviewOpener = () => new DynamoReviewTaskOpener(sharedTable());
/** The supervisor view's counters over the shared table. */
export const reviewStatsReader = () => new DynamoReviewStats(sharedTable());
/** The call-back phones of review tasks' subjects over the shared table (no field opened). */
export const callbackPhones = () => new DynamoCallbackPhones(sharedTable());
/** Merchant repository over the shared table. */
export const merchantRepository = () => new DynamoMerchantRepository(sharedTable(), sharedFieldCipher());
/** Terminal repository over the shared table. */
export const terminalRepository = () => new DynamoTerminalRepository(sharedTable());
/** The terminals' reads only, over the shared table (for functions that write no terminal). */
export const terminalReader = () => new DynamoTerminalReader(sharedTable());
/** Transfer-request repository over the shared table. */
export const transferRepository = () => new DynamoTransferRepository(sharedTable());
/** Change-request (and merchant-version) repository over the shared table. */
export const changeRequestRepository = () =>
  new DynamoChangeRequestRepository(sharedTable(), sharedFieldCipher());
/** Send-record repository over the shared table. */
export const sendRecordRepository = () => new DynamoSendRecordRepository(sharedTable());
/** The delivery receipts recorded on the send records, over the shared table. */
export const deliveryReceipts = () => new DynamoDeliveryReceipts(sharedTable());
/** Suppression list (bounces, complaints, SMS opt-outs) over the shared table. */
export const suppressionList = () => new DynamoSuppressionList(sharedTable());
/** Per-phone hourly SMS counters over the shared table. */
export const sendQuota = () => new DynamoSendQuota(sharedTable());

/** One-time codes (verification, sign-in) over the shared table. */
export const oneTimeCodeStore = () => new DynamoOneTimeCodeStore(sharedTable());

/** Fee plans over the shared table. */
export const feePlanRepository = () => new DynamoFeePlanRepository(sharedTable());
/** Agreement versions and their head over the shared table. */
export const agreementRepository = () => new DynamoAgreementRepository(sharedTable());
/** Webhook endpoints, deliveries and events; `withCipher` where secrets are sealed or opened. */
export const webhookRepository = (withCipher = false) =>
  new DynamoWebhookRepository(sharedTable(), withCipher ? sharedFieldCipher() : undefined);
/*
 * The daily checks' stores over the shared table, one per use: a function's bundle carries only
 * the methods of its own (class methods are never tree-shaken).
 */
/** The merchant, its limits and its usage (the limits route). */
export const usageReader = () => new DynamoUsageReader(sharedTable());
/** What the transaction stream's consumer reads and writes. */
export const transactionIngestStore = () => new DynamoTransactionIngestStore(sharedTable());
/** The operator's change of limits and the merchant's limit request (with the usage reads). */
export const limitWriter = () => new DynamoLimitWriter(sharedTable());
/** A merchant's limit audit. */
export const limitAuditReader = () => new DynamoLimitAuditReader(sharedTable());
/** A merchant's daily summaries. */
export const dailySummaryReader = () => new DynamoDailySummaryReader(sharedTable());
/** The daily run's record, pages, summaries and alerts. */
export const dailyRunStore = () => new DynamoDailyRunStore(sharedTable());
/** What deciding a RISK_ALERT or LIMIT_INCREASE task reads and writes, over the shared table. */
export const dailyCheckDecisions = () => new DynamoDailyCheckDecisions(sharedTable());

/** Deadlines from the environment. */
export const deadlines = () => readDeadlines();

/** Acquirer and messaging configuration. */
export const messagingConfig = (): MessagingConfig => readMessagingConfig();

/**
 * What every message send needs besides its channel (shared/notifications/send-once.ts): the
 * exactly-once send records, the suppression list, the per-address hourly quota, the keyed hasher
 * (addresses are stored only as hashes), the clock and the messaging settings. A function that
 * sends by one channel adds that channel's sender; {@link messagingAdapters} adds both.
 */
export const messageBookkeeping = () => ({
  sends: sendRecordRepository(),
  suppressions: suppressionList(),
  sendQuota: sendQuota(),
  hasher: keyedHasherFromEnv(),
  clock: systemClock,
  config: messagingConfig(),
});

/** The adapters of a function that sends by email and SMS: {@link messageBookkeeping} and both senders. */
export const messagingAdapters = () => ({
  ...messageBookkeeping(),
  mailer: mailerFromEnv(),
  sms: smsSenderFromEnv(),
});

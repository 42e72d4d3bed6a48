import { maskEmail, maskPhone } from '../domain/masking';
import {
  type Channel,
  type NotificationAction,
  type NotificationNote,
  normalizedAddress,
} from '../domain/notification';
import { logger } from '../logger';
import { countMetric } from '../metrics';
import type { Clock, KeyedHasher } from '../ports';
import type { SendRecordRepository } from '../ports/merchants';
import {
  RecipientOptedOutError,
  type SendQuota,
  type SendQuotaPool,
  type SuppressionList,
} from '../ports/notifications';

/**
 * Attempts a workflow notification step makes in all: the first and the 4 retries (`MaxAttempts`)
 * of its Retry in every `workflow/*.asl.json` (a test keeps the two in step). The send whose
 * claim reaches this number is the last one: its failure is final.
 */
export const WORKFLOW_SEND_ATTEMPTS = 5;

/** What one exactly-once message to the deployment's own address (supervisors) needs. */
export interface DeliveryDeps {
  readonly sends: SendRecordRepository;
  readonly suppressions: SuppressionList;
  readonly hasher: KeyedHasher;
  readonly clock: Clock;
}

/** The per-address hourly limits (abuse limits) of the send quota. */
export interface SendLimits {
  readonly smsPerPhonePerHour: number;
  readonly emailPerAddressPerHour: number;
}

/** What one exactly-once message to a merchant's address needs: the per-address hourly limits besides. */
export interface QuotaDeliveryDeps extends DeliveryDeps {
  readonly sendQuota: SendQuota;
  readonly config: SendLimits;
}

/** One message to send at most once. */
export interface SendRequest {
  readonly subjectId: string;
  readonly template: string;
  readonly channel: Channel;
  /** The raw address: hashed for the suppression list and the SMS limit, masked in the record, never stored. */
  readonly address: string;
  /** Attempts the caller makes in all ({@link WORKFLOW_SEND_ATTEMPTS} in the workflow, 1 on a request path). */
  readonly maxAttempts: number;
  /**
   * The hourly counter it counts against: by default its channel's (`SMS`, `EMAIL`);
   * `SMS_ACTIVATION_CODE` for an SMS that carries an activation code; `NONE` only for the
   * deployment's own configured addresses (supervisors), never for an address a merchant gave.
   */
  readonly quota?: SendQuotaPool | 'NONE';
  /**
   * When the record may go (table TTL). Only for sends whose record matters for a short time, such
   * as one-time codes: their keys carry an issue id nobody can list later, so they are not erased
   * with the application but expire long before its retention period ends.
   */
  readonly keepUntil?: Date;
}

/** How one send went. */
export type SendResult =
  /** The provider accepted it now. */
  | 'SENT'
  /** Sent before (a retried step): not sent again. */
  | 'ALREADY_SENT'
  /** The provider failed and another attempt will follow: the caller throws so the step is retried. */
  | 'RETRYING'
  /** The provider failed on the last attempt. */
  | 'FAILED'
  | 'SUPPRESSED'
  | 'RATE_LIMITED'
  /** Claimed earlier and never completed: the provider may have accepted it, so it is not sent again. */
  | 'UNCONFIRMED';

/** The outcome of one send, with the masked recipient (safe for timelines and logs). */
export interface SendOutcome extends NotificationNote {
  readonly result: SendResult;
  /** When the outcome was recorded (the earlier record's time for an outcome found on a retry). */
  readonly at: string;
}

/** A timeline note about a message that did not reach its recipient. */
export interface UndeliveredNote extends NotificationNote {
  readonly action: NotificationAction;
  readonly at: string;
}

const ACTION_OF: Partial<Record<SendResult, NotificationAction>> = {
  FAILED: 'NOTIFICATION_FAILED',
  SUPPRESSED: 'NOTIFICATION_SUPPRESSED',
  RATE_LIMITED: 'NOTIFICATION_RATE_LIMITED',
  UNCONFIRMED: 'NOTIFICATION_UNCONFIRMED',
};

/** Keyed hash of an address as the suppression list and the SMS counters know it. */
export function addressHash(hasher: KeyedHasher, channel: Channel, address: string): Promise<string> {
  return hasher.mac(`notification-address:${channel}`, normalizedAddress(channel, address));
}

/**
 * Sends one message at most once per (subject, template, channel), and never loses track of it:
 * 1. the send record is claimed with a conditional write (a FAILED record may be claimed again by
 *    a retry; a claimed, sent or ended one never);
 * 2. a suppressed address (bounce, complaint, SMS opt-out) is not sent to → SUPPRESSED;
 * 3. a message counts once (first attempt) against its address's hourly limit (an atomic counter
 *    per pool: SMS, activation-code SMS, email) → RATE_LIMITED over it;
 * 4. the provider is called; an opt-out it reports suppresses the phone → SUPPRESSED;
 * 5. the provider's message id is stored. If that write fails, the error propagates and the record
 *    stays claimed, so the retried step does not send the message a second time.
 * A provider failure is recorded FAILED and reported, never thrown, so one channel's failure does
 * not stop the other: callers throw after all sends ({@link throwIfAnyFailed}) while attempts
 * remain; the last attempt's failure is final (an error log line and the NotificationsFailed metric).
 */
export function sendOnce(
  deps: QuotaDeliveryDeps,
  request: SendRequest,
  send: () => Promise<string>,
): Promise<SendOutcome>;
export function sendOnce(
  deps: DeliveryDeps,
  request: SendRequest & { readonly channel: 'EMAIL'; readonly quota: 'NONE' },
  send: () => Promise<string>,
): Promise<SendOutcome>;
export async function sendOnce(
  deps: DeliveryDeps & Partial<QuotaDeliveryDeps>,
  request: SendRequest,
  send: () => Promise<string>,
): Promise<SendOutcome> {
  const { subjectId, template, channel } = request;
  const recipient = channel === 'EMAIL' ? maskEmail(request.address) : maskPhone(request.address);
  const ids = { subjectId, template, channel };
  const at = () => deps.clock.now().toISOString();
  const outcome = (result: SendResult, when = at()): SendOutcome => ({
    result,
    channel,
    template,
    recipient,
    at: when,
  });
  const end = async (status: 'FAILED' | 'SUPPRESSED' | 'RATE_LIMITED') => {
    const when = at();
    await deps.sends.complete({ ...ids, status, at: when });
    return when;
  };

  const attempt = await deps.sends.claim({
    ...ids,
    recipient,
    at: at(),
    ...(request.keepUntil ? { expiresAt: Math.floor(request.keepUntil.getTime() / 1000) } : {}),
  });
  if (attempt === undefined) return earlierOutcome(deps, request, outcome);

  const hash = await addressHash(deps.hasher, channel, request.address);
  if (await deps.suppressions.isSuppressed(channel, hash)) {
    logger.warn('notification suppressed', ids);
    await countMetric('NotificationsSuppressed');
    return outcome('SUPPRESSED', await end('SUPPRESSED'));
  }
  // One message counts once against its address's limit, on its first attempt: retries of a
  // provider failure deliver nothing more.
  const pool = request.quota ?? channel;
  if (pool !== 'NONE' && attempt === 1) {
    // The overloads make every other caller pass the quota; this only narrows the type.
    if (!deps.sendQuota || !deps.config) throw new Error('A message to a merchant needs the send quota');
    const limit = pool === 'EMAIL' ? deps.config.emailPerAddressPerHour : deps.config.smsPerPhonePerHour;
    if (!(await deps.sendQuota.take(pool, hash, deps.clock.now(), limit))) {
      logger.warn(channel === 'SMS' ? 'SMS rate limited' : 'email rate limited', { ...ids, pool });
      await countMetric('NotificationsRateLimited');
      return outcome('RATE_LIMITED', await end('RATE_LIMITED'));
    }
  }

  let providerMessageId: string;
  try {
    providerMessageId = await send();
  } catch (error) {
    if (error instanceof RecipientOptedOutError) {
      await deps.suppressions.suppress({ channel, addressHash: hash, reason: 'OPT_OUT', at: at() });
      logger.warn('notification suppressed: the recipient opted out', ids);
      await countMetric('NotificationsSuppressed');
      return outcome('SUPPRESSED', await end('SUPPRESSED'));
    }
    const when = await end('FAILED');
    const errorName = (error as Error).name;
    if (attempt < request.maxAttempts) {
      logger.warn('notification attempt failed; the step is retried', { ...ids, attempt, errorName });
      return outcome('RETRYING', when);
    }
    logger.error('notification failed on its last attempt', { ...ids, attempt, errorName });
    await countMetric('NotificationsFailed');
    return outcome('FAILED', when);
  }

  const sentAt = at();
  try {
    await deps.sends.complete({ ...ids, status: 'SENT', providerMessageId, at: sentAt });
  } catch (error) {
    // Sent, but not recorded: the claim stays, so no retry sends it again (at most once). The
    // provider's id in the log is what reconciles it.
    logger.error('notification sent but its send record could not be completed', {
      ...ids,
      providerMessageId,
      errorName: (error as Error).name,
    });
    throw error;
  }
  return outcome('SENT', sentAt);
}

/** The outcome of a send claimed before: reported again, so a retried step can finish its timeline. */
async function earlierOutcome(
  deps: Pick<DeliveryDeps, 'sends'>,
  request: SendRequest,
  outcome: (result: SendResult, when?: string) => SendOutcome,
): Promise<SendOutcome> {
  const record = await deps.sends.get(request.subjectId, request.template, request.channel);
  switch (record?.status) {
    case 'SENT':
      return outcome('ALREADY_SENT', record.completedAt);
    case 'SUPPRESSED':
    case 'RATE_LIMITED':
      return outcome(record.status, record.completedAt);
    case 'SENDING':
      logger.warn('notification claimed earlier and never completed; not sent again', {
        subjectId: request.subjectId,
        template: request.template,
        channel: request.channel,
      });
      return outcome('UNCONFIRMED', record.claimedAt);
    default:
      // FAILED again between the claim and this read (a concurrent attempt): try once more later.
      return outcome('RETRYING');
  }
}

/** Throws when a send failed and attempts remain, so the workflow step is retried (sent ones are not sent again). */
export function throwIfAnyFailed(outcomes: readonly SendOutcome[]): void {
  const failed = outcomes.filter((outcome) => outcome.result === 'RETRYING').length;
  if (failed > 0) throw new Error(`${failed} notification(s) failed`);
}

/** Timeline notes of the sends that did not reach their recipient (failed for good, suppressed, …). */
export function undeliveredNotes(outcomes: readonly SendOutcome[]): UndeliveredNote[] {
  return outcomes.flatMap((outcome) => {
    const action = ACTION_OF[outcome.result];
    return action
      ? [
          {
            action,
            channel: outcome.channel,
            template: outcome.template,
            recipient: outcome.recipient,
            at: outcome.at,
          },
        ]
      : [];
  });
}

/**
 * The notes a timeline does not show yet: a retried step reports earlier outcomes again (with
 * their recorded time), and a timeline shows each once.
 */
export function notesToAdd(
  timeline: readonly { action: string; at: string; channel?: string; template?: string }[],
  notes: readonly UndeliveredNote[],
): UndeliveredNote[] {
  return notes.filter(
    (note) =>
      !timeline.some(
        (entry) =>
          entry.action === note.action &&
          entry.at === note.at &&
          entry.channel === note.channel &&
          entry.template === note.template,
      ),
  );
}

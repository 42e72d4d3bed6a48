import type { Deadlines } from '../config/env';
import type { MerchantRecord } from '../domain/merchant';
import { terminalIdOf } from '../domain/merchant';
import { CANCELLABLE_TRANSFER_STATUSES } from '../domain/terminal';
import { logger } from '../logger';
import {
  type SendOutcome,
  sendOnce,
  throwIfAnyFailed,
  undeliveredNotes,
  WORKFLOW_SEND_ATTEMPTS,
} from '../notifications/send-once';
import {
  renderTerminalEmail,
  renderTerminalSms,
  type TerminalTemplate,
  type TerminalTemplateValues,
} from '../notifications/terminal-templates';
import type { Clock, KeyedHasher, Mailer, SmsSender, WorkflowControl } from '../ports';
import type { MerchantRepository, SendRecordRepository } from '../ports/merchants';
import type { SendQuota, SuppressionList } from '../ports/notifications';
import type { ReviewTaskCloser, ReviewTaskReader } from '../ports/repositories';
import type { TerminalRepository, TransferRepository } from '../ports/terminals';
import { requireRecordedDecision } from '../reviews/decision';
import { openReviewTask, type ReviewTaskDeps, reviewerReasons } from '../reviews/workflow';
import { newActivationCode } from '../terminals/activation-codes';
import type { MessagingKeys } from '../workflow-kit/messaging';
import { processSubjects } from '../workflow-kit/process-subjects';
import { transitioned } from '../workflow-kit/subject';

/** Everything the transfer workflow steps may need; each Task function builds its part. */
export interface TransferWorkflowDeps {
  readonly transfers: TransferRepository;
  readonly terminals: TerminalRepository;
  readonly merchants: MerchantRepository;
  /** The steps acting on a decision read the task; the wait opens it, the expiry closes it (see there). */
  readonly reviews: ReviewTaskReader;
  readonly workflow: WorkflowControl;
  readonly sends: SendRecordRepository;
  readonly suppressions: SuppressionList;
  readonly sendQuota: SendQuota;
  readonly hasher: KeyedHasher;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
  readonly config: { smsSignature: string; smsPerPhonePerHour: number; emailPerAddressPerHour: number };
}

/**
 * The transfer requests as the workflow kit sees them, with the steps every process has:
 * TransferRecordFailure, and TransferEscalateReview (the review task has the transfer's id).
 */
export const transferSteps = processSubjects(
  { process: 'terminal-transfer', label: 'Transfer request', idKey: 'transferRequestId' },
  (deps: Pick<TransferWorkflowDeps, 'transfers'>) => deps.transfers,
);

/** TransferAwaitAcceptance (`.waitForTaskToken`): keeps the token for the receiver's acceptance. */
export async function transferAwaitAcceptance(
  deps: Pick<TransferWorkflowDeps, 'transfers' | 'workflow' | 'clock'>,
  input: { transferRequestId: string; taskToken: string },
) {
  const record = await transferSteps.load(deps, input.transferRequestId);
  if (record.status === 'PENDING_REVIEW') {
    await deps.workflow.resume(input.taskToken, { accepted: true });
    return { resumed: true };
  }
  if (record.status !== 'AWAITING_ACCEPTANCE') return { skipped: record.status };
  const saved = await deps.transfers.save(
    {
      ...record,
      acceptanceToken: input.taskToken,
      revision: record.revision + 1,
      updatedAt: deps.clock.now().toISOString(),
    },
    record.revision,
  );
  // Accepted in between: the accept handler found no token, so continue from here.
  if (!saved) return transferAwaitAcceptance(deps, input);
  return { waiting: true };
}

/** TransferAwaitReview (`.waitForTaskToken`): the TERMINAL_TRANSFER task, phone call-back required. */
export async function transferAwaitReview(
  deps: Pick<TransferWorkflowDeps, 'transfers'> & ReviewTaskDeps,
  input: { transferRequestId: string; taskToken: string },
) {
  const record = await transferSteps.load(deps, input.transferRequestId);
  if (record.status !== 'PENDING_REVIEW') return { skipped: record.status };
  const opened = await openReviewTask(deps, {
    taskId: record.transferRequestId,
    kind: 'TERMINAL_TRANSFER',
    subjectId: record.transferRequestId,
    automatedChecks: [
      {
        name: 'binding',
        result: 'PASS',
        detail: `SN ${record.serialNumber} is bound to ${record.fromMerchantNo}`,
      },
      { name: 'acceptance', result: 'PASS', detail: `Accepted by ${record.toMerchantNo}` },
    ],
    requiredChecks: ['phoneCallback'],
    summary: `TERMINAL_TRANSFER · ${record.serialNumber} · ${record.fromMerchantNo} → ${record.toMerchantNo}`,
    taskToken: input.taskToken,
  });
  return { opened };
}

/**
 * TransferComplete: the atomic re-binding with a new terminal ID (idempotent on retry), only from
 * the approval recorded on the review task (the transfer's id): DECIDED, APPROVE, the phone
 * call-back done, by a reviewer — whatever resumed the workflow.
 */
export async function transferComplete(
  deps: Pick<TransferWorkflowDeps, 'transfers' | 'reviews' | 'merchants' | 'clock'>,
  transferRequestId: string,
) {
  const record = await transferSteps.load(deps, transferRequestId);
  if (record.status === 'COMPLETED') return { status: record.status, terminalId: record.toTerminalId };
  if (record.status !== 'PENDING_REVIEW') return { skipped: record.status };
  const task = requireRecordedDecision(await deps.reviews.get(transferRequestId), transferRequestId, {
    kind: 'TERMINAL_TRANSFER',
    subjectId: transferRequestId,
    decisions: ['APPROVE'],
  });
  const actor = `staff:${task.decidedBy}`;
  const toTerminalId = terminalIdOf(await deps.merchants.nextTerminalSequence());
  const at = deps.clock.now().toISOString();
  const outcome = await deps.transfers.complete({ transfer: record, toTerminalId, at, actor });
  if (outcome === 'TERMINAL_LIMIT') {
    // Approved, but the receiver filled its 5 places meanwhile: the SN stays with the sender.
    await deps.transfers.save(
      transitioned(
        record,
        'REJECTED',
        { at, actor: 'system', action: 'TERMINAL_LIMIT' },
        {
          reasons: [
            {
              field: 'toMerchantNo',
              code: 'TERMINAL_LIMIT',
              reason: 'The receiving merchant holds 5 terminals',
            },
          ],
        },
      ),
      record.revision,
      true,
    );
    return { status: 'REJECTED' };
  }
  if (outcome === 'STALE') throw new Error('The transfer or the terminal changed during completion');
  logger.info('terminal transferred', { transferRequestId, serialNumber: record.serialNumber });
  return { status: 'COMPLETED', terminalId: toTerminalId };
}

/**
 * TransferRecordDecision: the REJECT recorded on the review task (the transfer's id) → REJECTED
 * with the reviewer's reasons; the SN is released.
 */
export async function transferRecordDecision(
  deps: Pick<TransferWorkflowDeps, 'transfers' | 'reviews' | 'clock'>,
  input: { transferRequestId: string },
) {
  const record = await transferSteps.load(deps, input.transferRequestId);
  if (record.status !== 'PENDING_REVIEW') return { status: record.status };
  const taskId = record.transferRequestId;
  const task = requireRecordedDecision(await deps.reviews.get(taskId), taskId, {
    kind: 'TERMINAL_TRANSFER',
    subjectId: record.transferRequestId,
    decisions: ['REJECT'],
  });
  const at = deps.clock.now().toISOString();
  await deps.transfers.save(
    transitioned(
      record,
      'REJECTED',
      { at, actor: `staff:${task.decidedBy}`, action: 'REJECT' },
      {
        reasons: reviewerReasons(task),
      },
    ),
    record.revision,
    true,
  );
  return { status: 'REJECTED' };
}

/** TransferExpire: not accepted in time, or no decision by the final deadline → EXPIRED. */
export async function transferExpire(
  deps: Pick<TransferWorkflowDeps, 'transfers' | 'clock'> & { readonly reviews: ReviewTaskCloser },
  transferRequestId: string,
) {
  const record = await transferSteps.load(deps, transferRequestId);
  if (!CANCELLABLE_TRANSFER_STATUSES.includes(record.status)) return { status: record.status };
  await deps.reviews.close(transferRequestId, 'EXPIRED');
  const at = deps.clock.now().toISOString();
  await deps.transfers.save(
    transitioned(
      record,
      'EXPIRED',
      { at, actor: 'system', action: 'EXPIRED' },
      { acceptanceToken: undefined },
    ),
    record.revision,
    true,
  );
  return { status: 'EXPIRED' };
}

/**
 * Sends one terminal template to a merchant's contact by email and SMS, each at most once.
 * `smsOnly` values (the activation code) are produced inside the SMS send alone, so a retried
 * email can never replace a code that was already texted.
 */
async function tellMerchant(
  deps: Pick<TransferWorkflowDeps, MessagingKeys>,
  merchant: MerchantRecord,
  template: TerminalTemplate,
  subjectId: string,
  values: TerminalTemplateValues,
  smsOnly?: () => Promise<Partial<TerminalTemplateValues>>,
): Promise<SendOutcome[]> {
  const { contact, locale } = merchant;
  const common = { subjectId, template, maxAttempts: WORKFLOW_SEND_ATTEMPTS };
  const email = await sendOnce(deps, { ...common, channel: 'EMAIL', address: contact.email }, () =>
    deps.mailer.send({ to: [contact.email], ...renderTerminalEmail(template, locale, values) }),
  );
  // An SMS with an activation code counts against the code's own hourly counter.
  const quota = smsOnly ? 'SMS_ACTIVATION_CODE' : 'SMS';
  const sms = await sendOnce(
    deps,
    { ...common, channel: 'SMS', address: contact.phone, quota },
    async (ref) => {
      const message = renderTerminalSms(
        template,
        locale,
        { ...values, ...(smsOnly ? await smsOnly() : {}) },
        deps.config.smsSignature,
      );
      return deps.sms.send({ to: contact.phone, ...message, reference: ref });
    },
  );
  return [email, sms];
}

/**
 * TransferNotify: REQUESTED → the receiver is asked to accept; ACCEPTED → the sender learns that
 * the receiver accepted and the review began; OUTCOME → COMPLETED tells both (the receiver gets
 * the new terminal's activation code by SMS), REJECTED and EXPIRED the sender. Messages that
 * cannot be delivered are noted in the transfer's timeline.
 */
export async function transferNotify(
  deps: Pick<TransferWorkflowDeps, 'transfers' | 'merchants' | 'terminals' | MessagingKeys>,
  input: { transferRequestId: string; event: string },
) {
  const record = await transferSteps.load(deps, input.transferRequestId);
  const [from, to] = await Promise.all([
    deps.merchants.getMerchant(record.fromMerchantNo),
    deps.merchants.getMerchant(record.toMerchantNo),
  ]);
  if (!from || !to) throw new Error('A merchant of the transfer is missing');
  const subject = record.transferRequestId;
  const base = { serialNumber: record.serialNumber, transferRequestId: record.transferRequestId };
  const outcomes: SendOutcome[] = [];
  if (input.event === 'REQUESTED') {
    outcomes.push(
      ...(await tellMerchant(deps, to, 'TRANSFER_REQUESTED', subject, {
        ...base,
        merchantNo: to.merchantNo,
        counterpartMerchantNo: from.merchantNo,
      })),
    );
  } else if (input.event === 'ACCEPTED') {
    // Also when the review has ended by the time this step runs: the acceptance did happen.
    if (record.timeline.some((entry) => entry.action === 'ACCEPTED')) {
      outcomes.push(
        ...(await tellMerchant(deps, from, 'TRANSFER_ACCEPTED', subject, {
          ...base,
          merchantNo: from.merchantNo,
          counterpartMerchantNo: to.merchantNo,
        })),
      );
    }
  } else if (record.status === 'COMPLETED' && record.toTerminalId) {
    const toTerminalId = record.toTerminalId;
    outcomes.push(
      ...(await tellMerchant(deps, from, 'TRANSFER_COMPLETED_FROM', subject, {
        ...base,
        merchantNo: from.merchantNo,
        counterpartMerchantNo: to.merchantNo,
      })),
      ...(await tellMerchant(
        deps,
        to,
        'TRANSFER_COMPLETED_TO',
        subject,
        { ...base, merchantNo: to.merchantNo, terminalId: toTerminalId },
        async () => {
          const activation = await newActivationCode(deps, record.serialNumber, to.merchantNo);
          if (!activation) throw new Error('The terminal is no longer bound to the receiving merchant');
          return { activationCode: activation.code };
        },
      )),
    );
  } else if (record.status === 'REJECTED' || record.status === 'EXPIRED') {
    const template = record.status === 'REJECTED' ? 'TRANSFER_REJECTED' : 'TRANSFER_EXPIRED';
    outcomes.push(
      ...(await tellMerchant(deps, from, template, subject, {
        ...base,
        merchantNo: from.merchantNo,
        reasons: record.reasons,
      })),
    );
  }
  await transferSteps.noteUndelivered(deps, record.transferRequestId, undeliveredNotes(outcomes));
  throwIfAnyFailed(outcomes);
  return { sent: outcomes.filter((outcome) => outcome.result === 'SENT').length };
}

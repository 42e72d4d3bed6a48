import { ulid } from 'ulid';
import * as z from 'zod/mini';
import type { MerchantPrincipal, StaffPrincipal } from '../auth/principals';
import type { Deadlines } from '../config/env';
import type { MerchantRecord } from '../domain/merchant';
import { terminalIdOf } from '../domain/merchant';
import {
  CANCELLABLE_TRANSFER_STATUSES,
  type TransferRequestRecord,
  type TransferStatus,
} from '../domain/terminal';
import { AppError, forbidden, invalidState, notFound, validationFailed } from '../errors';
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
import type { Clock, KeyedHasher, Mailer, SmsSender, WorkflowEngine } from '../ports';
import type { MerchantRepository, SendRecordRepository } from '../ports/merchants';
import type { SmsQuota, SuppressionList } from '../ports/notifications';
import type { ReviewTaskRepository } from '../ports/repositories';
import type { TerminalRepository, TransferRepository } from '../ports/terminals';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';
import { newActivationCode } from './activation-codes';
import { workflowConfig } from './applications';
import { appendToTransfer, noteInTransfer, workflowFailedEntry } from './notification-notes';
import { openReviewTask } from './review-tasks';
import { checkSerialNumber } from './terminal-lifecycle';

/** Everything the transfer use cases may need; each function picks its part. */
export interface TransferDeps {
  readonly transfers: TransferRepository;
  readonly terminals: TerminalRepository;
  readonly merchants: MerchantRepository;
  readonly reviews: ReviewTaskRepository;
  readonly workflow: WorkflowEngine;
  readonly sends: SendRecordRepository;
  readonly suppressions: SuppressionList;
  readonly smsQuota: SmsQuota;
  readonly hasher: KeyedHasher;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
  readonly config: { smsSignature: string; smsPerPhonePerHour: number };
}

function entry(status: TransferStatus, at: string, actor: string, action: string) {
  return { status, at, actor, action };
}

/** The transfer as both merchants and staff see it (no personal data in it). */
export function transferView(record: TransferRequestRecord) {
  return {
    transferRequestId: record.transferRequestId,
    serialNumber: record.serialNumber,
    fromMerchantNo: record.fromMerchantNo,
    toMerchantNo: record.toMerchantNo,
    status: record.status,
    reason: record.reason,
    reasons: record.reasons,
    terminalId: record.toTerminalId ?? null,
    timeline: record.timeline,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

// Built on first use, not at import: this module is in many functions' bundles (module scope runs
// in every cold start) and only one of them parses this body.
const createSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    toMerchantNo: z.string().check(z.regex(/^\d{15}$/)),
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  }),
);

/**
 * `POST /v1/terminals/{sn}/transfer-requests` (the current merchant): marks the SN with the open
 * transfer (one at a time, only while bound to the caller) and starts the workflow.
 */
export async function createTransferRequest(
  deps: Pick<TransferDeps, 'transfers' | 'terminals' | 'merchants' | 'workflow' | 'clock' | 'deadlines'>,
  merchantNo: string | undefined,
  serialNumber: string,
  input: unknown,
) {
  const parsed = z.safeParse(createSchema(), input ?? {});
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: input ?? {} }));
  const { toMerchantNo, reason } = parsed.data;
  const terminal = await deps.terminals.get(checkSerialNumber(serialNumber));
  if (!terminal || !merchantNo || terminal.merchantNo !== merchantNo || !terminal.terminalId)
    throw notFound('Terminal');
  if (toMerchantNo === merchantNo) {
    throw validationFailed([
      { field: 'toMerchantNo', code: 'SAME_MERCHANT', message: 'The terminal is already yours' },
    ]);
  }
  const receiver = await deps.merchants.getMerchant(toMerchantNo);
  if (!receiver || !['PENDING_ACTIVATION', 'ACTIVE'].includes(receiver.status)) {
    throw validationFailed([
      {
        field: 'toMerchantNo',
        code: 'NOT_ACCEPTING',
        message: 'No active or pending merchant with this number',
      },
    ]);
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const transferRequestId = ulid(now.getTime());
  const record: TransferRequestRecord = {
    transferRequestId,
    serialNumber,
    fromMerchantNo: merchantNo,
    toMerchantNo,
    fromTerminalId: terminal.terminalId,
    reason,
    status: 'AWAITING_ACCEPTANCE',
    reasons: [],
    timeline: [entry('AWAITING_ACCEPTANCE', at, `merchant:${merchantNo}`, 'REQUESTED')],
    // Known before the start: the workflow's first step may write the request at once.
    executionArn: deps.workflow.executionArnOf(transferRequestId),
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (!(await deps.transfers.create(record))) {
    throw new AppError('CONFLICT', 'A transfer of this terminal is already under way');
  }
  try {
    await deps.workflow.start(transferRequestId, {
      kind: 'TERMINAL_TRANSFER',
      transferRequestId,
      config: workflowConfig(deps.deadlines),
    });
  } catch (error) {
    await deps.transfers.save(
      {
        ...record,
        status: 'CANCELLED',
        revision: 2,
        timeline: [...record.timeline, entry('CANCELLED', at, 'system', 'START_FAILED')],
      },
      1,
      true,
    );
    throw new AppError('SERVICE_UNAVAILABLE', 'The transfer could not be started now; try again', {
      cause: error,
    });
  }
  logger.info('transfer requested', { transferRequestId, serialNumber });
  return { transferRequestId, status: record.status };
}

async function load(deps: Pick<TransferDeps, 'transfers'>, transferRequestId: string) {
  const record = await deps.transfers.get(transferRequestId);
  if (!record) throw notFound('Transfer request');
  return record;
}

/** Either merchant of the transfer, or staff; anyone else gets the 404 of a missing request. */
export async function getTransferRequest(
  deps: Pick<TransferDeps, 'transfers'>,
  principal: MerchantPrincipal | StaffPrincipal,
  transferRequestId: string,
) {
  const record = await load(deps, transferRequestId);
  if (
    principal.kind === 'merchant' &&
    ![record.fromMerchantNo, record.toMerchantNo].includes(principal.merchantNo ?? '')
  ) {
    throw notFound('Transfer request');
  }
  return transferView(record);
}

/**
 * Writes a merchant's change on the latest revision of the request: the workflow writes the same
 * item (its acceptance token), and a request that loses that race is built again on the fresh
 * record rather than answering 409. The checks in `build` run again on every attempt.
 */
async function saveLatest(
  deps: Pick<TransferDeps, 'transfers'>,
  transferRequestId: string,
  build: (record: TransferRequestRecord) => { next: TransferRequestRecord; releaseTerminal?: boolean },
): Promise<{ record: TransferRequestRecord; next: TransferRequestRecord }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const record = await load(deps, transferRequestId);
    const { next, releaseTerminal } = build(record);
    if (await deps.transfers.save(next, record.revision, releaseTerminal)) return { record, next };
  }
  throw new AppError('CONFLICT', 'The transfer request changed at the same time; read it again and retry');
}

/**
 * `POST /v1/transfer-requests/{id}/accept` (the receiving merchant only): → PENDING_REVIEW and the
 * waiting workflow resumes. If it cannot be resumed now, the acceptance is undone (retry later).
 */
export async function acceptTransferRequest(
  deps: Pick<TransferDeps, 'transfers' | 'workflow' | 'clock'>,
  merchantNo: string | undefined,
  transferRequestId: string,
) {
  const { record, next } = await saveLatest(deps, transferRequestId, (record) => {
    if (merchantNo === record.fromMerchantNo) throw forbidden();
    if (merchantNo !== record.toMerchantNo) throw notFound('Transfer request');
    if (record.status !== 'AWAITING_ACCEPTANCE') throw invalidState(`The transfer is ${record.status}`);
    const at = deps.clock.now().toISOString();
    return {
      next: {
        ...record,
        status: 'PENDING_REVIEW',
        acceptanceToken: undefined,
        revision: record.revision + 1,
        updatedAt: at,
        timeline: [...record.timeline, entry('PENDING_REVIEW', at, `merchant:${merchantNo}`, 'ACCEPTED')],
      },
    };
  });
  if (record.acceptanceToken) {
    try {
      await deps.workflow.resume(record.acceptanceToken, { accepted: true });
    } catch (error) {
      await deps.transfers.save({ ...record, revision: next.revision + 1 }, next.revision);
      throw new AppError('SERVICE_UNAVAILABLE', 'The acceptance could not be recorded now; try again', {
        cause: error,
      });
    }
  }
  // Without a token the workflow has not reached its wait yet; it sees PENDING_REVIEW and goes on.
  return { transferRequestId, status: next.status };
}

/**
 * `POST /v1/transfer-requests/{id}/cancel` (the sender, before the review decision). The review
 * task is closed first with a conditional write, so a cancellation and a decision cannot both win.
 */
export async function cancelTransferRequest(
  deps: Pick<TransferDeps, 'transfers' | 'reviews' | 'workflow' | 'clock'>,
  merchantNo: string | undefined,
  transferRequestId: string,
) {
  const current = await load(deps, transferRequestId);
  if (merchantNo === current.toMerchantNo) throw forbidden();
  if (merchantNo !== current.fromMerchantNo) throw notFound('Transfer request');
  if (!CANCELLABLE_TRANSFER_STATUSES.includes(current.status))
    throw invalidState(`The transfer is ${current.status}`);
  const task = await deps.reviews.get(transferRequestId);
  if (task && !(await deps.reviews.close(transferRequestId, 'CANCELLED'))) {
    throw invalidState('The transfer has been decided');
  }
  const { record, next } = await saveLatest(deps, transferRequestId, (record) => {
    if (!CANCELLABLE_TRANSFER_STATUSES.includes(record.status))
      throw invalidState(`The transfer is ${record.status}`);
    const at = deps.clock.now().toISOString();
    return {
      next: {
        ...record,
        status: 'CANCELLED',
        acceptanceToken: undefined,
        revision: record.revision + 1,
        updatedAt: at,
        timeline: [...record.timeline, entry('CANCELLED', at, `merchant:${merchantNo}`, 'CANCELLED')],
      },
      releaseTerminal: true,
    };
  });
  await deps.workflow.stop(record.executionArn, 'Cancelled by the sending merchant').catch((error: Error) => {
    logger.warn('could not stop the transfer workflow', { transferRequestId, errorName: error.name });
  });
  return { transferRequestId, status: next.status };
}

// ---- Workflow steps ---------------------------------------------------------------------------

async function mustLoad(deps: Pick<TransferDeps, 'transfers'>, transferRequestId: string) {
  const record = await deps.transfers.get(transferRequestId);
  if (!record) throw new Error('Transfer request not found');
  return record;
}

/** TransferAwaitAcceptance (`.waitForTaskToken`): keeps the token for the receiver's acceptance. */
export async function transferAwaitAcceptance(
  deps: Pick<TransferDeps, 'transfers' | 'workflow' | 'clock'>,
  input: { transferRequestId: string; taskToken: string },
) {
  const record = await mustLoad(deps, input.transferRequestId);
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
  deps: Pick<TransferDeps, 'transfers' | 'reviews' | 'workflow' | 'clock' | 'deadlines'>,
  input: { transferRequestId: string; taskToken: string },
) {
  const record = await mustLoad(deps, input.transferRequestId);
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

/** TransferComplete: the atomic re-binding with a new terminal ID (idempotent on retry). */
export async function transferComplete(
  deps: Pick<TransferDeps, 'transfers' | 'reviews' | 'merchants' | 'clock'>,
  transferRequestId: string,
) {
  const record = await mustLoad(deps, transferRequestId);
  if (record.status === 'COMPLETED') return { status: record.status, terminalId: record.toTerminalId };
  if (record.status !== 'PENDING_REVIEW') return { skipped: record.status };
  const task = await deps.reviews.get(transferRequestId);
  const actor = `staff:${task?.decidedBy ?? 'unknown'}`;
  const toTerminalId = terminalIdOf(await deps.merchants.nextSequence('TERMINAL'));
  const at = deps.clock.now().toISOString();
  const outcome = await deps.transfers.complete({ transfer: record, toTerminalId, at, actor });
  if (outcome === 'TERMINAL_LIMIT') {
    // Approved, but the receiver filled its 5 places meanwhile: the SN stays with the sender.
    await deps.transfers.save(
      {
        ...record,
        status: 'REJECTED',
        reasons: [
          {
            field: 'toMerchantNo',
            code: 'TERMINAL_LIMIT',
            reason: 'The receiving merchant holds 5 terminals',
          },
        ],
        revision: record.revision + 1,
        updatedAt: at,
        timeline: [...record.timeline, entry('REJECTED', at, 'system', 'TERMINAL_LIMIT')],
      },
      record.revision,
      true,
    );
    return { status: 'REJECTED' };
  }
  if (outcome === 'STALE') throw new Error('The transfer or the terminal changed during completion');
  logger.info('terminal transferred', { transferRequestId, serialNumber: record.serialNumber });
  return { status: 'COMPLETED', terminalId: toTerminalId };
}

/** TransferRecordDecision: REJECT → REJECTED with the reviewer's reasons; the SN is released. */
export async function transferRecordDecision(
  deps: Pick<TransferDeps, 'transfers' | 'reviews' | 'clock'>,
  input: { transferRequestId: string; taskId: string },
) {
  const record = await mustLoad(deps, input.transferRequestId);
  if (record.status !== 'PENDING_REVIEW') return { status: record.status };
  const task = await deps.reviews.get(input.taskId);
  const at = deps.clock.now().toISOString();
  await deps.transfers.save(
    {
      ...record,
      status: 'REJECTED',
      reasons: (task?.reasons ?? []).map((r) => ({
        field: r.field,
        code: 'REJECTED_BY_REVIEWER',
        reason: r.reason,
      })),
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [
        ...record.timeline,
        entry('REJECTED', at, `staff:${task?.decidedBy ?? 'unknown'}`, 'REJECT'),
      ],
    },
    record.revision,
    true,
  );
  return { status: 'REJECTED' };
}

/** TransferExpire: not accepted in time, or no decision by the final deadline → EXPIRED. */
export async function transferExpire(
  deps: Pick<TransferDeps, 'transfers' | 'reviews' | 'clock'>,
  transferRequestId: string,
) {
  const record = await mustLoad(deps, transferRequestId);
  if (!CANCELLABLE_TRANSFER_STATUSES.includes(record.status)) return { status: record.status };
  await deps.reviews.close(transferRequestId, 'EXPIRED');
  const at = deps.clock.now().toISOString();
  await deps.transfers.save(
    {
      ...record,
      status: 'EXPIRED',
      acceptanceToken: undefined,
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [...record.timeline, entry('EXPIRED', at, 'system', 'EXPIRED')],
    },
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
  deps: Pick<
    TransferDeps,
    'sends' | 'suppressions' | 'smsQuota' | 'hasher' | 'mailer' | 'sms' | 'clock' | 'config'
  >,
  merchant: MerchantRecord,
  template: TerminalTemplate,
  subjectId: string,
  values: TerminalTemplateValues,
  smsOnly: () => Promise<Partial<TerminalTemplateValues>> = async () => ({}),
): Promise<SendOutcome[]> {
  const { contact, locale } = merchant;
  const common = { subjectId, template, maxAttempts: WORKFLOW_SEND_ATTEMPTS };
  const email = await sendOnce(deps, { ...common, channel: 'EMAIL', address: contact.email }, () =>
    deps.mailer.send({ to: [contact.email], ...renderTerminalEmail(template, locale, values) }),
  );
  const sms = await sendOnce(deps, { ...common, channel: 'SMS', address: contact.phone }, async () => {
    const message = renderTerminalSms(
      template,
      locale,
      { ...values, ...(await smsOnly()) },
      deps.config.smsSignature,
    );
    return deps.sms.send({ to: contact.phone, body: message.body, templateId: message.templateId });
  });
  return [email, sms];
}

/**
 * TransferNotify: REQUESTED → the receiver is asked to accept; ACCEPTED → the sender learns that
 * the receiver accepted and the review began; OUTCOME → COMPLETED tells both (the receiver gets
 * the new terminal's activation code by SMS), REJECTED and EXPIRED the sender. Messages that
 * cannot be delivered are noted in the transfer's timeline.
 */
export async function transferNotify(
  deps: Pick<
    TransferDeps,
    | 'transfers'
    | 'merchants'
    | 'terminals'
    | 'hasher'
    | 'sends'
    | 'suppressions'
    | 'smsQuota'
    | 'mailer'
    | 'sms'
    | 'clock'
    | 'config'
  >,
  input: { transferRequestId: string; event: string },
) {
  const record = await mustLoad(deps, input.transferRequestId);
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
  await noteInTransfer(deps, record.transferRequestId, undeliveredNotes(outcomes));
  throwIfAnyFailed(outcomes);
  return { sent: outcomes.filter((outcome) => outcome.result === 'SENT').length };
}

/** The failure is put in the transfer's timeline for operators (no details). */
export async function recordTransferFailure(
  deps: Pick<TransferDeps, 'transfers' | 'clock'>,
  input: { transferRequestId: string; failure?: { Error?: string } },
) {
  const at = deps.clock.now().toISOString();
  await appendToTransfer(deps, input.transferRequestId, () => [workflowFailedEntry(input.failure, at)]);
  logger.error('transfer workflow failed', {
    transferRequestId: input.transferRequestId,
    error: input.failure?.Error,
  });
  return { recorded: true };
}

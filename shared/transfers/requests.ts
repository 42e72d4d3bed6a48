import { ulid } from 'ulid';
import * as z from 'zod/mini';
import type { MerchantPrincipal, StaffPrincipal } from '../auth/principals';
import type { Deadlines } from '../config/env';
import { merchantFacingTimeline } from '../domain/actors';
import {
  CANCELLABLE_TRANSFER_STATUSES,
  type TransferRequestRecord,
  type TransferStatus,
} from '../domain/terminal';
import { AppError, forbidden, invalidState, notFound, validationFailed } from '../errors';
import { logger } from '../logger';
import type { Clock, WorkflowControl, WorkflowEngine } from '../ports';
import type { MerchantRepository } from '../ports/merchants';
import type { ReviewTaskCloser } from '../ports/repositories';
import type { TerminalReader, TerminalRepository, TransferRepository } from '../ports/terminals';
import { checkSerialNumber } from '../terminals/lifecycle';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';
import { type TransferExecution, transferExecution } from './process';

/** Everything the transfer requests may need; each route picks its part. */
export interface TransferDeps {
  readonly transfers: TransferRepository;
  readonly terminals: TerminalRepository;
  readonly merchants: MerchantRepository;
  /** Only the cancel route uses it: it closes the transfer's task. */
  readonly reviews: ReviewTaskCloser;
  readonly workflow: WorkflowEngine<TransferExecution>;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
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
export const createSchema = /* @__PURE__ */ lazy(() =>
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
  deps: Pick<TransferDeps, 'transfers' | 'merchants' | 'workflow' | 'clock' | 'deadlines'> & {
    readonly terminals: TerminalReader;
  },
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
  // One read, one answer: an unknown number and a merchant that takes no terminals look alike (and
  // cost alike: nothing of the receiver is decrypted), so the route tells nobody which numbers exist.
  if (!(await deps.merchants.acceptsTerminals(toMerchantNo))) {
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
    await deps.workflow.start(transferRequestId, transferExecution(transferRequestId, deps.deadlines));
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
  // A merchant sees `reviewer`, never the staff subject that decided.
  const view = transferView(record);
  return principal.kind === 'merchant' ? { ...view, timeline: merchantFacingTimeline(view.timeline) } : view;
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
  deps: Pick<TransferDeps, 'transfers' | 'clock'> & { readonly workflow: WorkflowControl },
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
  deps: Pick<TransferDeps, 'transfers' | 'reviews' | 'clock'> & { readonly workflow: WorkflowControl },
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

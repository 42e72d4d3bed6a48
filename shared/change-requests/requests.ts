import { ulid } from 'ulid';
import type { Deadlines } from '../config/env';
import { merchantFacingTimeline } from '../domain/actors';
import type { Actor } from '../domain/application';
import {
  type ChangeRequestRecord,
  changedFields,
  changeKeysOf,
  currentValues,
  maskChangeSet,
  maskedDiff,
  requiredChecksForChange,
} from '../domain/change-request';
import { AppError, invalidState, notFound, validationFailed } from '../errors';
import {
  checkIdempotencyKey,
  IDEMPOTENCY_TTL_SECONDS,
  idempotencyKeyReused,
  requestHashOf,
  keyHash as scopedKeyHash,
} from '../idempotency';
import { logger } from '../logger';
import type { Clock, WorkflowControl, WorkflowEngine } from '../ports';
import type { ChangeRequestRepository } from '../ports/change-requests';
import type { MerchantRepository } from '../ports/merchants';
import type { ReviewTaskCloser } from '../ports/repositories';
import { changeRuleProblems, parseChangeRequestBody } from '../validation/change-request-schema';
import { type ChangeRequestExecution, changeRequestExecution } from './process';

/** Everything the change-request API use cases may need; each function picks its part. */
export interface ChangeRequestDeps {
  readonly changeRequests: ChangeRequestRepository;
  readonly merchants: MerchantRepository;
  /** Only the cancel route uses it: it closes the request's task. */
  readonly reviews: ReviewTaskCloser;
  readonly workflow: WorkflowEngine<ChangeRequestExecution>;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
}

/** The request as the merchant and staff see it: new values masked, no automated-check details. */
export function changeRequestView(record: ChangeRequestRecord) {
  return {
    changeRequestId: record.changeRequestId,
    merchantNo: record.merchantNo,
    status: record.status,
    changes: maskChangeSet(record.changes),
    fields: record.fields,
    reason: record.reason,
    expectedVersion: record.expectedVersion,
    appliedVersion: record.appliedVersion ?? null,
    reasons: record.reasons,
    timeline: record.timeline,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** Loads a request of this merchant; another merchant's request answers 404 like a missing one. */
async function loadOwn(deps: Pick<ChangeRequestDeps, 'changeRequests'>, merchantNo: string, id: string) {
  const record = await deps.changeRequests.get(id);
  if (!record || record.merchantNo !== merchantNo) throw notFound('Change request');
  return record;
}

/** What filing a change request answers (the first time and on every replay of its key). */
export type CreatedChangeRequest = {
  readonly changeRequestId: string;
  readonly status: 'PENDING_REVIEW';
  readonly createdAt: string;
};

/**
 * `POST /v1/merchants/{merchantNo}/change-requests`: validates the new values with the intake's
 * rules, then — in one transaction — stores the request, its idempotency record and the merchant's
 * open-request marker (a second open request → 409), and starts the workflow. The merchant's
 * values do not change here: they stay in force until approval.
 */
export async function createChangeRequest(
  deps: Pick<ChangeRequestDeps, 'changeRequests' | 'merchants' | 'workflow' | 'clock' | 'deadlines'>,
  merchantNo: string,
  input: { idempotencyKey: string | undefined; body: unknown },
): Promise<CreatedChangeRequest> {
  const idempotencyKey = checkIdempotencyKey(input.idempotencyKey);
  // Validation first: an invalid body stores nothing, so the key stays free for a corrected body.
  const body = parseChangeRequestBody(input.body);
  const merchant = await deps.merchants.getMerchant(merchantNo);
  if (!merchant) throw notFound('Merchant');
  const problems = changeRuleProblems(body.changes, merchant.type);
  if (problems.length > 0) throw validationFailed(problems);

  // Scoped by merchant: two merchants may pick the same key without seeing each other's answer.
  const keyHash = scopedKeyHash('create-change-request', merchantNo, idempotencyKey);
  const requestHash = requestHashOf(input.body);
  const replay = async () => {
    const stored = await deps.changeRequests.getIdempotency(keyHash);
    if (!stored) return undefined;
    if (stored.requestHash !== requestHash) throw idempotencyKeyReused();
    return stored.response as CreatedChangeRequest;
  };
  const earlier = await replay();
  if (earlier) return earlier;

  if (merchant.status === 'CLOSED') throw invalidState('A closed merchant cannot be changed');
  // A stale expectedVersion is accepted (approval ends it STALE, spec 5); a future one can never match.
  if (body.expectedVersion > merchant.version) {
    throw validationFailed([
      {
        field: 'expectedVersion',
        code: 'INVALID_VALUE',
        message: `The merchant is at version ${merchant.version}; expectedVersion cannot be newer`,
      },
    ]);
  }
  const fields = changedFields(merchant, body.changes);
  if (fields.length === 0) {
    throw validationFailed([
      { field: 'changes', code: 'NO_CHANGE', message: 'The new values equal the current ones' },
    ]);
  }

  const now = deps.clock.now();
  const at = now.toISOString();
  const changeRequestId = ulid(now.getTime());
  const actor: Actor = `merchant:${merchantNo}`;
  const record: ChangeRequestRecord = {
    changeRequestId,
    merchantNo,
    status: 'PENDING_REVIEW',
    changes: body.changes,
    reason: body.reason,
    expectedVersion: body.expectedVersion,
    fields,
    checks: [],
    requiredChecks: requiredChecksForChange(merchant, body.changes),
    reasons: [],
    timeline: [{ status: 'PENDING_REVIEW', at, actor, action: 'CREATED', fields }],
    // Stored before the start: the workflow's first step may write the request at once.
    executionArn: deps.workflow.executionArnOf(changeRequestId),
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
  const response: CreatedChangeRequest = { changeRequestId, status: 'PENDING_REVIEW', createdAt: at };
  const created = await deps.changeRequests.create(
    record,
    { keyHash, requestHash, response, changeRequestId },
    IDEMPOTENCY_TTL_SECONDS,
  );
  if (created === 'KEY_TAKEN') {
    // A concurrent request with the same key won the race: answer as its replay.
    const raced = await replay();
    if (raced) return raced;
    throw new AppError('CONFLICT', 'A request with this Idempotency-Key is in progress');
  }
  if (created === 'OPEN_REQUEST_EXISTS') {
    const open = await deps.changeRequests.openChangeRequestId(merchantNo);
    throw new AppError('CONFLICT', 'This merchant already has an open change request', {
      details: open ? { openChangeRequestId: open } : {},
    });
  }

  try {
    await deps.workflow.start(changeRequestId, changeRequestExecution(changeRequestId, deps.deadlines));
  } catch (error) {
    // Nothing may be left half-done: without a workflow the request ends at once (marker released,
    // idempotency record removed), so the merchant can simply send the same request again.
    logger.error('workflow start failed; ending the change request', {
      changeRequestId,
      errorName: (error as Error).name,
    });
    await deps.changeRequests.finish(
      {
        ...record,
        status: 'CANCELLED',
        revision: record.revision + 1,
        timeline: [
          ...record.timeline,
          { status: 'CANCELLED', at, actor: 'system', action: 'WORKFLOW_NOT_STARTED' },
        ],
      },
      record.revision,
      { idempotencyKeyHash: keyHash },
    );
    throw new AppError('SERVICE_UNAVAILABLE', 'The change request could not be filed now; try again', {
      cause: error,
    });
  }
  logger.info('change request created', { changeRequestId, merchantNo, fields });
  return response;
}

/**
 * `GET /v1/merchants/{merchantNo}/change-requests/{id}`; the merchant (`audience: 'merchant'`)
 * sees `reviewer` in the timeline, never a staff subject.
 */
export async function getChangeRequest(
  deps: Pick<ChangeRequestDeps, 'changeRequests'>,
  merchantNo: string,
  changeRequestId: string,
  audience: 'merchant' | 'staff' = 'merchant',
) {
  const view = changeRequestView(await loadOwn(deps, merchantNo, changeRequestId));
  return audience === 'merchant' ? { ...view, timeline: merchantFacingTimeline(view.timeline) } : view;
}

/**
 * `POST /v1/merchants/{merchantNo}/change-requests/{id}/cancel`: while PENDING_REVIEW and not yet
 * decided → CANCELLED (conditional on both), marker released, review task closed, workflow stopped.
 */
export async function cancelChangeRequest(
  deps: Pick<ChangeRequestDeps, 'changeRequests' | 'reviews' | 'clock'> & {
    readonly workflow: WorkflowControl;
  },
  merchantNo: string,
  changeRequestId: string,
) {
  // The workflow writes the same record (checks, task); a cancellation that loses that race is
  // built again on the fresh record instead of answering 409.
  let record = await loadOwn(deps, merchantNo, changeRequestId);
  for (let attempt = 1; ; attempt++) {
    if (record.status !== 'PENDING_REVIEW') {
      throw invalidState(`The change request cannot be cancelled while ${record.status}`);
    }
    const at = deps.clock.now().toISOString();
    const next: ChangeRequestRecord = {
      ...record,
      status: 'CANCELLED',
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [
        ...record.timeline,
        { status: 'CANCELLED', at, actor: `merchant:${merchantNo}`, action: 'CANCELLED' },
      ],
    };
    // The task id is the request id; a decided task means the reviewer was first.
    const outcome = await deps.changeRequests.finish(next, record.revision, {
      pendingTaskId: changeRequestId,
    });
    if (outcome === 'TASK_DECIDED') throw invalidState('The change request was decided already');
    if (outcome !== 'REVISION_MOVED') break;
    if (attempt >= 3)
      throw new AppError('CONFLICT', 'The change request changed at the same time; read it again');
    record = await loadOwn(deps, merchantNo, changeRequestId);
  }
  await deps.reviews.close(changeRequestId, 'CANCELLED');
  if (record.executionArn) {
    await deps.workflow.stop(record.executionArn, 'Cancelled by the merchant').catch((error: Error) => {
      // Every workflow step re-reads the request and does nothing for a cancelled one.
      logger.warn('could not stop the workflow', { changeRequestId, errorName: error.name });
    });
  }
  logger.info('change request cancelled', { changeRequestId });
  return { changeRequestId, status: 'CANCELLED' as const };
}

/**
 * The subject of a CHANGE_REQUEST review task (`GET /v1/reviews/{taskId}`): the masked
 * before/after of each changed key. "Before" is the merchant's current value while the request is
 * open (old values stay in force), and the replaced value once it was applied.
 */
export async function changeRequestReviewSubject(
  deps: Pick<ChangeRequestDeps, 'changeRequests' | 'merchants'>,
  changeRequestId: string,
) {
  const record = await deps.changeRequests.get(changeRequestId);
  if (!record) return null;
  const merchant = await deps.merchants.getMerchant(record.merchantNo);
  const before = record.before ?? (merchant ? currentValues(merchant, record.changes) : {});
  return {
    changeRequestId: record.changeRequestId,
    merchantNo: record.merchantNo,
    status: record.status,
    reason: record.reason,
    expectedVersion: record.expectedVersion,
    currentVersion: merchant?.version ?? null,
    merchant: merchant
      ? {
          type: merchant.type,
          name: merchant.business.name,
          mcc: merchant.business.mcc,
          status: merchant.status,
        }
      : null,
    keys: changeKeysOf(record.changes),
    fields: record.fields,
    diff: maskedDiff(before, record.changes),
    reasons: record.reasons,
    timeline: record.timeline,
  };
}

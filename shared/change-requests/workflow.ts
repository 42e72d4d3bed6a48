import type { Deadlines } from '../config/env';
import type { Actor, AutomatedCheck, Reason } from '../domain/application';
import {
  applyChanges,
  type ChangeRequestRecord,
  type ChangeRequestStatus,
  changedFields,
  changeKeysOf,
  currentValues,
} from '../domain/change-request';
import { logger } from '../logger';
import { HASH_PURPOSE } from '../merchants/identities';
import {
  type ChangeTemplate,
  type ChangeTemplateValues,
  renderChangeEmail,
  renderChangeSms,
} from '../notifications/change-templates';
import {
  type SendOutcome,
  sendOnce,
  throwIfAnyFailed,
  undeliveredNotes,
  WORKFLOW_SEND_ATTEMPTS,
} from '../notifications/send-once';
import type { Clock, KeyedHasher, Mailer, SmsSender, WorkflowControl } from '../ports';
import type { ChangeRequestRepository } from '../ports/change-requests';
import type { MerchantRepository, SendRecordRepository } from '../ports/merchants';
import type { SendQuota, SuppressionList } from '../ports/notifications';
import type { ApplicationRepository, ReviewTaskCloser, ReviewTaskReader } from '../ports/repositories';
import { openReviewTask, type ReviewTaskDeps, reviewerReasons } from '../reviews/workflow';
import type { Contact } from '../validation/application-schema';
import { storedChangeProblems } from '../validation/change-request-schema';
import type { MessagingKeys } from '../workflow-kit/messaging';
import { processSubjects } from '../workflow-kit/process-subjects';
import { transitioned } from '../workflow-kit/subject';

/** Dependencies of the change-request Task functions (each function builds only what it uses). */
export interface ChangeWorkflowDeps {
  readonly changeRequests: ChangeRequestRepository;
  readonly merchants: MerchantRepository;
  /** The blocklist lookup (keyed hashes) lives with the applications. */
  readonly applications: ApplicationRepository;
  /** The steps acting on a decision read the task; the wait opens it, the expiry closes it (see there). */
  readonly reviews: ReviewTaskReader;
  readonly sends: SendRecordRepository;
  readonly suppressions: SuppressionList;
  readonly sendQuota: SendQuota;
  readonly hasher: KeyedHasher;
  readonly workflow: WorkflowControl;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
  readonly config: { smsSignature: string; smsPerPhonePerHour: number; emailPerAddressPerHour: number };
}

/** What a wait resumes with when there is nothing to review: the decision route ends quietly. */
const NO_DECISION = 'NONE';

/** How often the approval re-reads and retries when concurrent transactions collide. */
const APPLY_ATTEMPTS = 5;

/**
 * The change requests as the workflow kit sees them, with the steps every process has:
 * ChangeRecordFailure (the status stays: a request left PENDING_REVIEW can still be cancelled by the
 * merchant), and ChangeEscalateReview (the review task has the request's id).
 */
export const changeRequestSteps = processSubjects(
  { process: 'change-request', label: 'Change request', idKey: 'changeRequestId' },
  (deps: Pick<ChangeWorkflowDeps, 'changeRequests'>) => deps.changeRequests,
);

async function mustLoadMerchant(deps: Pick<ChangeWorkflowDeps, 'merchants'>, merchantNo: string) {
  const merchant = await deps.merchants.getMerchant(merchantNo);
  if (!merchant) throw new Error('Merchant not found');
  return merchant;
}

/** The request in a final state with its audit entry. */
function ended(
  record: ChangeRequestRecord,
  status: ChangeRequestStatus,
  at: string,
  actor: Actor,
  action: string,
  changes: Partial<ChangeRequestRecord> = {},
): ChangeRequestRecord {
  return transitioned(record, status, { at, actor, action }, changes);
}

/** Writes a final state; a concurrent change (cancel) makes the step retry and re-read. */
async function finishOrRetry(
  deps: Pick<ChangeWorkflowDeps, 'changeRequests'>,
  next: ChangeRequestRecord,
  expectedRevision: number,
) {
  const outcome = await deps.changeRequests.finish(next, expectedRevision);
  if (outcome !== 'DONE') throw new Error('The change request changed during the step');
}

/**
 * ChangeRunChecks: the new values against the intake's validators again (a rule may have changed
 * since), the blocklist for a new settlement account (keyed hash), the merchant's state, and the
 * version the request was written against (a WARN for the reviewer: approval would end STALE).
 * A failed validation or blocklist hit rejects automatically. Licence and legal-person ID — the
 * duplicate-merchant identities — cannot change here, so the uniqueness markers stay as they are.
 */
export async function runChangeChecks(
  deps: Pick<ChangeWorkflowDeps, 'changeRequests' | 'merchants' | 'applications' | 'hasher' | 'clock'>,
  changeRequestId: string,
) {
  const record = await changeRequestSteps.load(deps, changeRequestId);
  if (record.status !== 'PENDING_REVIEW') {
    // A retry after an automatic rejection still takes the rejection route (its notification).
    return { outcome: record.status === 'REJECTED' ? 'REJECTED' : 'SKIPPED', status: record.status };
  }
  // A retry after the checks were stored: they are not run (or logged) twice.
  if (record.checks.length > 0) return { outcome: 'PASSED' };
  const merchant = await mustLoadMerchant(deps, record.merchantNo);

  const checks: AutomatedCheck[] = [];
  const reasons: Reason[] = [];
  const fail = (name: string, code: string, field: string, detail: string) => {
    checks.push({ name, result: 'FAIL', detail });
    reasons.push({ field, code, reason: detail });
  };

  const problems = storedChangeProblems(record.changes, merchant.type);
  if (problems.length === 0) {
    checks.push({ name: 'validation', result: 'PASS', detail: 'The new values pass the intake rules' });
  }
  for (const p of problems) fail('validation', p.code, p.field, `Field ${p.field} fails rule ${p.code}`);

  const account = record.changes.settlement?.accountNumber;
  if (account) {
    const keyedHash = await deps.hasher.mac(HASH_PURPOSE.ACCOUNT, account);
    if (await deps.applications.isBlocked('ACCOUNT', keyedHash)) {
      fail(
        'blocklist',
        'BLOCKLISTED',
        'changes.settlement.accountNumber',
        'The new settlement account is on the blocklist',
      );
    } else {
      checks.push({
        name: 'blocklist',
        result: 'PASS',
        detail: 'The new settlement account is not on the blocklist',
      });
    }
  } else {
    checks.push({ name: 'blocklist', result: 'PASS', detail: 'No new settlement account' });
  }
  checks.push({
    name: 'duplicateMerchant',
    result: 'PASS',
    detail: 'Licence and legal-person ID cannot be changed by a change request',
  });

  if (merchant.status === 'CLOSED')
    fail('merchant', 'MERCHANT_CLOSED', 'merchantNo', 'The merchant is closed');
  else checks.push({ name: 'merchant', result: 'PASS', detail: `Merchant is ${merchant.status}` });

  checks.push(
    merchant.version === record.expectedVersion
      ? { name: 'version', result: 'PASS', detail: `Merchant is at the expected version ${merchant.version}` }
      : {
          name: 'version',
          result: 'WARN',
          detail: `Merchant is at version ${merchant.version}, the request expects ${record.expectedVersion}: approval will end STALE`,
        },
  );

  const at = deps.clock.now().toISOString();
  if (reasons.length > 0) {
    await finishOrRetry(
      deps,
      ended(record, 'REJECTED', at, 'system', 'AUTO_REJECTED', { checks, reasons }),
      record.revision,
    );
    logger.info('change request rejected by automated checks', {
      changeRequestId,
      codes: reasons.map((r) => r.code),
    });
    return { outcome: 'REJECTED' };
  }
  const saved = await deps.changeRequests.save(
    {
      ...record,
      checks,
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [...record.timeline, { status: record.status, at, actor: 'system', action: 'CHECKS_PASSED' }],
    },
    record.revision,
  );
  if (!saved) throw new Error('The change request changed during the checks');
  return { outcome: 'PASSED' };
}

/**
 * ChangeAwaitReview (`.waitForTaskToken`): opens the CHANGE_REQUEST task (id = the request id) or
 * gives it the new token. A request that ended meanwhile (cancelled) resumes the wait at once with
 * no decision, so the execution ends instead of waiting for its deadline.
 */
export async function awaitChangeReview(
  deps: Pick<ChangeWorkflowDeps, 'changeRequests' | 'merchants'> & ReviewTaskDeps,
  input: { changeRequestId: string; taskToken: string },
) {
  const record = await changeRequestSteps.load(deps, input.changeRequestId);
  const taskId = record.changeRequestId;
  if (record.status !== 'PENDING_REVIEW') {
    await deps.workflow.resume(input.taskToken, { taskId, decision: NO_DECISION });
    return { taskId, skipped: record.status };
  }
  const merchant = await mustLoadMerchant(deps, record.merchantNo);
  const opened = await openReviewTask(deps, {
    taskId,
    kind: 'CHANGE_REQUEST',
    subjectId: record.changeRequestId,
    automatedChecks: record.checks,
    requiredChecks: record.requiredChecks,
    // Names only: the summary is listed in the queue and must hold no personal data.
    summary: `${merchant.type} · ${merchant.business.name} · ${record.merchantNo} · ${changeKeysOf(record.changes).join(', ')}`,
    taskToken: input.taskToken,
  });
  if (opened === 'CLOSED') await deps.workflow.resume(input.taskToken, { taskId, decision: NO_DECISION });
  return { taskId, opened };
}

/**
 * ChangeApply: after an APPROVE, one transaction applies the diff only if the merchant is still
 * at `expectedVersion` (version + 1, a new version snapshot with the reviewer and time, the
 * request APPLIED, the marker released). If the merchant moved on, the request ends STALE and
 * nothing is overwritten. Idempotent: a request already ended is returned as it is.
 */
export async function applyChangeRequest(
  deps: Pick<ChangeWorkflowDeps, 'changeRequests' | 'merchants' | 'reviews' | 'clock'>,
  changeRequestId: string,
) {
  for (let attempt = 1; attempt <= APPLY_ATTEMPTS; attempt++) {
    const record = await changeRequestSteps.load(deps, changeRequestId);
    if (record.status !== 'PENDING_REVIEW') {
      return { status: record.status, version: record.appliedVersion ?? null };
    }
    const task = await deps.reviews.get(changeRequestId);
    if (task?.status !== 'DECIDED' || task.decision !== 'APPROVE') {
      throw new Error('The change request has no approving decision');
    }
    const actor: Actor = `staff:${task.decidedBy ?? 'unknown'}`;
    const merchant = await mustLoadMerchant(deps, record.merchantNo);
    const at = deps.clock.now().toISOString();

    if (merchant.version !== record.expectedVersion) {
      const stale = ended(record, 'STALE', at, 'system', 'VERSION_MOVED', {
        reasons: [
          {
            field: 'expectedVersion',
            code: 'VERSION_MOVED',
            reason: `The merchant is at version ${merchant.version}; the request was written against version ${record.expectedVersion}`,
          },
        ],
      });
      if ((await deps.changeRequests.finish(stale, record.revision)) === 'DONE') {
        logger.info('change request stale', { changeRequestId, merchantVersion: merchant.version });
        return { status: 'STALE' as const, version: null };
      }
      continue;
    }

    const fields = changedFields(merchant, record.changes);
    const next = applyChanges(merchant, record.changes, at);
    const applied: ChangeRequestRecord = {
      ...record,
      status: 'APPLIED',
      fields,
      before: currentValues(merchant, record.changes),
      appliedVersion: next.version,
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [
        ...record.timeline,
        { status: 'APPLIED', at, actor, action: 'APPROVED_AND_APPLIED', fields },
      ],
    };
    const outcome = await deps.changeRequests.apply({
      request: applied,
      expectedRevision: record.revision,
      merchant: next,
      expectedVersion: merchant.version,
      version: {
        version: next.version,
        snapshot: next,
        actor,
        action: 'CHANGE_APPLIED',
        at,
        fields,
        changeRequestId,
      },
    });
    if (outcome === 'APPLIED') {
      logger.info('change request applied', { changeRequestId, version: next.version, fields });
      return { status: 'APPLIED' as const, version: next.version };
    }
    // VERSION_MOVED / REVISION_MOVED / CONFLICT: read both again; the next round decides.
    if (outcome === 'CONFLICT') await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
  throw new Error('The change request could not be applied after repeated conflicts');
}

/** ChangeRecordRejection: REJECT → REJECTED with the reviewer's reasons (a wait without decision: nothing). */
export async function recordChangeDecision(
  deps: Pick<ChangeWorkflowDeps, 'changeRequests' | 'reviews' | 'clock'>,
  input: { changeRequestId: string; taskId: string },
) {
  const record = await changeRequestSteps.load(deps, input.changeRequestId);
  if (record.status !== 'PENDING_REVIEW') return { status: record.status };
  const task = await deps.reviews.get(input.taskId);
  if (task?.decision !== 'REJECT') throw new Error('No recordable decision on the task');
  const at = deps.clock.now().toISOString();
  const reasons = reviewerReasons(task);
  await finishOrRetry(
    deps,
    ended(record, 'REJECTED', at, `staff:${task.decidedBy ?? 'unknown'}`, 'REJECT', { reasons }),
    record.revision,
  );
  return { status: 'REJECTED' };
}

/** ChangeExpire: no decision by the final deadline → EXPIRED; the old values simply stay. */
export async function expireChangeRequest(
  deps: Pick<ChangeWorkflowDeps, 'changeRequests' | 'clock'> & { readonly reviews: ReviewTaskCloser },
  changeRequestId: string,
) {
  const record = await changeRequestSteps.load(deps, changeRequestId);
  if (record.status !== 'PENDING_REVIEW') return { status: record.status };
  await deps.reviews.close(changeRequestId, 'EXPIRED');
  const at = deps.clock.now().toISOString();
  const reasons = [
    {
      field: 'review',
      code: 'REVIEW_DEADLINE_PASSED',
      reason: 'No review decision before the final deadline',
    },
  ];
  await finishOrRetry(deps, ended(record, 'EXPIRED', at, 'system', 'EXPIRED', { reasons }), record.revision);
  return { status: 'EXPIRED' };
}

const TEMPLATE_OF: Partial<Record<ChangeRequestStatus, ChangeTemplate>> = {
  APPLIED: 'CHANGE_APPLIED',
  REJECTED: 'CHANGE_REJECTED',
  STALE: 'CHANGE_STALE',
  EXPIRED: 'CHANGE_EXPIRED',
};

/**
 * ChangeNotifyOutcome: email and SMS of the outcome to the merchant's contact, each at most once.
 * When an applied change replaced the contact, the old contact is told as well (on each channel
 * whose address changed): a change it did not ask for must not go unnoticed. A cancelled request
 * sends nothing (the merchant did it). Messages that cannot be delivered are noted in the request's
 * timeline.
 */
export async function notifyChangeOutcome(
  deps: Pick<ChangeWorkflowDeps, 'changeRequests' | 'merchants' | MessagingKeys>,
  changeRequestId: string,
) {
  const record = await changeRequestSteps.load(deps, changeRequestId);
  const template = TEMPLATE_OF[record.status];
  if (!template) return { sent: [] };
  const merchant = await mustLoadMerchant(deps, record.merchantNo);
  const locale = merchant.locale;
  const values: ChangeTemplateValues = {
    merchantNo: record.merchantNo,
    changeRequestId,
    fields: record.fields,
    reasons: record.reasons,
  };
  const email = renderChangeEmail(template, locale, values);
  const sms = renderChangeSms(template, locale, values, deps.config.smsSignature);

  const tell = (subjectId: string, contact: Contact, channels: { email: boolean; sms: boolean }) => {
    const common = { subjectId, template, maxAttempts: WORKFLOW_SEND_ATTEMPTS };
    return [
      ...(channels.email
        ? [
            sendOnce(deps, { ...common, channel: 'EMAIL', address: contact.email }, () =>
              deps.mailer.send({ to: [contact.email], ...email }),
            ),
          ]
        : []),
      ...(channels.sms
        ? [
            sendOnce(deps, { ...common, channel: 'SMS', address: contact.phone }, (ref) =>
              deps.sms.send({ to: contact.phone, ...sms, reference: ref }),
            ),
          ]
        : []),
    ];
  };

  const current = merchant.contact;
  const previous = record.status === 'APPLIED' ? record.before?.contact : undefined;
  const outcomes: SendOutcome[] = await Promise.all([
    ...tell(changeRequestId, current, { email: true, sms: true }),
    // A separate send subject, so each recipient has its own exactly-once record.
    ...(previous
      ? tell(`${changeRequestId}#previous-contact`, previous, {
          email: previous.email !== current.email,
          sms: previous.phone !== current.phone,
        })
      : []),
  ]);
  await changeRequestSteps.noteUndelivered(deps, changeRequestId, undeliveredNotes(outcomes));
  throwIfAnyFailed(outcomes);
  return { outcomes: outcomes.map((outcome) => outcome.result) };
}

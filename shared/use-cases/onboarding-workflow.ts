import type { Deadlines } from '../config/env';
import type { ApplicationRecord, ApplicationStatus, AutomatedCheck, Reason } from '../domain/application';
import { type MerchantRecord, merchantNumber, merchantNumberPrefix, terminalIdOf } from '../domain/merchant';
import type { RequiredCheck } from '../domain/review';
import { logger } from '../logger';
import {
  sendOnce,
  throwIfAnyFailed,
  undeliveredNotes,
  WORKFLOW_SEND_ATTEMPTS,
} from '../notifications/send-once';
import { renderSupervisorEmail } from '../notifications/supervisor-templates';
import type { Locale } from '../notifications/template-engine';
import { type MerchantTemplate, renderEmail, renderSms } from '../notifications/templates';
import type { Clock, DocumentStorage, KeyedHasher, Mailer, SmsSender, WorkflowEngine } from '../ports';
import type { ChangeRequestRepository } from '../ports/change-requests';
import type { MerchantRepository, SendRecordRepository } from '../ports/merchants';
import type { SmsQuota, SuppressionList } from '../ports/notifications';
import type { ApplicationRepository, ReviewTaskRepository } from '../ports/repositories';
import type { TerminalRepository, TransferRepository } from '../ports/terminals';
import { findMcc } from '../reference/mcc';
import { parseApplication } from '../validation/application-schema';
import { newActivationCode } from './activation-codes';
import { applicationTaskId, documentProblems } from './applications';
import { noteInApplication, noteInChangeRequest, noteInTransfer } from './notification-notes';
import { openReviewTask } from './review-tasks';
import { blocklistCandidates } from './uniqueness';

/** Dependencies of the workflow's Task functions (each function builds only what it uses). */
export interface WorkflowTaskDeps {
  readonly applications: ApplicationRepository;
  readonly reviews: ReviewTaskRepository;
  readonly merchants: MerchantRepository;
  readonly terminals: TerminalRepository;
  readonly sends: SendRecordRepository;
  readonly suppressions: SuppressionList;
  readonly smsQuota: SmsQuota;
  /** Escalation notes go into the timeline of whichever subject the review task is about. */
  readonly changeRequests: ChangeRequestRepository;
  readonly transfers: TransferRepository;
  readonly hasher: KeyedHasher;
  readonly storage: DocumentStorage;
  readonly workflow: WorkflowEngine;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
  readonly config: {
    acquirerCode: string;
    smsSignature: string;
    smsPerPhonePerHour: number;
    supervisorEmail: string;
    supervisorLocale: Locale;
  };
}

async function mustLoad(deps: Pick<WorkflowTaskDeps, 'applications'>, applicationId: string) {
  const record = await deps.applications.get(applicationId);
  if (!record) throw new Error('Application not found');
  return record;
}

/** Saves a status change with its audit entry; a concurrent change makes the step retry. */
async function transition(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'clock'>,
  record: ApplicationRecord,
  status: ApplicationStatus,
  action: string,
  changes: Partial<ApplicationRecord> = {},
  markers: { release?: readonly string[] } = {},
): Promise<ApplicationRecord> {
  const at = deps.clock.now().toISOString();
  const next: ApplicationRecord = {
    ...record,
    ...changes,
    status,
    revision: record.revision + 1,
    updatedAt: at,
    timeline: [...record.timeline, { status, at, actor: 'system', action }],
  };
  await deps.applications.save(next, record.revision, markers);
  return next;
}

/** Which checks a reviewer must do before approving (spec 4.2). */
export function requiredChecksFor(record: ApplicationRecord): RequiredCheck[] {
  const risk = findMcc(record.body.business.mcc)?.riskLevel;
  const site = record.body.type === 'ENTERPRISE' || risk === 'HIGH' || record.body.settlement.cycle === 'T0';
  return site ? ['phoneCallback', 'siteInspection'] : ['phoneCallback'];
}

/**
 * RunChecks: validation again, duplicate merchant, blocklist, prohibited MCC (these four reject
 * automatically), required documents and terminal stock (shown to the reviewer).
 */
export async function runChecks(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'hasher' | 'storage' | 'terminals' | 'clock'>,
  applicationId: string,
) {
  let record = await mustLoad(deps, applicationId);
  if (record.status !== 'SUBMITTED' && record.status !== 'CHECKING') {
    return { outcome: 'SKIPPED', status: record.status };
  }
  if (record.status === 'SUBMITTED') record = await transition(deps, record, 'CHECKING', 'CHECKS_STARTED');

  const checks: AutomatedCheck[] = [];
  const reasons: Reason[] = [];
  const fail = (name: string, code: string, field: string, detail: string) => {
    checks.push({ name, result: 'FAIL', detail });
    reasons.push({ field, code, reason: detail });
  };

  try {
    parseApplication(record.body, deps.clock.now());
    checks.push({ name: 'validation', result: 'PASS', detail: 'All fields pass the intake rules' });
  } catch (error) {
    const fields = (error as { fields?: { field: string; code: string }[] }).fields ?? [];
    for (const f of fields) fail('validation', f.code, f.field, `Field ${f.field} fails rule ${f.code}`);
  }

  const holders = await Promise.all(record.uniquenessKeys.map((key) => deps.applications.markerHolder(key)));
  if (holders.every((holder) => holder?.applicationId === applicationId)) {
    checks.push({
      name: 'duplicateMerchant',
      result: 'PASS',
      detail: 'No other merchant with this licence or ID',
    });
  } else {
    fail(
      'duplicateMerchant',
      'DUPLICATE_MERCHANT',
      'business.licenseNumber',
      'A merchant with this licence or ID is active or pending',
    );
  }

  const candidates = await blocklistCandidates(record.body, deps.hasher);
  const blocked = await Promise.all(candidates.map((c) => deps.applications.isBlocked(c.kind, c.keyedHash)));
  const blockedKinds = candidates.filter((_, i) => blocked[i]).map((c) => c.kind);
  if (blockedKinds.length === 0)
    checks.push({ name: 'blocklist', result: 'PASS', detail: 'Not on the blocklist' });
  else fail('blocklist', 'BLOCKLISTED', 'legalPerson', `On the blocklist: ${blockedKinds.join(', ')}`);

  const mcc = findMcc(record.body.business.mcc);
  if (mcc?.riskLevel === 'PROHIBITED') {
    fail('mcc', 'MCC_PROHIBITED', 'business.mcc', `MCC ${mcc.mcc} (${mcc.description}) is prohibited`);
  } else {
    checks.push({
      name: 'mcc',
      result: mcc?.riskLevel === 'HIGH' ? 'WARN' : 'PASS',
      detail: `MCC ${record.body.business.mcc} risk ${mcc?.riskLevel ?? 'UNKNOWN'}`,
    });
  }

  const documents = await documentProblems(record, deps.storage);
  checks.push(
    documents.length === 0
      ? { name: 'documents', result: 'PASS', detail: 'All required documents are uploaded' }
      : {
          name: 'documents',
          result: 'FAIL',
          detail: `Problems: ${documents.map((d) => `${d.field} ${d.code}`).join(', ')}`,
        },
  );

  const sn = record.body.terminal?.serialNumber;
  if (sn) {
    const terminal = await deps.terminals.get(sn);
    checks.push(
      terminal?.status === 'IN_STOCK'
        ? { name: 'terminal', result: 'PASS', detail: `SN ${sn} is in stock and free` }
        : {
            name: 'terminal',
            result: 'FAIL',
            detail: `SN ${sn} is ${terminal ? terminal.status : 'not registered'}`,
          },
    );
  }

  if (reasons.length > 0) {
    await transition(
      deps,
      record,
      'REJECTED',
      'AUTO_REJECTED',
      { checks, reasons, uniquenessKeys: [] },
      { release: record.uniquenessKeys },
    );
    logger.info('application rejected by automated checks', {
      applicationId,
      codes: reasons.map((r) => r.code),
    });
    return { outcome: 'REJECTED' };
  }
  await transition(deps, record, 'CHECKING', 'CHECKS_PASSED', { checks });
  return { outcome: 'PASSED' };
}

/**
 * AwaitReview (`.waitForTaskToken`): creates the review task — or, when the workflow waits again
 * (escalation, a retry, a local restart), gives the existing task the new token.
 */
export async function awaitReview(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'reviews' | 'workflow' | 'clock' | 'deadlines'>,
  input: { applicationId: string; taskToken: string },
) {
  const record = await mustLoad(deps, input.applicationId);
  const taskId = applicationTaskId(record.applicationId, record.submissionCount);
  if (record.status !== 'CHECKING' && record.status !== 'PENDING_REVIEW')
    return { taskId, skipped: record.status };
  const opened = await openReviewTask(deps, {
    taskId,
    kind: 'APPLICATION',
    subjectId: record.applicationId,
    automatedChecks: record.checks,
    requiredChecks: requiredChecksFor(record),
    summary: `${record.body.type} · ${record.body.business.name} · MCC ${record.body.business.mcc}`,
    taskToken: input.taskToken,
  });
  // Also after a retry whose first attempt created the task but not this transition.
  if (record.status === 'CHECKING') await transition(deps, record, 'PENDING_REVIEW', 'REVIEW_STARTED');
  return { taskId, opened };
}

/**
 * EscalateReview (every review kind): the review deadline passed; the task is flagged and
 * supervisors are told once, in `SUPERVISOR_LOCALE`. Onboarding passes the application, the other
 * kinds the task id. A notice that cannot be delivered is noted in the subject's timeline and does
 * not fail the review (the step is retried while attempts remain).
 */
export async function escalateReview(
  deps: Pick<
    WorkflowTaskDeps,
    | 'applications'
    | 'reviews'
    | 'changeRequests'
    | 'transfers'
    | 'sends'
    | 'suppressions'
    | 'hasher'
    | 'mailer'
    | 'clock'
    | 'config'
  >,
  input: { applicationId?: string; taskId?: string },
) {
  let taskId = input.taskId;
  if (!taskId) {
    const record = await mustLoad(deps, input.applicationId ?? '');
    taskId = applicationTaskId(record.applicationId, record.submissionCount);
  }
  await deps.reviews.markEscalated(taskId);
  const task = await deps.reviews.get(taskId);
  // Decided (or closed) meanwhile: nobody needs to hurry any more.
  if (task?.status !== 'PENDING') return { taskId, escalated: false };
  const { supervisorEmail, supervisorLocale } = deps.config;
  const outcome = await sendOnce(
    deps,
    {
      subjectId: taskId,
      template: 'REVIEW_ESCALATED',
      channel: 'EMAIL',
      address: supervisorEmail,
      maxAttempts: WORKFLOW_SEND_ATTEMPTS,
    },
    () =>
      deps.mailer.send({
        to: [supervisorEmail],
        ...renderSupervisorEmail('REVIEW_ESCALATED', supervisorLocale, {
          taskId,
          kind: task.kind,
          subjectId: task.subjectId,
          summary: task.summary,
          createdAt: task.createdAt,
          finalDeadline: task.finalDeadline,
        }),
      }),
  );
  const notes = undeliveredNotes([outcome]);
  if (task.kind === 'APPLICATION') await noteInApplication(deps, task.subjectId, notes);
  else if (task.kind === 'CHANGE_REQUEST') await noteInChangeRequest(deps, task.subjectId, notes);
  else await noteInTransfer(deps, task.subjectId, notes);
  throwIfAnyFailed([outcome]);
  return { taskId, escalated: true, notice: outcome.result };
}

/** RecordDecision: REJECT → REJECTED, REQUEST_CHANGES → NEEDS_CHANGES, with the reviewer's reasons. */
export async function recordDecision(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'reviews' | 'clock'>,
  input: { applicationId: string; taskId: string },
) {
  const record = await mustLoad(deps, input.applicationId);
  const task = await deps.reviews.get(input.taskId);
  if (!task?.decision || task.decision === 'APPROVE') throw new Error('No recordable decision on the task');
  const target: ApplicationStatus = task.decision === 'REJECT' ? 'REJECTED' : 'NEEDS_CHANGES';
  if (record.status === target) return { status: target };
  const code = task.decision === 'REJECT' ? 'REJECTED_BY_REVIEWER' : 'CHANGES_REQUESTED';
  const reasons = (task.reasons ?? []).map((r) => ({ field: r.field, code, reason: r.reason }));
  const at = deps.clock.now().toISOString();
  const release = target === 'REJECTED' ? record.uniquenessKeys : [];
  const next: ApplicationRecord = {
    ...record,
    status: target,
    reasons,
    uniquenessKeys: target === 'REJECTED' ? [] : record.uniquenessKeys,
    revision: record.revision + 1,
    updatedAt: at,
    timeline: [
      ...record.timeline,
      { status: target, at, actor: `staff:${task.decidedBy ?? 'unknown'}`, action: task.decision },
    ],
  };
  await deps.applications.save(next, record.revision, { release });
  return { status: target };
}

/** AwaitResubmission (`.waitForTaskToken`): keeps the token until the merchant submits again. */
export async function awaitResubmission(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'workflow' | 'clock'>,
  input: { applicationId: string; taskToken: string },
) {
  const record = await mustLoad(deps, input.applicationId);
  if (record.status === 'SUBMITTED') {
    // Resubmitted while nobody was waiting (restart): continue at once.
    await deps.workflow.resume(input.taskToken, { resubmitted: true, submission: record.submissionCount });
    return { resumed: true };
  }
  if (record.status !== 'NEEDS_CHANGES') return { skipped: record.status };
  const at = deps.clock.now().toISOString();
  await deps.applications.save(
    { ...record, resubmissionToken: input.taskToken, revision: record.revision + 1, updatedAt: at },
    record.revision,
  );
  return { waiting: true };
}

/**
 * ProvisionMerchant: merchant number (sequence allocated atomically), merchant record, markers
 * and terminal binding in one transaction. Idempotent: an approved application is returned as is.
 */
export async function provisionMerchant(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'reviews' | 'merchants' | 'clock' | 'config'>,
  applicationId: string,
) {
  const record = await mustLoad(deps, applicationId);
  if (record.status === 'APPROVED')
    return { merchantNo: record.merchantNo, terminalId: record.terminalId ?? null };
  if (record.status !== 'PENDING_REVIEW')
    throw new Error(`Cannot provision an application in ${record.status}`);
  const task = await deps.reviews.get(applicationTaskId(applicationId, record.submissionCount));
  const body = record.body;
  const prefix = merchantNumberPrefix(
    deps.config.acquirerCode,
    body.business.address.divisionCode,
    body.business.mcc,
  );
  const merchantNo = merchantNumber(
    deps.config.acquirerCode,
    body.business.address.divisionCode,
    body.business.mcc,
    await deps.merchants.nextSequence(`MERCHANT#${prefix}`),
  );
  const at = deps.clock.now().toISOString();
  const sn = body.terminal?.serialNumber;
  const terminal =
    sn && body.terminal
      ? {
          serialNumber: sn,
          model: body.terminal.model,
          terminalId: terminalIdOf(await deps.merchants.nextSequence('TERMINAL')),
        }
      : undefined;

  const build = (bound: boolean): { application: ApplicationRecord; merchant: MerchantRecord } => ({
    application: {
      ...record,
      status: 'APPROVED',
      merchantNo,
      terminalId: bound ? terminal?.terminalId : undefined,
      reasons: [],
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [
        ...record.timeline,
        {
          status: 'APPROVED',
          at,
          actor: `staff:${task?.decidedBy ?? 'unknown'}`,
          action: bound || !terminal ? 'APPROVED' : 'APPROVED_TERMINAL_UNAVAILABLE',
        },
      ],
    },
    merchant: {
      merchantNo,
      status: 'PENDING_ACTIVATION',
      version: 1,
      type: body.type,
      business: body.business,
      contact: body.contact,
      settlement: body.settlement,
      locale: body.locale,
      applicationId,
      terminalCount: bound ? 1 : 0,
      createdAt: at,
      updatedAt: at,
    },
  });

  let outcome = await deps.merchants.provision({
    ...build(Boolean(terminal)),
    expectedRevision: record.revision,
    terminal,
  });
  if (outcome === 'TERMINAL_UNAVAILABLE') {
    // The SN was taken since the checks: the merchant is still approved, the terminal is bound later.
    logger.warn('terminal unavailable at provisioning', { applicationId });
    outcome = await deps.merchants.provision({ ...build(false), expectedRevision: record.revision });
  }
  if (outcome !== 'PROVISIONED') throw new Error('The application changed during provisioning');
  logger.info('merchant provisioned', { applicationId, merchantNo });
  return { merchantNo, terminalId: outcome === 'PROVISIONED' && terminal ? terminal.terminalId : null };
}

const TEMPLATE_OF: Partial<Record<ApplicationStatus, MerchantTemplate>> = {
  APPROVED: 'APPLICATION_APPROVED',
  REJECTED: 'APPLICATION_REJECTED',
  NEEDS_CHANGES: 'CHANGES_REQUESTED',
  EXPIRED: 'APPLICATION_EXPIRED',
};

/** States in which a submission is still under way: the merchant is told it was received. */
const RECEIVED_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'CHECKING', 'PENDING_REVIEW'];

/** Which message a Notify state sends: `RECEIVED` at submission, the outcome otherwise. */
function templateFor(record: ApplicationRecord, event: string | undefined): MerchantTemplate | undefined {
  if (event === 'RECEIVED') {
    // A submission withdrawn before this step ran is not acknowledged.
    return RECEIVED_STATUSES.includes(record.status) ? 'APPLICATION_RECEIVED' : undefined;
  }
  return TEMPLATE_OF[record.status];
}

/**
 * Notify: email and SMS, in the merchant's locale, that the submission was received
 * (`event: RECEIVED`) or of the application's current outcome — each at most once per (subject,
 * template): the send record is claimed before the provider is called. The activation code is
 * generated here, at the moment its SMS is sent, so it exists nowhere else in clear. A message
 * that cannot be delivered (failed on the last attempt, suppressed, rate limited) is noted in the
 * application's timeline.
 */
export async function notifyApplicant(
  deps: Pick<
    WorkflowTaskDeps,
    | 'applications'
    | 'sends'
    | 'suppressions'
    | 'smsQuota'
    | 'terminals'
    | 'hasher'
    | 'mailer'
    | 'sms'
    | 'clock'
    | 'config'
  >,
  input: { applicationId: string; event?: string },
) {
  const { applicationId } = input;
  const record = await mustLoad(deps, applicationId);
  const template = templateFor(record, input.event);
  if (!template) return { sent: [] };
  // One subject per submission round: a second request for changes is a new message.
  const subjectId = `${applicationId}#${record.submissionCount}`;
  const locale = record.body.locale;
  const values = {
    businessName: record.body.business.name,
    applicationId,
    merchantNo: record.merchantNo,
    terminalId: record.terminalId,
    reasons: record.reasons,
  };
  const { contact } = record.body;
  const common = { subjectId, template, maxAttempts: WORKFLOW_SEND_ATTEMPTS };
  const email = await sendOnce(deps, { ...common, channel: 'EMAIL', address: contact.email }, () =>
    deps.mailer.send({ to: [contact.email], ...renderEmail(template, locale, values) }),
  );
  const sms = await sendOnce(deps, { ...common, channel: 'SMS', address: contact.phone }, async () => {
    const sn = record.body.terminal?.serialNumber;
    const activation =
      template === 'APPLICATION_APPROVED' && record.terminalId && record.merchantNo && sn
        ? await newActivationCode(deps, sn, record.merchantNo)
        : undefined;
    const message = renderSms(
      template,
      locale,
      { ...values, activationCode: activation?.code },
      deps.config.smsSignature,
    );
    return deps.sms.send({ to: contact.phone, body: message.body, templateId: message.templateId });
  });
  await noteInApplication(deps, applicationId, undeliveredNotes([email, sms]));
  throwIfAnyFailed([email, sms]);
  return { email: email.result, sms: sms.result };
}

/** ExpireApplication: no decision or no resubmission before the deadline → EXPIRED. */
export async function expireApplication(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'reviews' | 'clock'>,
  applicationId: string,
) {
  const record = await mustLoad(deps, applicationId);
  if (!['SUBMITTED', 'CHECKING', 'PENDING_REVIEW', 'NEEDS_CHANGES'].includes(record.status))
    return { status: record.status };
  await deps.reviews.close(applicationTaskId(applicationId, record.submissionCount), 'EXPIRED');
  await transition(
    deps,
    record,
    'EXPIRED',
    'EXPIRED',
    { uniquenessKeys: [], resubmissionToken: undefined },
    { release: record.uniquenessKeys },
  );
  return { status: 'EXPIRED' };
}

/** RecordFailure: the failure is put in the application's timeline for operators (no details). */
export async function recordFailure(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'clock'>,
  input: { applicationId: string; failure?: { Error?: string } },
) {
  const record = await mustLoad(deps, input.applicationId);
  const at = deps.clock.now().toISOString();
  await deps.applications.save(
    {
      ...record,
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [
        ...record.timeline,
        {
          status: record.status,
          at,
          actor: 'system',
          action: `WORKFLOW_FAILED:${input.failure?.Error ?? 'Unknown'}`,
        },
      ],
    },
    record.revision,
  );
  logger.error('onboarding workflow failed', {
    applicationId: input.applicationId,
    error: input.failure?.Error,
  });
  return { recorded: true };
}

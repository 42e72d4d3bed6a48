import { agreementAfterProvisioning } from '../agreements/changes';
import type { AgreementExecution } from '../agreements/process';
import type { Deadlines } from '../config/env';
import {
  type ApplicationRecord,
  type ApplicationStatus,
  applicationTaskId,
  contactVerified,
} from '../domain/application';
import { type MerchantRecord, merchantNumber, merchantNumberPrefix, terminalIdOf } from '../domain/merchant';
import { resolveFeePlan } from '../fee-plans/requests';
import { logger } from '../logger';
import { agreementPageUrl } from '../notifications/agreement-templates';
import {
  type SendOutcome,
  sendOnce,
  throwIfAnyFailed,
  undeliveredNotes,
  WORKFLOW_SEND_ATTEMPTS,
} from '../notifications/send-once';
import type { Locale } from '../notifications/template-engine';
import {
  type MerchantTemplate,
  renderEmail,
  renderSms,
  type TemplateValues,
} from '../notifications/templates';
import type {
  Clock,
  DocumentInspector,
  KeyedHasher,
  Mailer,
  SmsSender,
  WorkflowControl,
  WorkflowEngine,
} from '../ports';
import type { AgreementRepository, FeePlanRepository } from '../ports/agreements';
import type { MerchantRepository, SendRecordRepository } from '../ports/merchants';
import type { SendQuota, SuppressionList } from '../ports/notifications';
import {
  type ApplicationStore,
  type ReviewTaskCloser,
  type ReviewTaskReader,
  StaleWriteError,
} from '../ports/repositories';
import type { ActivationCodeStore, TerminalRepository } from '../ports/terminals';
import { requireRecordedDecision } from '../reviews/decision';
import {
  type EscalationDeps,
  openReviewTask,
  type ReviewTaskDeps,
  reviewerReasons,
} from '../reviews/workflow';
import { newActivationCode } from '../terminals/activation-codes';
import type { MessagingKeys } from '../workflow-kit/messaging';
import { escalateReviewOf, processSubjects } from '../workflow-kit/process-subjects';
import { transitioned } from '../workflow-kit/subject';
import { type ChecksDeps, type ChecksResult, evaluateChecks, requiredChecksFor } from './checks';

/** Dependencies of the workflow's Task functions (each function builds only what it uses). */
export interface WorkflowTaskDeps {
  readonly applications: ApplicationStore;
  /** The steps acting on a decision read the task; ExpireApplication closes it (see there). */
  readonly reviews: ReviewTaskReader;
  readonly merchants: MerchantRepository;
  readonly terminals: TerminalRepository;
  readonly sends: SendRecordRepository;
  readonly suppressions: SuppressionList;
  readonly sendQuota: SendQuota;
  readonly hasher: KeyedHasher;
  readonly storage: DocumentInspector;
  readonly workflow: WorkflowControl;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
  readonly feePlans: FeePlanRepository;
  readonly agreements: AgreementRepository;
  readonly agreementWorkflow: WorkflowEngine<AgreementExecution>;
  readonly config: {
    acquirerCode: string;
    smsSignature: string;
    smsPerPhonePerHour: number;
    emailPerAddressPerHour: number;
    supervisorEmail: string;
    supervisorLocale: Locale;
    /** The merchant pages' address for the agreement link (empty: no link). */
    merchantPagesUrl?: string;
  };
}

/**
 * The applications as the workflow kit sees them (a lost race is `false`, not a
 * {@link StaleWriteError}), with the steps every process has: RecordFailure and the escalation of
 * the current submission's review.
 */
export const applicationSteps = processSubjects(
  { process: 'onboarding', label: 'Application', idKey: 'applicationId' },
  ({ applications }: Pick<WorkflowTaskDeps, 'applications'>) => ({
    get: (applicationId: string) => applications.get(applicationId),
    save: async (next: ApplicationRecord, expectedRevision: number) => {
      try {
        await applications.save(next, expectedRevision);
        return true;
      } catch (error) {
        if (error instanceof StaleWriteError) return false;
        throw error;
      }
    },
  }),
);

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
  const next = transitioned(record, status, { at, actor: 'system', action }, changes);
  await deps.applications.save(next, record.revision, markers);
  return next;
}

/**
 * The results in one write: CHECKING → PENDING_REVIEW when they pass (both steps in the
 * timeline), REJECTED with the markers released when one fails hard.
 */
async function recordChecks(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'clock'>,
  record: ApplicationRecord,
  { checks, reasons }: ChecksResult,
): Promise<ApplicationRecord> {
  const at = deps.clock.now().toISOString();
  const checking = { status: 'CHECKING' as const, at, actor: 'system' as const };
  const rejected = reasons.length > 0;
  const next: ApplicationRecord = {
    ...record,
    checks,
    status: rejected ? 'REJECTED' : 'PENDING_REVIEW',
    ...(rejected ? { reasons, uniquenessKeys: [] } : {}),
    revision: record.revision + 1,
    updatedAt: at,
    timeline: [
      ...record.timeline,
      ...(record.status === 'SUBMITTED' ? [{ ...checking, action: 'CHECKS_STARTED' }] : []),
      rejected
        ? { status: 'REJECTED', at, actor: 'system', action: 'AUTO_REJECTED' }
        : { ...checking, action: 'CHECKS_PASSED' },
      ...(rejected
        ? []
        : [{ status: 'PENDING_REVIEW' as const, at, actor: 'system' as const, action: 'REVIEW_STARTED' }]),
    ],
  };
  await deps.applications.save(next, record.revision, rejected ? { release: record.uniquenessKeys } : {});
  if (rejected) {
    logger.info('application rejected by automated checks', {
      applicationId: record.applicationId,
      codes: reasons.map((r) => r.code),
    });
  }
  return next;
}

/** The review task of an application's current submission round (created or given the token). */
function openApplicationReview(deps: ReviewTaskDeps, record: ApplicationRecord, taskToken: string) {
  return openReviewTask(deps, {
    taskId: applicationTaskId(record.applicationId, record.submissionCount),
    kind: 'APPLICATION',
    subjectId: record.applicationId,
    automatedChecks: record.checks,
    requiredChecks: requiredChecksFor(record),
    summary: `${record.body.type} · ${record.body.business.name} · MCC ${record.body.business.mcc}`,
    taskToken,
  });
}

/** The callback output of a submission the automated checks rejected: nobody reviews it. */
export const AUTO_REJECTED = 'AUTO_REJECTED';

/**
 * CheckAndAwaitReview (`.waitForTaskToken`), one state for three spec steps so that a submission
 * costs one state transition and one invocation, not three: runs the automated checks and writes
 * their outcome (one write); when they pass, opens the review task with this state's token in the
 * same put that queues it, and the state waits for the reviewer's decision; when they reject, it
 * completes its own token at once (`decision: AUTO_REJECTED`). Either way the merchant is told the
 * submission was received (and, on an automatic rejection, the outcome), each message at most once.
 * Idempotent: a retry (a send to retry, a failed write) or a restart continues from the stored status.
 */
export async function checkAndAwaitReview(
  deps: ChecksDeps & ReviewTaskDeps & Pick<WorkflowTaskDeps, 'applications' | MessagingKeys>,
  input: { applicationId: string; taskToken: string },
) {
  let record = await applicationSteps.load(deps, input.applicationId);
  if (record.status === 'SUBMITTED' || record.status === 'CHECKING') {
    record = await recordChecks(deps, record, await evaluateChecks(deps, record));
  }
  if (record.status === 'PENDING_REVIEW') {
    const opened = await openApplicationReview(deps, record, input.taskToken);
    await notifyOf(deps, record, ['APPLICATION_RECEIVED']);
    return { outcome: 'PASSED', opened };
  }
  if (record.status === 'REJECTED') {
    await notifyOf(deps, record, ['APPLICATION_RECEIVED', 'APPLICATION_REJECTED']);
    await deps.workflow.resume(input.taskToken, { decision: AUTO_REJECTED });
    return { outcome: 'REJECTED' };
  }
  // Withdrawn (the execution is being stopped) or otherwise closed: nothing to check or review.
  return { outcome: 'SKIPPED', status: record.status };
}

/**
 * AwaitEscalatedReview (`.waitForTaskToken`): the review deadline passed and the workflow waits
 * again on the same task — it gets the new token (or hands over a decision taken meanwhile).
 */
export async function awaitReview(
  deps: ReviewTaskDeps & Pick<WorkflowTaskDeps, 'applications'>,
  input: { applicationId: string; taskToken: string },
) {
  const record = await applicationSteps.load(deps, input.applicationId);
  const taskId = applicationTaskId(record.applicationId, record.submissionCount);
  if (record.status !== 'PENDING_REVIEW') return { taskId, skipped: record.status };
  return { taskId, opened: await openApplicationReview(deps, record, input.taskToken) };
}

/**
 * EscalateReview: the review deadline of the current submission's task passed; supervisors are told
 * once. A notice that cannot be delivered is noted in the application's timeline.
 */
export async function escalateApplicationReview(
  deps: Pick<WorkflowTaskDeps, 'applications'> & EscalationDeps,
  input: { applicationId: string },
) {
  const record = await applicationSteps.load(deps, input.applicationId);
  const taskId = applicationTaskId(record.applicationId, record.submissionCount);
  return escalateReviewOf(applicationSteps, deps, record.applicationId, taskId);
}

/** What sending an applicant's messages needs, as long as none is the approval (see {@link NotifyDeps}). */
type MessageDeps = Pick<WorkflowTaskDeps, 'applications' | MessagingKeys>;

/**
 * What sending any of an applicant's messages needs, the approval included: its SMS carries the
 * terminal's first activation code, whose hash is stored on the terminal when the SMS is sent.
 */
type NotifyDeps = MessageDeps & { readonly terminals: ActivationCodeStore };

/** The messages that carry no activation code: every one but the approval. */
type CodelessTemplate = Exclude<MerchantTemplate, 'APPLICATION_APPROVED'>;

/** The review task of the application's current submission round (derived, never taken from a callback). */
function currentTaskId(record: ApplicationRecord): string {
  return applicationTaskId(record.applicationId, record.submissionCount);
}

/**
 * The reviewer's `decision` (REJECT or REQUEST_CHANGES) as recorded on the current submission's
 * review task, with the reasons (one write after reading the task); `extra` goes into the same
 * write. A task without that recorded decision fails the step ({@link requireRecordedDecision}).
 * Returns the record as saved.
 */
async function applyDecision(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'reviews' | 'clock'>,
  record: ApplicationRecord,
  decision: 'REJECT' | 'REQUEST_CHANGES',
  extra: Partial<ApplicationRecord> = {},
): Promise<ApplicationRecord> {
  const taskId = currentTaskId(record);
  const task = requireRecordedDecision(await deps.reviews.get(taskId), taskId, {
    kind: 'APPLICATION',
    subjectId: record.applicationId,
    decisions: [decision],
  });
  const target: ApplicationStatus = decision === 'REJECT' ? 'REJECTED' : 'NEEDS_CHANGES';
  const code = decision === 'REJECT' ? 'REJECTED_BY_REVIEWER' : 'CHANGES_REQUESTED';
  const reasons = reviewerReasons(task, code);
  const at = deps.clock.now().toISOString();
  const release = target === 'REJECTED' ? record.uniquenessKeys : [];
  const next: ApplicationRecord = {
    ...record,
    ...extra,
    status: target,
    reasons,
    uniquenessKeys: target === 'REJECTED' ? [] : record.uniquenessKeys,
    revision: record.revision + 1,
    updatedAt: at,
    timeline: [
      ...record.timeline,
      { status: target, at, actor: `staff:${task.decidedBy}`, action: decision },
    ],
  };
  await deps.applications.save(next, record.revision, { release });
  return next;
}

/**
 * RecordRejection: the reviewer's REJECT recorded on the current submission's task, with the
 * reasons, then the outcome to the merchant — one step, so the workflow ends on it. An application
 * the checks rejected (AUTO_REJECTED) is found REJECTED with its messages sent. Idempotent: a retry
 * finds the status written and only sends what is unsent.
 */
export async function recordDecision(
  deps: MessageDeps & Pick<WorkflowTaskDeps, 'reviews'>,
  input: { applicationId: string },
) {
  let record = await applicationSteps.load(deps, input.applicationId);
  if (record.status === 'PENDING_REVIEW') record = await applyDecision(deps, record, 'REJECT');
  if (record.status !== 'REJECTED' && record.status !== 'NEEDS_CHANGES') return { skipped: record.status };
  await notifyOf(deps, record, [record.status === 'REJECTED' ? 'APPLICATION_REJECTED' : 'CHANGES_REQUESTED']);
  return { status: record.status };
}

/**
 * AwaitResubmission (`.waitForTaskToken`): records the reviewer's REQUEST_CHANGES (from the
 * current submission's task) with the reasons and this state's token in one write, tells the
 * merchant what to correct, and waits until the merchant submits again (submit-application
 * resumes the token).
 */
export async function awaitResubmission(
  deps: MessageDeps & Pick<WorkflowTaskDeps, 'reviews' | 'workflow'>,
  input: { applicationId: string; taskToken: string },
) {
  let record = await applicationSteps.load(deps, input.applicationId);
  if (record.status === 'SUBMITTED') {
    // Resubmitted while nobody was waiting (restart): continue at once.
    await deps.workflow.resume(input.taskToken, { resubmitted: true, submission: record.submissionCount });
    return { resumed: true };
  }
  if (record.status === 'PENDING_REVIEW') {
    record = await applyDecision(deps, record, 'REQUEST_CHANGES', { resubmissionToken: input.taskToken });
  } else if (record.status === 'NEEDS_CHANGES') {
    // A retry or a restart: the wait has a new token.
    const next = {
      ...record,
      resubmissionToken: input.taskToken,
      revision: record.revision + 1,
      updatedAt: deps.clock.now().toISOString(),
    };
    await deps.applications.save(next, record.revision);
    record = next;
  } else {
    return { skipped: record.status };
  }
  await notifyOf(deps, record, ['CHANGES_REQUESTED']);
  return { waiting: true };
}

/**
 * ProvisionMerchant: merchant number (sequence allocated atomically), merchant record, markers
 * and terminal binding in one transaction — only from the approval recorded on the current
 * submission's review task (DECIDED, APPROVE, every required check done, a reviewer), whatever
 * resumed the workflow. Idempotent: an approved application is returned as is.
 */
export async function provisionMerchant(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'reviews' | 'merchants' | 'feePlans' | 'clock' | 'config'>,
  applicationId: string,
): Promise<ApplicationRecord> {
  const record = await applicationSteps.load(deps, applicationId);
  if (record.status === 'APPROVED') return record;
  if (record.status !== 'PENDING_REVIEW')
    throw new Error(`Cannot provision an application in ${record.status}`);
  const taskId = currentTaskId(record);
  const task = requireRecordedDecision(await deps.reviews.get(taskId), taskId, {
    kind: 'APPLICATION',
    subjectId: applicationId,
    decisions: ['APPROVE'],
  });
  const body = record.body;
  // The plan version the reviewer picked, else the default of the MCC's risk level.
  const feePlan =
    task?.feePlan ??
    (await resolveFeePlan(deps, { mcc: body.business.mcc }).then(({ code, version }) => ({ code, version })));
  const prefix = merchantNumberPrefix(
    deps.config.acquirerCode,
    body.business.address.divisionCode,
    body.business.mcc,
  );
  const merchantNo = merchantNumber(
    deps.config.acquirerCode,
    body.business.address.divisionCode,
    body.business.mcc,
    await deps.merchants.nextMerchantSequence(prefix),
  );
  const at = deps.clock.now().toISOString();
  const sn = body.terminal?.serialNumber;
  const terminal =
    sn && body.terminal
      ? {
          serialNumber: sn,
          model: body.terminal.model,
          terminalId: terminalIdOf(await deps.merchants.nextTerminalSequence()),
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
          actor: `staff:${task.decidedBy}`,
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
      feePlan,
      terminalCount: bound ? 1 : 0,
      createdAt: at,
      updatedAt: at,
    },
  });

  let built = build(Boolean(terminal));
  let outcome = await deps.merchants.provision({ ...built, expectedRevision: record.revision, terminal });
  if (outcome === 'TERMINAL_UNAVAILABLE') {
    // The SN was taken since the checks: the merchant is still approved, the terminal is bound later.
    logger.warn('terminal unavailable at provisioning', { applicationId });
    built = build(false);
    outcome = await deps.merchants.provision({ ...built, expectedRevision: record.revision });
  }
  if (outcome !== 'PROVISIONED') throw new Error('The application changed during provisioning');
  logger.info('merchant provisioned', { applicationId, merchantNo });
  return built.application;
}

/**
 * ProvisionMerchant, the workflow's last step on approval: the atomic provisioning, then the
 * confirmation with merchant number, terminal ID and activation code, each message at most once
 * (a retry of a failed send finds the merchant provisioned and only sends what is unsent).
 */
export async function provisionAndConfirm(
  deps: NotifyDeps &
    Pick<WorkflowTaskDeps, 'reviews' | 'merchants' | 'feePlans' | 'agreements' | 'agreementWorkflow'>,
  applicationId: string,
) {
  const record = await provisionMerchant(deps, applicationId);
  // Agreement version 1 (idempotent) and its process; the approval message states its rates.
  const agreement = await agreementAfterProvisioning(deps, record.merchantNo ?? '');
  await notifyOf(deps, record, undefined, {
    agreement: {
      feePlan: agreement.feePlan,
      settlementCycle: agreement.settlementCycle,
      ...(agreementPageUrl(deps.config.merchantPagesUrl ?? '')
        ? { url: agreementPageUrl(deps.config.merchantPagesUrl ?? '') }
        : {}),
    },
  });
  return { merchantNo: record.merchantNo, terminalId: record.terminalId ?? null };
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
 * Sends `templates` (default: the message of the application's current outcome) by email and SMS
 * in the merchant's locale, each at most once per (submission round, template, channel): the send
 * record is claimed before the provider is called. The activation code is generated at the moment
 * its SMS is sent, so it exists nowhere else in clear. A message that cannot be delivered (failed
 * on the last attempt, suppressed, rate limited) is noted in the application's timeline; a failed
 * send with attempts left throws, so the step is retried (sent messages are not sent again).
 */
function notifyOf(
  deps: MessageDeps,
  record: ApplicationRecord,
  templates: readonly CodelessTemplate[],
): Promise<SendOutcome[]>;
/** Any message, the approval (with its activation code) included: the code store is needed. */
function notifyOf(
  deps: NotifyDeps,
  record: ApplicationRecord,
  templates?: readonly MerchantTemplate[],
  extra?: Pick<TemplateValues, 'agreement'>,
): Promise<SendOutcome[]>;
async function notifyOf(
  deps: MessageDeps & Partial<Pick<NotifyDeps, 'terminals'>>,
  record: ApplicationRecord,
  templates: readonly MerchantTemplate[] = [TEMPLATE_OF[record.status]].filter((t) => t !== undefined),
  extra: Pick<TemplateValues, 'agreement'> = {},
): Promise<SendOutcome[]> {
  const { applicationId } = record;
  // One subject per submission round: a second request for changes is a new message.
  const subjectId = `${applicationId}#${record.submissionCount}`;
  const locale = record.body.locale;
  const values = {
    businessName: record.body.business.name,
    applicationId,
    merchantNo: record.merchantNo,
    terminalId: record.terminalId,
    reasons: record.reasons,
    ...extra,
  };
  const { contact } = record.body;
  const outcomes: SendOutcome[] = [];
  // An address changed by a correction and not verified again gets nothing (spec 6): not even
  // the outcome of the application it was put on.
  const unverified = (['EMAIL', 'SMS'] as const).filter((channel) => !contactVerified(record, channel));
  if (unverified.length > 0) {
    logger.info('not sent to an unverified contact', { applicationId, channels: unverified.join(',') });
  }
  for (const template of templates) {
    const common = { subjectId, template, maxAttempts: WORKFLOW_SEND_ATTEMPTS };
    if (!unverified.includes('EMAIL')) {
      const email = await sendOnce(deps, { ...common, channel: 'EMAIL', address: contact.email }, () =>
        deps.mailer.send({ to: [contact.email], ...renderEmail(template, locale, values) }),
      );
      outcomes.push(email);
    }
    if (unverified.includes('SMS')) continue;
    const sn = record.body.terminal?.serialNumber;
    const carriesCode = template === 'APPLICATION_APPROVED' && record.terminalId && record.merchantNo && sn;
    // The approval SMS with an activation code counts against the code's own hourly counter.
    const quota = carriesCode ? 'SMS_ACTIVATION_CODE' : 'SMS';
    const sms = await sendOnce(
      deps,
      { ...common, channel: 'SMS', address: contact.phone, quota },
      async (ref) => {
        // Only the approval carries a code, and only a caller with the code store may send it
        // (the signatures above): the test of `terminals` narrows the type, it decides nothing.
        const { terminals } = deps;
        const activation =
          carriesCode && terminals && record.merchantNo && sn
            ? await newActivationCode({ ...deps, terminals }, sn, record.merchantNo)
            : undefined;
        const message = renderSms(
          template,
          locale,
          { ...values, activationCode: activation?.code },
          deps.config.smsSignature,
        );
        return deps.sms.send({ to: contact.phone, ...message, reference: ref });
      },
    );
    outcomes.push(sms);
  }
  await applicationSteps.noteUndelivered(deps, applicationId, undeliveredNotes(outcomes));
  throwIfAnyFailed(outcomes);
  return outcomes;
}

/**
 * NotifyOutcome (after an expiry) and the sends of the other steps: email and SMS that the
 * submission was received (`event: RECEIVED`) or of the application's current outcome, at most
 * once each (see {@link notifyOf}).
 */
export async function notifyApplicant(deps: NotifyDeps, input: { applicationId: string; event?: string }) {
  const record = await applicationSteps.load(deps, input.applicationId);
  const template = templateFor(record, input.event);
  if (!template) return { sent: [] };
  const outcomes = await notifyOf(deps, record, [template]);
  const resultOf = (channel: 'EMAIL' | 'SMS') =>
    outcomes.find((outcome) => outcome.channel === channel)?.result;
  return { email: resultOf('EMAIL'), sms: resultOf('SMS') };
}

/** ExpireApplication: no decision or no resubmission before the deadline → EXPIRED. */
export async function expireApplication(
  deps: Pick<WorkflowTaskDeps, 'applications' | 'clock'> & { readonly reviews: ReviewTaskCloser },
  applicationId: string,
) {
  const record = await applicationSteps.load(deps, applicationId);
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

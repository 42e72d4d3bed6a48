import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StaffPrincipal } from '../../../shared/auth/principals';
import type { ApplicationRecord } from '../../../shared/domain/application';
import type { MerchantRecord } from '../../../shared/domain/merchant';
import type { TerminalHistoryEntry } from '../../../shared/domain/terminal';
import { AppError } from '../../../shared/errors';
import { logger } from '../../../shared/logger';
import { productMetrics } from '../../../shared/metrics';
import { recordEmailEvent } from '../../../shared/notifications/email-events';
import { addressHash, sendOnce, WORKFLOW_SEND_ATTEMPTS } from '../../../shared/notifications/send-once';
import { escalateApplicationReview, notifyApplicant } from '../../../shared/onboarding/workflow';
import type { EmailMessage, Mailer, SmsSender } from '../../../shared/ports';
import type { MerchantRepository } from '../../../shared/ports/merchants';
import { RecipientOptedOutError } from '../../../shared/ports/notifications';
import {
  type ApplicationRepository,
  type ReviewTaskRepository,
  StaleWriteError,
} from '../../../shared/ports/repositories';
import type { TerminalRepository } from '../../../shared/ports/terminals';
import { reissueActivationCode } from '../../../shared/terminals/lifecycle';
import { notificationFakes } from '../../support/notification-fakes';

const EMAIL = 'ZhangSan@Example.com';
const PHONE = '13800138000';

function application(overrides: Partial<ApplicationRecord> = {}): ApplicationRecord {
  return {
    applicationId: 'APP1',
    status: 'APPROVED',
    body: {
      type: 'INDIVIDUAL',
      business: {
        name: '张三便利店',
        mcc: '5411',
        address: { divisionCode: '110105', detail: '建国路88号' },
      },
      legalPerson: { name: '张三', idNumber: '11010519491231002X', phone: PHONE },
      contact: { name: '张三', phone: PHONE, email: EMAIL },
      settlement: {
        accountType: 'PERSONAL',
        accountName: '张三',
        accountNumber: '6222020200000000006',
        bankName: '中国工商银行',
        cycle: 'T1',
      },
      locale: 'zh-CN',
    },
    tokenHash: 'hash',
    documents: {},
    reasons: [],
    checks: [],
    timeline: [
      { status: 'APPROVED', at: '2026-11-23T00:00:00.000Z', actor: 'staff:rev-1', action: 'APPROVED' },
    ],
    merchantNo: '102110154110007',
    submissionCount: 1,
    uniquenessKeys: [],
    revision: 5,
    createdAt: '2026-11-22T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
    ...overrides,
  };
}

/** In-memory onboarding deps: an application, recording providers, the notification fakes. */
function onboarding(record = application(), options: { mailer?: Mailer; sms?: SmsSender } = {}) {
  let stored = record;
  const applications = {
    get: async () => stored,
    save: async (next: ApplicationRecord, expected: number) => {
      if (stored.revision !== expected) throw new StaleWriteError('moved');
      stored = next;
    },
  } as unknown as ApplicationRepository;
  const emails: EmailMessage[] = [];
  const texts: { to: string; body: string }[] = [];
  const calls = { email: 0, sms: 0 };
  const mailer: Mailer = options.mailer ?? {
    send: async (message) => {
      emails.push(message);
      return `ses-${emails.length}`;
    },
  };
  const sms: SmsSender = options.sms ?? {
    send: async (message) => {
      texts.push(message);
      return `sms-${texts.length}`;
    },
  };
  const fakes = notificationFakes();
  let now = new Date('2026-11-23T08:15:00Z');
  const deps = {
    applications,
    ...fakes,
    terminals: {} as TerminalRepository,
    mailer: {
      send: (message: EmailMessage) => {
        calls.email += 1;
        return mailer.send(message);
      },
    },
    sms: {
      send: (message: { to: string; body: string; templateId: string }) => {
        calls.sms += 1;
        return sms.send(message);
      },
    },
    clock: { now: () => now },
    config: {
      acquirerCode: '102',
      smsSignature: '拉卡拉',
      smsPerPhonePerHour: 5,
      emailPerAddressPerHour: 10,
      supervisorEmail: 'leads@example.com',
      supervisorLocale: 'zh-CN' as const,
    },
  };
  return {
    deps,
    fakes,
    emails,
    texts,
    calls,
    current: () => stored,
    setNow: (date: Date) => {
      now = date;
    },
  };
}

/** Runs a workflow step the way its Retry and Catch do: up to WORKFLOW_SEND_ATTEMPTS attempts, then continue. */
async function asWorkflowStep(
  step: () => Promise<unknown>,
): Promise<{ attempts: number; succeeded: boolean }> {
  for (let attempt = 1; attempt <= WORKFLOW_SEND_ATTEMPTS; attempt++) {
    try {
      await step();
      return { attempts: attempt, succeeded: true };
    } catch {
      // Retry with backoff; after the last attempt the Catch continues the workflow.
    }
  }
  return { attempts: WORKFLOW_SEND_ATTEMPTS, succeeded: false };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('exactly once per (subject, template), even when the step is retried', () => {
  it('does not send again when the step fails after the provider accepted the message', async () => {
    const { deps, fakes, calls, emails, texts, current } = onboarding();
    // The provider accepts the email; then the write of its message id fails (DynamoDB throttling).
    fakes.sends.failNextCompletion = 'SENT';
    const run = await asWorkflowStep(() => notifyApplicant(deps, { applicationId: 'APP1' }));

    expect(run).toEqual({ attempts: 2, succeeded: true });
    expect(calls.email).toBe(1);
    expect(emails).toHaveLength(1);
    expect(calls.sms).toBe(1);
    expect(texts).toHaveLength(1);
    // Never sent twice; the record stays claimed, and the timeline says the outcome is unconfirmed.
    expect(fakes.sends.status('APP1#1', 'APPLICATION_APPROVED', 'EMAIL')).toBe('SENDING');
    expect(fakes.sends.status('APP1#1', 'APPLICATION_APPROVED', 'SMS')).toBe('SENT');
    expect(current().timeline.at(-1)).toMatchObject({
      action: 'NOTIFICATION_UNCONFIRMED',
      channel: 'EMAIL',
      template: 'APPLICATION_APPROVED',
    });

    // A replay of the whole step (a restart) sends nothing and notes nothing twice.
    await notifyApplicant(deps, { applicationId: 'APP1' });
    expect(calls).toEqual({ email: 1, sms: 1 });
    expect(current().timeline.filter((e) => e.action === 'NOTIFICATION_UNCONFIRMED')).toHaveLength(1);
  });

  it('retries only the channel that failed, and sends the other once', async () => {
    let failures = 2;
    const { deps, fakes, calls } = onboarding(application(), {
      sms: {
        send: async () => {
          if (failures-- > 0) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
          return 'sms-1';
        },
      },
    });
    const run = await asWorkflowStep(() => notifyApplicant(deps, { applicationId: 'APP1' }));
    expect(run).toEqual({ attempts: 3, succeeded: true });
    expect(calls).toEqual({ email: 1, sms: 3 });
    expect(fakes.sends.records.get('APP1#1|APPLICATION_APPROVED|SMS')).toMatchObject({
      status: 'SENT',
      attempts: 3,
      providerMessageId: 'sms-1',
      recipient: '138****8000',
    });
  });

  it('tells the merchant once that the submission was received, and again for a corrected resubmission', async () => {
    const { deps, calls, emails, current } = onboarding(application({ status: 'SUBMITTED' }));
    await notifyApplicant(deps, { applicationId: 'APP1', event: 'RECEIVED' });
    await notifyApplicant(deps, { applicationId: 'APP1', event: 'RECEIVED' });
    expect(calls).toEqual({ email: 1, sms: 1 });
    expect(emails[0]?.subject).toBe('商户进件申请已受理：APP1');
    const stored = current();
    await deps.applications.save(
      { ...stored, submissionCount: 2, revision: stored.revision + 1 },
      stored.revision,
    );
    await notifyApplicant(deps, { applicationId: 'APP1', event: 'RECEIVED' });
    expect(calls).toEqual({ email: 2, sms: 2 });
  });

  it('does not acknowledge a submission withdrawn before the step ran', async () => {
    const { deps, calls } = onboarding(application({ status: 'WITHDRAWN' }));
    expect(await notifyApplicant(deps, { applicationId: 'APP1', event: 'RECEIVED' })).toEqual({ sent: [] });
    expect(calls).toEqual({ email: 0, sms: 0 });
  });
});

describe('nothing lost: a send that fails on every attempt', () => {
  it('ends FAILED, is shown in the application timeline (masked) and emits the alarmed metric', async () => {
    const errors = vi.spyOn(logger, 'error');
    const counted = vi.spyOn(await productMetrics(), 'addMetric');
    const { deps, fakes, calls, current } = onboarding(application(), {
      mailer: {
        send: async () => {
          throw Object.assign(new Error('SES unavailable'), { name: 'ServiceUnavailable' });
        },
      },
    });
    const run = await asWorkflowStep(() => notifyApplicant(deps, { applicationId: 'APP1' }));

    // Four attempts throw (retried with backoff); the last records the failure and lets the workflow go on.
    expect(run).toEqual({ attempts: WORKFLOW_SEND_ATTEMPTS, succeeded: true });
    expect(calls).toEqual({ email: WORKFLOW_SEND_ATTEMPTS, sms: 1 });
    expect(fakes.sends.records.get('APP1#1|APPLICATION_APPROVED|EMAIL')).toMatchObject({
      status: 'FAILED',
      attempts: WORKFLOW_SEND_ATTEMPTS,
    });
    const notes = current().timeline.filter((entry) => entry.action.startsWith('NOTIFICATION_'));
    expect(notes).toEqual([
      {
        status: 'APPROVED',
        at: expect.any(String),
        actor: 'system',
        action: 'NOTIFICATION_FAILED',
        channel: 'EMAIL',
        template: 'APPLICATION_APPROVED',
        recipient: 'Z***@Example.com',
      },
    ]);
    expect(JSON.stringify(current().timeline)).not.toContain(EMAIL);
    expect(JSON.stringify(current().timeline)).not.toContain(PHONE);

    // One alarmed metric, and the error line that says which message failed.
    expect(counted.mock.calls.filter(([name]) => name === 'NotificationsFailed')).toEqual([
      ['NotificationsFailed', 'Count', 1],
    ]);
    const failedLines = errors.mock.calls.filter(
      ([message]) => message === 'notification failed on its last attempt',
    );
    expect(failedLines).toHaveLength(1);
    expect(failedLines[0]?.[1]).toMatchObject({
      subjectId: 'APP1#1',
      template: 'APPLICATION_APPROVED',
      channel: 'EMAIL',
      attempt: WORKFLOW_SEND_ATTEMPTS,
    });
    expect(JSON.stringify(errors.mock.calls)).not.toContain(EMAIL);
  });

  it('keeps the note when the application is written at the same time', async () => {
    const { deps, current } = onboarding(application(), {
      sms: {
        send: async () => {
          throw new Error('down');
        },
      },
    });
    const save = deps.applications.save.bind(deps.applications);
    let raced = false;
    deps.applications.save = async (next, expected) => {
      if (!raced) {
        raced = true;
        // The merchant (or another step) writes first: the note is written on the fresh record.
        const fresh = current();
        await save({ ...fresh, revision: fresh.revision + 1 }, fresh.revision);
      }
      return save(next, expected);
    };
    await asWorkflowStep(() => notifyApplicant(deps, { applicationId: 'APP1' }));
    expect(current().timeline.filter((entry) => entry.action === 'NOTIFICATION_FAILED')).toHaveLength(1);
  });
});

describe('bounces, complaints and opt-outs', () => {
  const bounce = (address: string, bounceType = 'Permanent') => ({
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: address, status: '5.1.1' }],
      timestamp: '2026-11-23T08:00:00.000Z',
    },
    mail: { messageId: 'ses-1', destination: [address] },
  });

  it('a hard bounce suppresses the address (by keyed hash); a later email to it is skipped and recorded SUPPRESSED', async () => {
    const { deps, fakes, calls, current } = onboarding();
    // SES reports the address as the receiving server wrote it: matched case-insensitively.
    expect(await recordEmailEvent(deps, bounce('zhangsan@example.com'))).toEqual({
      kind: 'Bounce',
      suppressed: 1,
    });
    expect(JSON.stringify([...fakes.suppressions.entries])).not.toContain('zhangsan');

    await notifyApplicant(deps, { applicationId: 'APP1' });
    expect(calls).toEqual({ email: 0, sms: 1 });
    expect(fakes.sends.status('APP1#1', 'APPLICATION_APPROVED', 'EMAIL')).toBe('SUPPRESSED');
    expect(current().timeline.at(-1)).toMatchObject({
      action: 'NOTIFICATION_SUPPRESSED',
      channel: 'EMAIL',
      recipient: 'Z***@Example.com',
    });
  });

  it('a complaint suppresses too; a soft bounce or another event does not', async () => {
    const { deps, fakes } = onboarding();
    expect(await recordEmailEvent(deps, bounce('a@example.com', 'Transient'))).toMatchObject({
      suppressed: 0,
    });
    expect(await recordEmailEvent(deps, { eventType: 'Delivery', delivery: {} })).toMatchObject({
      suppressed: 0,
    });
    expect(await recordEmailEvent(deps, 'not an event')).toMatchObject({ suppressed: 0 });
    expect(fakes.suppressions.entries.size).toBe(0);
    const complaint = {
      notificationType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: 'b@example.com' }],
        complaintFeedbackType: 'abuse',
      },
    };
    expect(await recordEmailEvent(deps, complaint)).toEqual({ kind: 'Complaint', suppressed: 1 });
    expect([...fakes.suppressions.entries.values()]).toEqual([{ reason: 'COMPLAINT', detail: 'abuse' }]);
  });

  it('an SMS opt-out reported by the provider suppresses the phone: nothing is sent to it again', async () => {
    let optedOut = 0;
    const { deps, fakes, calls, current } = onboarding(application(), {
      sms: {
        send: async () => {
          optedOut += 1;
          throw new RecipientOptedOutError('opted out');
        },
      },
    });
    const first = await asWorkflowStep(() => notifyApplicant(deps, { applicationId: 'APP1' }));
    // Not a failure to retry: one provider call, SUPPRESSED, the step succeeds.
    expect(first).toEqual({ attempts: 1, succeeded: true });
    expect(optedOut).toBe(1);
    expect(fakes.sends.status('APP1#1', 'APPLICATION_APPROVED', 'SMS')).toBe('SUPPRESSED');
    expect([...fakes.suppressions.entries.values()]).toEqual([{ reason: 'OPT_OUT', detail: undefined }]);
    expect(current().timeline.at(-1)).toMatchObject({ action: 'NOTIFICATION_SUPPRESSED', channel: 'SMS' });

    // The next message to that phone is not even offered to the provider.
    const stored = current();
    await deps.applications.save(
      { ...stored, status: 'NEEDS_CHANGES', submissionCount: 2, revision: stored.revision + 1 },
      stored.revision,
    );
    await notifyApplicant(deps, { applicationId: 'APP1' });
    expect(optedOut).toBe(1);
    expect(calls.sms).toBe(1);
    expect(fakes.sends.status('APP1#2', 'CHANGES_REQUESTED', 'SMS')).toBe('SUPPRESSED');
  });
});

describe('SMS abuse limit: at most N per phone per hour', () => {
  const merchant = {
    merchantNo: '102110154110007',
    contact: { name: '张三', phone: PHONE, email: EMAIL },
    locale: 'zh-CN',
  } as MerchantRecord;
  const operator: StaffPrincipal = { kind: 'staff', sub: 'op-1', groups: ['operator'] } as StaffPrincipal;

  function terminals() {
    const history: TerminalHistoryEntry[] = [];
    let codes = 0;
    const repository = {
      get: async () => ({
        serialNumber: 'LKL00012345',
        model: 'A8',
        status: 'BOUND',
        registeredAt: '2026-11-01T00:00:00.000Z',
        merchantNo: merchant.merchantNo,
        terminalId: '00000042',
      }),
      reserveActivationIssue: async () => true,
      releaseActivationIssue: async () => {},
      setActivationCode: async () => {
        codes += 1;
        return 'SET';
      },
      addHistory: async (_sn: string, entry: TerminalHistoryEntry) => {
        history.push(entry);
      },
    } as unknown as TerminalRepository;
    return { repository, history, codes: () => codes };
  }

  it('sends 5 activation codes to one phone in an hour; the 6th answers 429 RATE_LIMITED and keeps the code', async () => {
    const { deps: base, fakes, texts, setNow } = onboarding();
    const terminal = terminals();
    const deps = {
      ...base,
      terminals: terminal.repository,
      merchants: { getMerchant: async () => merchant } as unknown as MerchantRepository,
    };
    for (let i = 0; i < 5; i++) {
      setNow(new Date(Date.parse('2026-11-23T08:00:00Z') + i * 60_000));
      await expect(reissueActivationCode(deps, operator, 'LKL00012345')).resolves.toMatchObject({
        activationCodeSent: true,
      });
    }
    setNow(new Date('2026-11-23T08:50:00Z'));
    const sixth = await reissueActivationCode(deps, operator, 'LKL00012345').catch((error: unknown) => error);
    expect(sixth).toBeInstanceOf(AppError);
    expect(sixth).toMatchObject({
      statusCode: 429,
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 600 },
    });
    expect(texts).toHaveLength(5);
    // The refused send generated no code: the one texted last stays valid.
    expect(terminal.codes()).toBe(5);
    const limited = [...fakes.sends.records.values()].filter((record) => record.status === 'RATE_LIMITED');
    expect(limited).toHaveLength(1);
    expect(terminal.history.at(-1)).toMatchObject({
      action: 'NOTIFICATION_RATE_LIMITED',
      channel: 'SMS',
      template: 'ACTIVATION_CODE',
      recipient: '138****8000',
    });

    // The next clock hour has a fresh allowance.
    setNow(new Date('2026-11-23T09:00:01Z'));
    await expect(reissueActivationCode(deps, operator, 'LKL00012345')).resolves.toMatchObject({
      activationCodeSent: true,
    });
    expect(texts).toHaveLength(6);
  });

  it('keeps the activation codes their own counter: other SMS that used up the hour do not stop a code', async () => {
    const { deps: base, fakes, texts, setNow } = onboarding();
    const terminal = terminals();
    const deps = {
      ...base,
      terminals: terminal.repository,
      merchants: { getMerchant: async () => merchant } as unknown as MerchantRepository,
    };
    setNow(new Date('2026-11-23T08:00:00Z'));
    // Five other SMS to the same phone this hour (codes anyone may request, notices): used up.
    const phoneHash = await addressHash(fakes.hasher, 'SMS', merchant.contact.phone);
    for (let i = 0; i < 5; i++)
      expect(await fakes.sendQuota.take('SMS', phoneHash, new Date('2026-11-23T08:00:00Z'), 5)).toBe(true);
    expect(await fakes.sendQuota.take('SMS', phoneHash, new Date('2026-11-23T08:00:00Z'), 5)).toBe(false);
    // The activation code still goes out, and counts against its own counter.
    await expect(reissueActivationCode(deps, operator, 'LKL00012345')).resolves.toMatchObject({
      activationCodeSent: true,
    });
    expect(texts).toHaveLength(1);
    expect(fakes.sendQuota.counts.get(`SMS_ACTIVATION_CODE#${phoneHash}#2026-11-23T08`)).toBe(1);
  });

  it('counts a message once, however often a provider failure makes the step retry it', async () => {
    let failures = 3;
    const { deps, fakes } = onboarding(application(), {
      sms: {
        send: async () => {
          if (failures-- > 0) throw new Error('throttled');
          return 'sms-1';
        },
      },
    });
    await asWorkflowStep(() => notifyApplicant(deps, { applicationId: 'APP1' }));
    expect(fakes.sends.status('APP1#1', 'APPLICATION_APPROVED', 'SMS')).toBe('SENT');
    // Once per channel: the email and the SMS.
    expect([...fakes.sendQuota.counts].map(([key, count]) => `${key.split('#')[0]}:${count}`).sort()).toEqual(
      ['EMAIL:1', 'SMS:1'],
    );
  });

  it('counts every kind of SMS to the phone: the 6th message of the hour is RATE_LIMITED in the workflow too', async () => {
    const { deps, fakes, texts, current } = onboarding();
    for (let round = 1; round <= 6; round++) {
      const stored = current();
      await deps.applications.save(
        { ...stored, status: 'NEEDS_CHANGES', submissionCount: round, revision: stored.revision + 1 },
        stored.revision,
      );
      await notifyApplicant(deps, { applicationId: 'APP1' });
    }
    expect(texts).toHaveLength(5);
    expect(fakes.sends.status('APP1#6', 'CHANGES_REQUESTED', 'SMS')).toBe('RATE_LIMITED');
    // Email has no such limit.
    expect(fakes.sends.status('APP1#6', 'CHANGES_REQUESTED', 'EMAIL')).toBe('SENT');
    expect(current().timeline.at(-1)).toMatchObject({ action: 'NOTIFICATION_RATE_LIMITED', channel: 'SMS' });
  });
});

describe('email abuse limit: at most N per address per hour', () => {
  it('sends 10 emails to one address in an hour, the 11th is RATE_LIMITED; supervisors are never held back', async () => {
    const { deps, fakes } = onboarding();
    const results: string[] = [];
    for (let i = 1; i <= 11; i++) {
      const outcome = await sendOnce(
        deps,
        { subjectId: `S${i}`, template: 'T', channel: 'EMAIL', address: EMAIL, maxAttempts: 1 },
        async () => `ses-${i}`,
      );
      results.push(outcome.result);
    }
    expect(results.filter((result) => result === 'SENT')).toHaveLength(10);
    expect(results.at(-1)).toBe('RATE_LIMITED');
    // The same address in another spelling is the same mailbox.
    const other = await sendOnce(
      deps,
      { subjectId: 'S12', template: 'T', channel: 'EMAIL', address: EMAIL.toLowerCase(), maxAttempts: 1 },
      async () => 'ses-12',
    );
    expect(other.result).toBe('RATE_LIMITED');
    // The deployment's own address (supervisors) counts against nothing.
    const supervisors = await sendOnce(
      { sends: fakes.sends, suppressions: fakes.suppressions, hasher: fakes.hasher, clock: deps.clock },
      { subjectId: 'S13', template: 'T', channel: 'EMAIL', address: EMAIL, maxAttempts: 1, quota: 'NONE' },
      async () => 'ses-13',
    );
    expect(supervisors.result).toBe('SENT');
  });
});

describe('escalation notice to supervisors', () => {
  function escalation(options: { mailer?: Mailer; taskStatus?: 'PENDING' | 'DECIDED' } = {}) {
    const base = onboarding(application({ status: 'PENDING_REVIEW' }), { mailer: options.mailer });
    const task = {
      taskId: 'APP1-1',
      kind: 'APPLICATION',
      subjectId: 'APP1',
      status: options.taskStatus ?? 'PENDING',
      createdAt: '2026-11-21T08:00:00.000Z',
      deadline: '2026-11-23T08:00:00.000Z',
      finalDeadline: '2026-11-28T08:00:00.000Z',
      escalated: false,
      automatedChecks: [],
      requiredChecks: ['phoneCallback'],
      summary: 'INDIVIDUAL · 张三便利店 · MCC 5411',
      taskToken: 't',
    };
    const reviews = {
      markEscalated: async () => task.status === 'PENDING',
      get: async () => task,
    } as unknown as ReviewTaskRepository;
    const deps = {
      ...base.deps,
      reviews,
      config: { ...base.deps.config, supervisorLocale: 'en' as const },
    };
    return { ...base, deps };
  }

  it('emails the supervisors once, in the configured locale, however often the step runs', async () => {
    const { deps, emails, calls } = escalation();
    await escalateApplicationReview(deps, { applicationId: 'APP1' });
    await escalateApplicationReview(deps, { applicationId: 'APP1' });
    expect(calls.email).toBe(1);
    expect(emails[0]).toMatchObject({ to: ['leads@example.com'], subject: 'Review task escalated: APP1-1' });
    expect(emails[0]?.text).toContain('INDIVIDUAL · 张三便利店 · MCC 5411');
  });

  it('a notice that fails on every attempt is noted in the application timeline and does not fail the review', async () => {
    const { deps, current, calls } = escalation({
      mailer: {
        send: async () => {
          throw new Error('SES down');
        },
      },
    });
    const run = await asWorkflowStep(() => escalateApplicationReview(deps, { applicationId: 'APP1' }));
    expect(run).toEqual({ attempts: WORKFLOW_SEND_ATTEMPTS, succeeded: true });
    expect(calls.email).toBe(WORKFLOW_SEND_ATTEMPTS);
    expect(current().timeline.at(-1)).toMatchObject({
      action: 'NOTIFICATION_FAILED',
      channel: 'EMAIL',
      template: 'REVIEW_ESCALATED',
      recipient: 'l***@example.com',
    });
  });

  it('tells nobody about a task decided in the meantime', async () => {
    const { deps, calls } = escalation({ taskStatus: 'DECIDED' });
    expect(await escalateApplicationReview(deps, { applicationId: 'APP1' })).toEqual({
      taskId: 'APP1-1',
      escalated: false,
    });
    expect(calls.email).toBe(0);
  });
});

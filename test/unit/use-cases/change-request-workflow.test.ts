import { describe, expect, it } from 'vitest';
import {
  awaitChangeReview,
  expireChangeRequest,
  notifyChangeOutcome,
} from '../../../shared/change-requests/workflow';
import type { ChangeRequestRecord } from '../../../shared/domain/change-request';
import type { MerchantRecord } from '../../../shared/domain/merchant';
import type { ReviewTaskRecord } from '../../../shared/domain/review';
import type { Mailer, SmsSender, WorkflowEngine } from '../../../shared/ports';
import type { ChangeRequestRepository } from '../../../shared/ports/change-requests';
import type { MerchantRepository, SendRecordRepository } from '../../../shared/ports/merchants';
import type { ReviewTaskRepository } from '../../../shared/ports/repositories';
import { notificationFakes } from '../../support/notification-fakes';

const oldContact = { name: '张三', phone: '13800138000', email: 'zhangsan@example.com' };
const newContact = { name: '李四', phone: '13900139000', email: 'zhangsan@example.com' };

const merchant: MerchantRecord = {
  merchantNo: '102110154110001',
  status: 'ACTIVE',
  version: 2,
  type: 'INDIVIDUAL',
  business: { name: '张三便利店', mcc: '5411', address: { divisionCode: '110105', detail: '建国路88号' } },
  contact: newContact,
  settlement: {
    accountType: 'PERSONAL',
    accountName: '张三',
    accountNumber: '6222020200000000006',
    bankName: '中国工商银行',
    cycle: 'T1',
  },
  locale: 'zh-CN',
  applicationId: '01J00000000000000000000000',
  terminalCount: 0,
  createdAt: '2026-11-22T00:00:00.000Z',
  updatedAt: '2026-11-22T00:00:00.000Z',
};

function request(overrides: Partial<ChangeRequestRecord> = {}): ChangeRequestRecord {
  return {
    changeRequestId: 'CR1',
    merchantNo: merchant.merchantNo,
    status: 'APPLIED',
    changes: { contact: newContact },
    reason: '联系人变更',
    expectedVersion: 1,
    fields: ['contact.name', 'contact.phone'],
    before: { contact: oldContact },
    appliedVersion: 2,
    checks: [],
    requiredChecks: ['phoneCallback'],
    reasons: [],
    timeline: [],
    revision: 3,
    createdAt: '2026-11-22T00:00:00.000Z',
    updatedAt: '2026-11-22T00:00:00.000Z',
    ...overrides,
  };
}

/** In-memory ports with the conditional semantics of the DynamoDB adapters. */
function setup(record: ChangeRequestRecord, options: { failEmail?: boolean } = {}) {
  let stored = record;
  const sendRecords = new Map<string, string>();
  const emails: { to: readonly string[]; subject: string }[] = [];
  const sms: { to: string; body: string }[] = [];
  const closed: string[] = [];
  const resumed: unknown[] = [];
  let failEmail = options.failEmail ?? false;
  const changeRequests = {
    get: async () => stored,
    finish: async (next: ChangeRequestRecord, expected: number) => {
      if (stored.revision !== expected) return 'REVISION_MOVED';
      stored = next;
      return 'DONE';
    },
  } as unknown as ChangeRequestRepository;
  const notifications = notificationFakes();
  const sends: SendRecordRepository = {
    claim: async (input) => {
      const attempt = await notifications.sends.claim(input);
      if (attempt !== undefined)
        sendRecords.set(`${input.subjectId}|${input.template}|${input.channel}`, 'SENDING');
      return attempt;
    },
    complete: async (input) => {
      await notifications.sends.complete(input);
      sendRecords.set(`${input.subjectId}|${input.template}|${input.channel}`, input.status);
    },
    get: (subjectId, template, channel) => notifications.sends.get(subjectId, template, channel),
  };
  const mailer: Mailer = {
    send: async (message) => {
      if (failEmail) throw new Error('SES down');
      emails.push(message);
      return `mail-${emails.length}`;
    },
  };
  const smsSender: SmsSender = {
    send: async (message) => {
      sms.push(message);
      return `sms-${sms.length}`;
    },
  };
  const reviews = {
    get: async () => undefined as ReviewTaskRecord | undefined,
    close: async (taskId: string, status: string) => {
      closed.push(`${taskId}:${status}`);
      return true;
    },
  } as unknown as ReviewTaskRepository;
  const workflow = {
    resume: async (token: string, output: unknown) => {
      resumed.push({ token, output });
    },
  } as unknown as WorkflowEngine;
  const deps = {
    changeRequests,
    merchants: { getMerchant: async () => merchant } as unknown as MerchantRepository,
    sends,
    suppressions: notifications.suppressions,
    sendQuota: notifications.sendQuota,
    hasher: notifications.hasher,
    mailer,
    sms: smsSender,
    reviews,
    workflow,
    clock: { now: () => new Date('2026-11-23T00:00:00Z') },
    deadlines: {
      reviewEscalationSeconds: 60,
      reviewFinalSeconds: 120,
      resubmissionSeconds: 60,
      draftTtlSeconds: 60,
      transferAcceptanceSeconds: 60,
    },
    config: { smsSignature: '拉卡拉', smsPerPhonePerHour: 5, emailPerAddressPerHour: 10 },
  };
  return {
    deps,
    emails,
    sms,
    closed,
    resumed,
    sendRecords,
    current: () => stored,
    heal: () => {
      failEmail = false;
    },
  };
}

describe('change-request notifications', () => {
  it('tells the new contact on both channels and the old one on each channel whose address changed, once', async () => {
    const { deps, emails, sms } = setup(request());
    await notifyChangeOutcome(deps, 'CR1');
    // Same email address before and after: one email; the phone changed: both phones get the SMS.
    expect(emails.map((m) => m.to)).toEqual([[newContact.email]]);
    expect(emails[0]?.subject).toContain('商户信息变更已生效');
    expect(sms.map((m) => m.to).sort()).toEqual([oldContact.phone, newContact.phone]);
    await notifyChangeOutcome(deps, 'CR1');
    expect(emails).toHaveLength(1);
    expect(sms).toHaveLength(2);
  });

  it('tells only the current contact of a rejection, with the reasons', async () => {
    const { deps, emails, sms } = setup(
      request({
        status: 'REJECTED',
        before: undefined,
        reasons: [{ field: 'contact', code: 'REJECTED_BY_REVIEWER', reason: '无法联系' }],
      }),
    );
    await notifyChangeOutcome(deps, 'CR1');
    expect(emails).toHaveLength(1);
    expect(sms.map((m) => m.to)).toEqual([newContact.phone]);
  });

  it('records a failed send and throws so the workflow retries; the retry sends only what failed', async () => {
    const { deps, emails, sms, sendRecords, heal } = setup(request(), { failEmail: true });
    await expect(notifyChangeOutcome(deps, 'CR1')).rejects.toThrow(/failed/);
    expect(sendRecords.get('CR1|CHANGE_APPLIED|EMAIL')).toBe('FAILED');
    heal();
    await notifyChangeOutcome(deps, 'CR1');
    expect(emails).toHaveLength(1);
    expect(sms).toHaveLength(2);
  });

  it('sends nothing for a cancelled request', async () => {
    const { deps, emails, sms } = setup(request({ status: 'CANCELLED' }));
    expect(await notifyChangeOutcome(deps, 'CR1')).toEqual({ sent: [] });
    expect(emails).toEqual([]);
    expect(sms).toEqual([]);
  });
});

describe('change-request workflow steps', () => {
  it('expires a pending request: task closed, EXPIRED with a reason by the system; a retry does nothing', async () => {
    const pending = request({ status: 'PENDING_REVIEW', before: undefined, appliedVersion: undefined });
    const { deps, closed, current } = setup(pending);
    expect(await expireChangeRequest(deps, 'CR1')).toEqual({ status: 'EXPIRED' });
    expect(closed).toEqual(['CR1:EXPIRED']);
    expect(current()).toMatchObject({
      status: 'EXPIRED',
      revision: 4,
      reasons: [expect.objectContaining({ code: 'REVIEW_DEADLINE_PASSED' })],
      timeline: [expect.objectContaining({ status: 'EXPIRED', actor: 'system', action: 'EXPIRED' })],
    });
    expect(await expireChangeRequest(deps, 'CR1')).toEqual({ status: 'EXPIRED' });
    expect(closed).toHaveLength(1);
  });

  it('ends the wait at once, without a decision, for a request cancelled before its review opened', async () => {
    const { deps, resumed } = setup(request({ status: 'CANCELLED' }));
    expect(await awaitChangeReview(deps, { changeRequestId: 'CR1', taskToken: 't-1' })).toEqual({
      taskId: 'CR1',
      skipped: 'CANCELLED',
    });
    expect(resumed).toEqual([{ token: 't-1', output: { taskId: 'CR1', decision: 'NONE' } }]);
  });
});

import { describe, expect, it } from 'vitest';
import type { MerchantRecord } from '../../../shared/domain/merchant';
import type { TransferRequestRecord } from '../../../shared/domain/terminal';
import type { EmailMessage } from '../../../shared/ports';
import type { MerchantRepository } from '../../../shared/ports/merchants';
import type { TerminalRepository, TransferRepository } from '../../../shared/ports/terminals';
import { transferNotify } from '../../../shared/transfers/workflow';
import { notificationFakes } from '../../support/notification-fakes';

function merchant(merchantNo: string, phone: string, email: string, locale: 'zh-CN' | 'en'): MerchantRecord {
  return {
    merchantNo,
    status: 'ACTIVE',
    version: 1,
    type: 'INDIVIDUAL',
    business: { name: '店', mcc: '5411', address: { divisionCode: '110105', detail: '路' } },
    contact: { name: '张三', phone, email },
    settlement: {
      accountType: 'PERSONAL',
      accountName: '张三',
      accountNumber: '6222020200000000006',
      bankName: '中国工商银行',
      cycle: 'T1',
    },
    locale,
    applicationId: 'APP',
    terminalCount: 1,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}

const sender = merchant('102110154110001', '13800138000', 'from@example.com', 'zh-CN');
const receiver = merchant('102110154110002', '13900139000', 'to@example.com', 'en');

function setup(record: TransferRequestRecord, options: { smsDown?: boolean } = {}) {
  let stored = record;
  const emails: EmailMessage[] = [];
  const texts: { to: string; body: string }[] = [];
  const transfers = {
    get: async () => stored,
    save: async (next: TransferRequestRecord, expected: number) => {
      if (stored.revision !== expected) return false;
      stored = next;
      return true;
    },
  } as unknown as TransferRepository;
  const deps = {
    transfers,
    merchants: {
      getMerchant: async (no: string) => (no === sender.merchantNo ? sender : receiver),
    } as unknown as MerchantRepository,
    terminals: {} as TerminalRepository,
    ...notificationFakes(),
    mailer: {
      send: async (message: EmailMessage) => {
        emails.push(message);
        return `ses-${emails.length}`;
      },
    },
    sms: {
      send: async (message: { to: string; body: string }) => {
        if (options.smsDown) throw new Error('down');
        texts.push(message);
        return `sms-${texts.length}`;
      },
    },
    clock: { now: () => new Date('2026-11-23T08:00:00Z') },
    config: { smsSignature: '拉卡拉', smsPerPhonePerHour: 5, emailPerAddressPerHour: 10 },
  };
  return { deps, emails, texts, current: () => stored };
}

const accepted: TransferRequestRecord = {
  transferRequestId: 'TR1',
  serialNumber: 'LKL00012345',
  fromMerchantNo: sender.merchantNo,
  toMerchantNo: receiver.merchantNo,
  fromTerminalId: '00000042',
  reason: '门店转让',
  status: 'PENDING_REVIEW',
  reasons: [],
  timeline: [
    {
      status: 'AWAITING_ACCEPTANCE',
      at: '2026-11-23T07:00:00.000Z',
      actor: 'merchant:1',
      action: 'REQUESTED',
    },
    { status: 'PENDING_REVIEW', at: '2026-11-23T07:30:00.000Z', actor: 'merchant:2', action: 'ACCEPTED' },
  ],
  executionArn: 'arn',
  revision: 3,
  createdAt: '2026-11-23T07:00:00.000Z',
  updatedAt: '2026-11-23T07:30:00.000Z',
};

describe('transfer notifications', () => {
  it('tells the sender, in its locale, that the receiver accepted — once', async () => {
    const { deps, emails, texts } = setup(accepted);
    await transferNotify(deps, { transferRequestId: 'TR1', event: 'ACCEPTED' });
    await transferNotify(deps, { transferRequestId: 'TR1', event: 'ACCEPTED' });
    expect(emails.map((m) => [m.to, m.subject])).toEqual([
      [['from@example.com'], '终端转移已被接收方确认：LKL00012345'],
    ]);
    expect(emails[0]?.text).toContain(receiver.merchantNo);
    expect(texts.map((m) => m.to)).toEqual([sender.contact.phone]);
  });

  it('sends nothing for an acceptance that never happened', async () => {
    const { deps, emails } = setup({
      ...accepted,
      status: 'CANCELLED',
      timeline: accepted.timeline.slice(0, 1),
    });
    expect(await transferNotify(deps, { transferRequestId: 'TR1', event: 'ACCEPTED' })).toEqual({ sent: 0 });
    expect(emails).toEqual([]);
  });

  it('notes an SMS that failed on its last attempt in the transfer timeline (masked)', async () => {
    const { deps, current } = setup(accepted, { smsDown: true });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await transferNotify(deps, { transferRequestId: 'TR1', event: 'ACCEPTED' }).catch(() => undefined);
    }
    expect(current().timeline.at(-1)).toMatchObject({
      status: 'PENDING_REVIEW',
      actor: 'system',
      action: 'NOTIFICATION_FAILED',
      channel: 'SMS',
      template: 'TRANSFER_ACCEPTED',
      recipient: '138****8000',
    });
    expect(JSON.stringify(current().timeline)).not.toContain('13800138000');
  });
});

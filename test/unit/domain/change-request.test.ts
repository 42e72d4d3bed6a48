import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  type ChangeSet,
  changedFields,
  currentValues,
  maskChangeSet,
  maskedDiff,
  requiredChecksForChange,
} from '../../../shared/domain/change-request';
import type { MerchantRecord } from '../../../shared/domain/merchant';
import { isAppError } from '../../../shared/errors';
import {
  changedSectionLabels,
  renderChangeEmail,
  renderChangeSms,
} from '../../../shared/notifications/change-templates';
import { changeRuleProblems, parseChangeRequestBody } from '../../../shared/validation/change-request-schema';

const merchant: MerchantRecord = {
  merchantNo: '102110154110001',
  status: 'PENDING_ACTIVATION',
  version: 1,
  type: 'INDIVIDUAL',
  business: {
    name: '张三便利店',
    shortName: '张三便利',
    mcc: '5411',
    address: { divisionCode: '110105', detail: '朝阳区建国路88号' },
  },
  contact: { name: '张三', phone: '13800138000', email: 'zhangsan@example.com' },
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

const newContact = { name: '李四', phone: '13900139000', email: 'lisi@example.com' };

/** Catches the AppError a parse throws, for its field problems. */
function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return error.fields ?? [];
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('change-request body', () => {
  const valid = { changes: { contact: newContact }, reason: '联系人变更', expectedVersion: 1 };

  it('accepts the four changeable keys', () => {
    const body = parseChangeRequestBody({
      ...valid,
      changes: {
        'business.name': '李四便利店',
        'business.address': { divisionCode: '110105', detail: '朝阳区建国路99号' },
        contact: newContact,
        settlement: { ...merchant.settlement, accountNumber: '6222020200000000014' },
      },
    });
    expect(Object.keys(body.changes)).toEqual(['business.name', 'business.address', 'contact', 'settlement']);
  });

  it('names every other key under changes as NOT_CHANGEABLE, unknown top-level keys as UNKNOWN_FIELD', () => {
    const fields = problemsOf(() =>
      parseChangeRequestBody({
        ...valid,
        changes: { ...valid.changes, mcc: '7995', merchantNo: 'x', status: 'ACTIVE', fees: 0.6 },
        merchantNo: '102110154110001',
      }),
    );
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'changes.mcc', code: 'NOT_CHANGEABLE' }),
        expect.objectContaining({ field: 'changes.merchantNo', code: 'NOT_CHANGEABLE' }),
        expect.objectContaining({ field: 'changes.status', code: 'NOT_CHANGEABLE' }),
        expect.objectContaining({ field: 'changes.fees', code: 'NOT_CHANGEABLE' }),
        expect.objectContaining({ field: 'merchantNo', code: 'UNKNOWN_FIELD' }),
      ]),
    );
    const nested = problemsOf(() =>
      parseChangeRequestBody({ ...valid, changes: { contact: { ...newContact, wechat: 'x' } } }),
    );
    expect(nested).toEqual([
      expect.objectContaining({ field: 'changes.contact.wechat', code: 'UNKNOWN_FIELD' }),
    ]);
  });

  it('requires reason and an integer expectedVersion ≥ 1', () => {
    const fields = problemsOf(() => parseChangeRequestBody({ changes: valid.changes, expectedVersion: 0 }));
    expect(fields.map((f) => f.field).sort()).toEqual(['expectedVersion', 'reason']);
    expect(problemsOf(() => parseChangeRequestBody({ ...valid, expectedVersion: 1.5 }))[0]?.field).toBe(
      'expectedVersion',
    );
  });

  it('checks the new values with the intake rules, under changes.*, settlement by merchant type', () => {
    const changes: ChangeSet = {
      'business.address': { divisionCode: '990105', detail: 'x' },
      contact: { ...newContact, phone: '12345', email: 'nope' },
      settlement: { ...merchant.settlement, accountType: 'CORPORATE', accountNumber: '123' },
    };
    expect(changeRuleProblems(changes, 'INDIVIDUAL').map((p) => `${p.field}:${p.code}`)).toEqual([
      'changes.business.address.divisionCode:INVALID_PROVINCE',
      'changes.contact.phone:INVALID_FORMAT',
      'changes.contact.email:INVALID_FORMAT',
      'changes.settlement.accountType:NOT_ALLOWED',
      'changes.settlement.accountNumber:INVALID_FORMAT',
    ]);
    const luhn = { settlement: { ...merchant.settlement, accountNumber: '6222020200000000000' } };
    expect(changeRuleProblems(luhn, 'INDIVIDUAL')).toEqual([
      expect.objectContaining({ field: 'changes.settlement.accountNumber', code: 'INVALID_CHECKSUM' }),
    ]);
    expect(changeRuleProblems({}, 'INDIVIDUAL')).toEqual([
      expect.objectContaining({ field: 'changes', code: 'REQUIRED' }),
    ]);
  });
});

describe('change-request diff', () => {
  it('names the changed leaf fields only', () => {
    expect(changedFields(merchant, { contact: { ...merchant.contact, phone: '13900139000' } })).toEqual([
      'contact.phone',
    ]);
    expect(
      changedFields(merchant, {
        'business.name': '李四便利店',
        'business.address': { ...merchant.business.address, detail: '朝阳区建国路99号' },
      }),
    ).toEqual(['business.name', 'business.address.detail']);
    expect(
      changedFields(merchant, { contact: merchant.contact, 'business.name': merchant.business.name }),
    ).toEqual([]);
  });

  it('applies the changes one version later, leaving everything else as it was', () => {
    const next = applyChanges(
      merchant,
      { 'business.name': '李四便利店', contact: newContact },
      '2026-11-23T00:00:00Z',
    );
    expect(next).toMatchObject({
      version: 2,
      updatedAt: '2026-11-23T00:00:00Z',
      contact: newContact,
      settlement: merchant.settlement,
      business: { ...merchant.business, name: '李四便利店' },
    });
    expect(currentValues(merchant, { contact: newContact })).toEqual({ contact: merchant.contact });
  });

  it('masks phones, emails and account numbers in changes and in the before/after diff', () => {
    const changes: ChangeSet = { contact: newContact, settlement: merchant.settlement };
    expect(maskChangeSet(changes)).toEqual({
      contact: { name: '李四', phone: '139****9000', email: 'l***@example.com' },
      settlement: { ...merchant.settlement, accountNumber: '622202*********0006' },
    });
    const diff = maskedDiff(currentValues(merchant, { contact: newContact }), { contact: newContact });
    expect(diff).toEqual([
      {
        field: 'contact',
        before: { name: '张三', phone: '138****8000', email: 'z***@example.com' },
        after: { name: '李四', phone: '139****9000', email: 'l***@example.com' },
      },
    ]);
    expect(JSON.stringify(diff)).not.toContain('13900139000');
  });

  it('requires a call-back always, a site inspection for an enterprise or high-risk move and for T0', () => {
    const move = { 'business.address': { divisionCode: '110105', detail: '新地址' } };
    expect(requiredChecksForChange(merchant, { contact: newContact })).toEqual(['phoneCallback']);
    expect(requiredChecksForChange(merchant, move)).toEqual(['phoneCallback']);
    expect(requiredChecksForChange({ ...merchant, type: 'ENTERPRISE' }, move)).toEqual([
      'phoneCallback',
      'siteInspection',
    ]);
    expect(
      requiredChecksForChange(merchant, { settlement: { ...merchant.settlement, cycle: 'T0' } }),
    ).toEqual(['phoneCallback', 'siteInspection']);
  });
});

describe('change-request messages', () => {
  const values = {
    merchantNo: merchant.merchantNo,
    changeRequestId: '01J00000000000000000000001',
    fields: ['contact.phone', 'contact.email', 'settlement.accountNumber'],
    reasons: [{ field: 'settlement', reason: '<b>账户名不符</b>' }],
  };

  it('fits every SMS in one segment with the signature first, in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const template of [
        'CHANGE_APPLIED',
        'CHANGE_REJECTED',
        'CHANGE_STALE',
        'CHANGE_EXPIRED',
      ] as const) {
        const sms = renderChangeSms(template, locale, values, '拉卡拉');
        expect(sms.body.startsWith('【拉卡拉】')).toBe(true);
        expect([...sms.body].length).toBeLessThanOrEqual(70);
      }
    }
  });

  it('names sections, not values, and escapes reasons in HTML', () => {
    expect(changedSectionLabels(values.fields, 'zh-CN')).toEqual(['联系人信息', '结算账户']);
    const applied = renderChangeEmail('CHANGE_APPLIED', 'zh-CN', values);
    expect(applied.text).toContain('联系人信息、结算账户');
    const rejected = renderChangeEmail('CHANGE_REJECTED', 'en', values);
    expect(rejected.html).toContain('&lt;b&gt;');
    expect(rejected.html).not.toContain('<b>');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../infra/house-function';
import { smsTemplatesTooLongFor, TEMPLATE_CATALOG } from '../../../shared/notifications/catalog';
import { renderChangeEmail, renderChangeSms } from '../../../shared/notifications/change-templates';
import { renderSupervisorEmail } from '../../../shared/notifications/supervisor-templates';
import { escapeHtml, LOCALES, SMS_SEGMENT_CHARS } from '../../../shared/notifications/template-engine';
import { renderEmail, renderSms } from '../../../shared/notifications/templates';
import { renderTerminalEmail, renderTerminalSms } from '../../../shared/notifications/terminal-templates';

const SIGNATURE = '拉卡拉';
const cases = TEMPLATE_CATALOG.flatMap((entry) =>
  LOCALES.map((locale) => [entry.template, locale, entry] as const),
);

describe('every template in both locales', () => {
  it.each(cases)('%s / %s renders as recorded', (_template, locale, entry) => {
    expect(entry.render(locale, SIGNATURE)).toMatchSnapshot();
  });

  it.each(cases)(
    '%s / %s: subject, text and HTML part; SMS with signature in one segment',
    (_t, locale, entry) => {
      const { email, sms } = entry.render(locale, SIGNATURE);
      expect(email.subject.length).toBeGreaterThan(0);
      expect(email.text.length).toBeGreaterThan(email.subject.length);
      expect(email.html).toMatch(new RegExp(`^<!doctype html><html lang="${locale}">`));
      expect(email.html).toContain('<meta charset="utf-8">');
      // The text part is the same message as the HTML part (first paragraph in both).
      const firstLine = email.text.split('\n')[0] ?? '';
      expect(email.html).toContain(escapeHtml(firstLine));
      if (entry.smsTemplateId === undefined) {
        expect(sms).toBeUndefined();
        return;
      }
      if (!sms) throw new Error('SMS expected');
      expect(sms.body.startsWith(`【${SIGNATURE}】`)).toBe(true);
      expect([...sms.body].length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
      expect(sms.templateId).toBe(entry.smsTemplateId);
    },
  );

  it.each(cases)('%s / %s: no subject and no SMS carries text the applicant typed', (_t, locale, entry) => {
    // The catalog's applicant-typed value is the business name: a mail client shows the subject,
    // a lock screen the SMS, as the acquirer's own words.
    const { email, sms } = entry.render(locale, SIGNATURE);
    expect(email.subject).not.toContain('张三便利店');
    expect(sms?.body ?? '').not.toContain('张三便利店');
    // A case is named by its id; the operators' daily report by its day.
    expect(email.subject).toMatch(entry.audience === 'operators' ? /\d{4}-\d{2}-\d{2}/ : /[0-9A-Z]{8,}/);
  });

  it('has one unique SMS template id per SMS template, for mainland registration', () => {
    const ids = TEMPLATE_CATALOG.flatMap((entry) => (entry.smsTemplateId ? [entry.smsTemplateId] : []));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^SMS_[A-Z_]+_V\d+$/);
  });

  it('covers every event of the product', () => {
    expect(TEMPLATE_CATALOG.map((entry) => entry.template).sort()).toEqual(
      [
        'APPLICATION_RECEIVED',
        'CHANGES_REQUESTED',
        'APPLICATION_REJECTED',
        'APPLICATION_APPROVED',
        'APPLICATION_EXPIRED',
        'ACTIVATION_CODE',
        'TRANSFER_REQUESTED',
        'TRANSFER_ACCEPTED',
        'TRANSFER_COMPLETED_FROM',
        'TRANSFER_COMPLETED_TO',
        'TRANSFER_REJECTED',
        'TRANSFER_EXPIRED',
        'CHANGE_APPLIED',
        'CHANGE_REJECTED',
        'CHANGE_STALE',
        'CHANGE_EXPIRED',
        'REVIEW_ESCALATED',
        'ACCESS_TOKEN_REISSUED',
        'VERIFICATION_CODE',
        'SIGN_IN_CODE',
        'AGREEMENT_SIGNATURE_CODE',
        'AGREEMENT_UPDATED',
        'AGREEMENT_REMINDER',
        'MERCHANT_SUSPENDED',
        'LIMITS_RAISED',
        'LIMIT_REQUEST_REJECTED',
        'LIMITS_LOWERED',
        'MONTHLY_LIMIT_NEAR',
        'DAILY_REPORT',
      ].sort(),
    );
  });

  it('is listed, with its SMS template id, in docs/notifications.md', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'docs', 'notifications.md'), 'utf8');
    for (const entry of TEMPLATE_CATALOG) {
      expect(readme, entry.template).toContain(`\`${entry.template}\``);
      if (entry.smsTemplateId) expect(readme, entry.template).toContain(entry.smsTemplateId);
    }
  });

  it('refuses a signature that would push an SMS beyond one segment', () => {
    expect(smsTemplatesTooLongFor(SIGNATURE)).toEqual([]);
    // The English approval SMS (merchant number, terminal ID, code) is the longest one.
    expect(smsTemplatesTooLongFor('拉卡拉支付股份有限公司')).toContain('APPLICATION_APPROVED/en');
  });
});

describe('the values that matter', () => {
  const application = {
    businessName: '张三便利店',
    applicationId: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
    merchantNo: '102110154110007',
    terminalId: '00000042',
    activationCode: '384917',
    reasons: [{ field: 'business.address.detail', reason: '地址不完整' }],
  };

  it('approval: merchant number, terminal ID and how to activate by email; the code only by SMS', () => {
    for (const locale of LOCALES) {
      const email = renderEmail('APPLICATION_APPROVED', locale, application);
      expect(email.text).toContain('102110154110007');
      expect(email.text).toContain('00000042');
      expect(email.text).toMatch(locale === 'zh-CN' ? /激活方法/ : /How to activate/);
      expect(email.text + email.html).not.toContain('384917');
      const sms = renderSms('APPLICATION_APPROVED', locale, application, SIGNATURE);
      expect(sms.body).toContain('102110154110007');
      expect(sms.body).toContain('00000042');
      expect(sms.body).toContain('384917');
    }
  });

  it('approval without a terminal says the code follows when one is bound', () => {
    const { terminalId: _t, activationCode: _c, ...noTerminal } = application;
    expect(renderEmail('APPLICATION_APPROVED', 'zh-CN', noTerminal).text).toContain('终端绑定后');
    expect(renderSms('APPLICATION_APPROVED', 'en', noTerminal, SIGNATURE).body).toBe(
      '【拉卡拉】Approved. MID 102110154110007; sign agreement, see email',
    );
  });

  it('rejection and changes requested list every reason, in the text part and as an HTML list', () => {
    for (const template of ['APPLICATION_REJECTED', 'CHANGES_REQUESTED'] as const) {
      const email = renderEmail(template, 'zh-CN', application);
      expect(email.text).toContain('- business.address.detail: 地址不完整');
      expect(email.html).toContain('<ul><li>business.address.detail: 地址不完整</li></ul>');
    }
  });

  it('received: in the merchant locale, with the application id', () => {
    expect(renderEmail('APPLICATION_RECEIVED', 'zh-CN', application).subject).toBe(
      '商户进件申请已受理：01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
    );
    expect(renderEmail('APPLICATION_RECEIVED', 'en', application).text).toContain(application.applicationId);
    expect(renderSms('APPLICATION_RECEIVED', 'en', application, SIGNATURE).templateId).toBe(
      'SMS_ONB_RECEIVED_V1',
    );
  });

  it('transfer accepted tells the sender who accepted it and that the terminal stays until approval', () => {
    const email = renderTerminalEmail('TRANSFER_ACCEPTED', 'en', {
      serialNumber: 'LKL00012345',
      merchantNo: '102110154110007',
      counterpartMerchantNo: '102310058120002',
      transferRequestId: 'T1',
    });
    expect(email.text).toContain('102310058120002');
    expect(email.text).toContain('stays with your merchant number');
  });

  it('change applied names the changed sections, never their values', () => {
    const values = {
      merchantNo: '102110154110007',
      changeRequestId: 'CR1',
      fields: ['contact.phone', 'settlement.accountNumber'],
    };
    const email = renderChangeEmail('CHANGE_APPLIED', 'zh-CN', values);
    expect(email.text).toContain('联系人信息、结算账户');
    expect(renderChangeSms('CHANGE_APPLIED', 'en', values, SIGNATURE).body).toContain('102110154110007');
  });

  it('escalation: task, subject and deadline in the supervisors locale', () => {
    const values = {
      taskId: 'APP1-1',
      kind: 'CHANGE_REQUEST' as const,
      subjectId: 'CR1',
      summary: 'CHANGE_REQUEST · 102110154110007',
      createdAt: '2026-11-20T09:30:00.000Z',
      finalDeadline: '2026-11-27T09:30:00.000Z',
    };
    const zh = renderSupervisorEmail('REVIEW_ESCALATED', 'zh-CN', values);
    expect(zh.subject).toBe('审核任务已超时升级：APP1-1');
    expect(zh.text).toContain('商户变更审核任务 APP1-1');
    const en = renderSupervisorEmail('REVIEW_ESCALATED', 'en', values);
    expect(en.subject).toBe('Review task escalated: APP1-1');
    expect(en.text).toContain('Final deadline: 2026-11-27T09:30:00.000Z');
  });
});

describe('escaping', () => {
  const hostile = '<img src=x onerror="alert(1)">&\'';

  it('escapes every user-supplied string in the HTML part, subject included', () => {
    const emails = [
      renderEmail('APPLICATION_REJECTED', 'en', {
        businessName: hostile,
        applicationId: 'A1',
        reasons: [{ field: 'business.name', reason: hostile }],
      }),
      renderTerminalEmail('TRANSFER_REJECTED', 'zh-CN', {
        serialNumber: 'LKL00012345',
        merchantNo: '102110154110007',
        reasons: [{ field: 'toMerchantNo', reason: hostile }],
      }),
      renderChangeEmail('CHANGE_REJECTED', 'en', {
        merchantNo: '102110154110007',
        changeRequestId: 'CR1',
        fields: [],
        reasons: [{ field: 'contact', reason: hostile }],
      }),
      renderSupervisorEmail('REVIEW_ESCALATED', 'en', {
        taskId: 'T1',
        kind: 'APPLICATION',
        subjectId: 'A1',
        summary: `INDIVIDUAL · ${hostile} · MCC 5411`,
        createdAt: '2026-11-20T09:30:00.000Z',
        finalDeadline: '2026-11-27T09:30:00.000Z',
      }),
    ];
    for (const email of emails) {
      expect(email.html).not.toContain('<img');
      expect(email.html).not.toContain('onerror="');
      expect(email.html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
      // The text part is plain text: the value is shown as written.
      expect(email.text).toContain(hostile);
    }
  });

  it('keeps a hostile business name out of every subject and SMS (phishing from our domain)', () => {
    const values = {
      businessName: '【银行】您的账户已冻结，请点击 http://evil.example 解冻',
      applicationId: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
      merchantNo: '102110154110007',
      terminalId: '00000042',
      activationCode: '384917',
      reasons: [],
    };
    for (const locale of LOCALES) {
      for (const template of [
        'APPLICATION_RECEIVED',
        'APPLICATION_APPROVED',
        'APPLICATION_REJECTED',
        'CHANGES_REQUESTED',
        'APPLICATION_EXPIRED',
      ] as const) {
        expect(renderEmail(template, locale, values).subject).not.toContain('evil');
        expect(renderSms(template, locale, values, SIGNATURE).body).not.toContain('evil');
      }
    }
  });

  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('throws rather than send an SMS beyond one segment', () => {
    expect(() =>
      renderTerminalSms(
        'ACTIVATION_CODE',
        'en',
        { serialNumber: 'S', merchantNo: 'M', terminalId: '0'.repeat(40), activationCode: '123456' },
        SIGNATURE,
      ),
    ).toThrow(/exceeds one segment/);
  });
});

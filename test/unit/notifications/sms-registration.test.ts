import { describe, expect, it } from 'vitest';
import { TEMPLATE_CATALOG } from '../../../shared/notifications/catalog';
import { templateRenderer } from '../../../shared/notifications/template-engine';
import { renderSms } from '../../../shared/notifications/templates';

/*
 * What a template-based SMS provider (the China profile's) needs of every SMS: the text as
 * registered with it, values as {1}, {2}, … in order, and those values; derived from the
 * templates themselves, so a new template needs nothing more.
 */

describe('registered SMS texts', () => {
  const rendered = TEMPLATE_CATALOG.flatMap((entry) =>
    (['zh-CN', 'en'] as const).flatMap((locale) => {
      const sms = entry.render(locale, '拉卡拉').sms;
      return sms ? [{ name: `${entry.template}/${locale}`, sms }] : [];
    }),
  );

  it.each(rendered.map(({ name, sms }) => [name, sms] as const))(
    '%s: the registered text with its parameters is the text sent, without the signature',
    (_name, sms) => {
      const text = sms.registeredText.replace(
        /\{(\d+)\}/g,
        (_match, n: string) => sms.params[Number(n) - 1] ?? '?',
      );
      expect(sms.body).toBe(`【拉卡拉】${text}`);
      expect(sms.registeredText).not.toContain('拉卡拉】');
      // No value of the example (merchant number, terminal ID, code) is left in the registered text.
      for (const value of ['102110154110007', '00000042', '384917'])
        expect(sms.registeredText).not.toContain(value);
    },
  );

  it('tells the two approval texts apart (with and without an activation code)', () => {
    const values = {
      businessName: '张三便利店',
      applicationId: '01JD',
      merchantNo: '102110154110007',
      terminalId: '00000042',
    };
    const withCode = renderSms(
      'APPLICATION_APPROVED',
      'zh-CN',
      { ...values, activationCode: '384917' },
      '拉卡拉',
    );
    const withoutCode = renderSms('APPLICATION_APPROVED', 'zh-CN', values, '拉卡拉');
    expect(withCode).toMatchObject({
      registeredText: '商户号{1}终端号{2}激活码{3}，签约后可激活，30天内有效',
      params: ['102110154110007', '00000042', '384917'],
    });
    expect(withoutCode).toMatchObject({
      registeredText: '进件已通过，商户号{1}，请签署协议，详情见邮件',
      params: ['102110154110007'],
    });
  });

  it('refuses a template that transforms a value (its parameters could not be told apart)', () => {
    const renderer = templateRenderer<'T', { code: string }>({
      copy: {
        'zh-CN': { T: (v) => ({ subject: 's', blocks: [], sms: `尾号${v.code.slice(-4)}` }) },
        en: { T: (v) => ({ subject: 's', blocks: [], sms: `ends ${v.code}` }) },
      },
      smsTemplateIds: { T: 'SMS_T_V1' },
    });
    expect(() => renderer.sms('T', 'zh-CN', { code: '123456' }, '拉卡拉')).toThrow(/cannot be told apart/);
    expect(renderer.sms('T', 'en', { code: '123456' }, '拉卡拉')).toMatchObject({
      registeredText: 'ends {1}',
      params: ['123456'],
    });
  });
});

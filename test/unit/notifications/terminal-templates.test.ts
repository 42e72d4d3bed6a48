import { describe, expect, it } from 'vitest';
import {
  renderTerminalEmail,
  renderTerminalSms,
  TERMINAL_SMS_TEMPLATE_IDS,
  type TerminalTemplate,
} from '../../../shared/notifications/terminal-templates';

const TEMPLATES = Object.keys(TERMINAL_SMS_TEMPLATE_IDS) as TerminalTemplate[];
const values = {
  serialNumber: 'LKL-ABCDEFGHIJKLMNOPQRSTUVWXYZ01',
  merchantNo: '102110154110001',
  terminalId: '00000042',
  activationCode: '123456',
  counterpartMerchantNo: '102310058120002',
  transferRequestId: '01M80G64DT0SPPMPYDNPXMWXXE',
  reasons: [{ field: 'toMerchantNo', reason: '<script>alert(1)</script>' }],
};

describe('terminal templates', () => {
  it.each(TEMPLATES.flatMap((t) => (['zh-CN', 'en'] as const).map((l) => [t, l] as const)))(
    '%s / %s: SMS starts with the signature and fits one segment; HTML is escaped',
    (template, locale) => {
      const sms = renderTerminalSms(template, locale, values, '拉卡拉');
      expect(sms.body.startsWith('【拉卡拉】')).toBe(true);
      expect([...sms.body].length).toBeLessThanOrEqual(70);
      expect(sms.templateId).toBe(TERMINAL_SMS_TEMPLATE_IDS[template]);
      const email = renderTerminalEmail(template, locale, values);
      expect(email.html).not.toContain('<script>');
      expect(email.subject.length).toBeGreaterThan(0);
    },
  );

  it('puts the activation code only in the SMS, never in the email', () => {
    for (const template of ['ACTIVATION_CODE', 'TRANSFER_COMPLETED_TO'] as const) {
      expect(renderTerminalSms(template, 'zh-CN', values, '拉卡拉').body).toContain('123456');
      const email = renderTerminalEmail(template, 'zh-CN', values);
      expect(email.text + email.html).not.toContain('123456');
    }
  });
});

import { escapeHtml, type Locale, SMS_SEGMENT_CHARS } from './templates';

/**
 * Templates of the terminal lifecycle (activation codes and transfers between merchants), zh-CN
 * and English. Same rules as the onboarding templates: HTML with every value escaped, SMS with
 * the 【signature】 first and within one 70-character segment, a template id per SMS for
 * mainland registration.
 */

export type TerminalTemplate =
  | 'ACTIVATION_CODE'
  | 'TRANSFER_REQUESTED'
  | 'TRANSFER_COMPLETED_FROM'
  | 'TRANSFER_COMPLETED_TO'
  | 'TRANSFER_REJECTED'
  | 'TRANSFER_EXPIRED';

/** Values the terminal templates use. */
export interface TerminalTemplateValues {
  readonly serialNumber: string;
  readonly merchantNo: string;
  readonly terminalId?: string;
  readonly activationCode?: string;
  readonly counterpartMerchantNo?: string;
  readonly transferRequestId?: string;
  readonly reasons?: readonly { field: string; reason: string }[];
}

type Copy = { subject: string; lines: string[]; sms: string };

const reasonLines = (v: TerminalTemplateValues) => (v.reasons ?? []).map((r) => `- ${r.field}: ${r.reason}`);

const COPY: Record<Locale, Record<TerminalTemplate, (v: TerminalTemplateValues) => Copy>> = {
  'zh-CN': {
    ACTIVATION_CODE: (v) => ({
      subject: `终端激活码：${v.terminalId ?? ''}`,
      lines: [`终端 ${v.serialNumber}（终端号 ${v.terminalId ?? ''}）的激活码已通过短信发送，30 天内有效。`],
      sms: `终端号${v.terminalId}激活码${v.activationCode}，30天内有效，请勿泄露`,
    }),
    TRANSFER_REQUESTED: (v) => ({
      subject: `终端转移待确认：${v.serialNumber}`,
      lines: [
        `商户 ${v.counterpartMerchantNo ?? ''} 申请将终端 ${v.serialNumber} 转移给您（申请号 ${v.transferRequestId ?? ''}）。`,
        '如同意接收，请在 7 天内确认。',
      ],
      sms: `有终端转移给您，申请号见邮件，请在7天内确认`,
    }),
    TRANSFER_COMPLETED_FROM: (v) => ({
      subject: `终端已转出：${v.serialNumber}`,
      lines: [`终端 ${v.serialNumber} 已转移至商户 ${v.counterpartMerchantNo ?? ''}，不再绑定您的商户号。`],
      sms: `终端已转出，不再绑定您的商户号${v.merchantNo}`,
    }),
    TRANSFER_COMPLETED_TO: (v) => ({
      subject: `终端已转入：${v.serialNumber}`,
      lines: [
        `终端 ${v.serialNumber} 已绑定您的商户号 ${v.merchantNo}，终端号 ${v.terminalId ?? ''}。`,
        '激活码已通过短信发送，30 天内有效。',
      ],
      sms: `终端号${v.terminalId}激活码${v.activationCode}，30天内有效，请勿泄露`,
    }),
    TRANSFER_REJECTED: (v) => ({
      subject: `终端转移未通过：${v.serialNumber}`,
      lines: [`终端 ${v.serialNumber} 的转移申请未通过审核：`, ...reasonLines(v)],
      sms: '您的终端转移申请未通过审核，原因见邮件',
    }),
    TRANSFER_EXPIRED: (v) => ({
      subject: `终端转移已过期：${v.serialNumber}`,
      lines: [`终端 ${v.serialNumber} 的转移申请已过期，终端仍绑定原商户。`],
      sms: '您的终端转移申请已过期，终端仍绑定原商户',
    }),
  },
  en: {
    ACTIVATION_CODE: (v) => ({
      subject: `Terminal activation code: ${v.terminalId ?? ''}`,
      lines: [
        `The activation code of terminal ${v.serialNumber} (TID ${v.terminalId ?? ''}) was sent by SMS; valid 30 days.`,
      ],
      sms: `TID ${v.terminalId} activation code ${v.activationCode}, valid 30 days`,
    }),
    TRANSFER_REQUESTED: (v) => ({
      subject: `Terminal transfer to accept: ${v.serialNumber}`,
      lines: [
        `Merchant ${v.counterpartMerchantNo ?? ''} asks to move terminal ${v.serialNumber} to you (request ${v.transferRequestId ?? ''}).`,
        'Accept it within 7 days if you agree.',
      ],
      sms: 'A terminal is offered to you: see email, accept in 7 days',
    }),
    TRANSFER_COMPLETED_FROM: (v) => ({
      subject: `Terminal moved out: ${v.serialNumber}`,
      lines: [`Terminal ${v.serialNumber} now belongs to merchant ${v.counterpartMerchantNo ?? ''}.`],
      sms: `Terminal moved out of merchant ${v.merchantNo}`,
    }),
    TRANSFER_COMPLETED_TO: (v) => ({
      subject: `Terminal moved in: ${v.serialNumber}`,
      lines: [
        `Terminal ${v.serialNumber} is bound to your merchant ${v.merchantNo} as TID ${v.terminalId ?? ''}.`,
        'Its activation code was sent by SMS; valid 30 days.',
      ],
      sms: `TID ${v.terminalId} activation code ${v.activationCode}, valid 30 days`,
    }),
    TRANSFER_REJECTED: (v) => ({
      subject: `Terminal transfer rejected: ${v.serialNumber}`,
      lines: [`The transfer of terminal ${v.serialNumber} was rejected:`, ...reasonLines(v)],
      sms: 'Your terminal transfer was rejected; see email',
    }),
    TRANSFER_EXPIRED: (v) => ({
      subject: `Terminal transfer expired: ${v.serialNumber}`,
      lines: [`The transfer of terminal ${v.serialNumber} expired; it stays with your merchant.`],
      sms: 'Your terminal transfer expired; the terminal stays with you',
    }),
  },
};

/** SMS template ids ready for mainland registration. */
export const TERMINAL_SMS_TEMPLATE_IDS: Record<TerminalTemplate, string> = {
  ACTIVATION_CODE: 'SMS_TERM_ACTIVATION_V1',
  TRANSFER_REQUESTED: 'SMS_TRANSFER_REQUESTED_V1',
  TRANSFER_COMPLETED_FROM: 'SMS_TRANSFER_OUT_V1',
  TRANSFER_COMPLETED_TO: 'SMS_TRANSFER_IN_V1',
  TRANSFER_REJECTED: 'SMS_TRANSFER_REJECTED_V1',
  TRANSFER_EXPIRED: 'SMS_TRANSFER_EXPIRED_V1',
};

/** Renders a terminal email (text and escaped HTML). */
export function renderTerminalEmail(
  template: TerminalTemplate,
  locale: Locale,
  values: TerminalTemplateValues,
) {
  const copy = COPY[locale][template](values);
  const html = `<!doctype html><html lang="${locale}"><body>${copy.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`;
  return { subject: copy.subject, text: `${copy.lines.join('\n')}\n`, html };
}

/** Renders a terminal SMS; throws if it would not fit one segment. */
export function renderTerminalSms(
  template: TerminalTemplate,
  locale: Locale,
  values: TerminalTemplateValues,
  signature: string,
) {
  const body = `【${signature}】${COPY[locale][template](values).sms}`;
  if ([...body].length > SMS_SEGMENT_CHARS) throw new Error(`SMS ${template}/${locale} exceeds one segment`);
  return { body, templateId: TERMINAL_SMS_TEMPLATE_IDS[template] };
}

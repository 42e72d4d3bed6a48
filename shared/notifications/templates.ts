/**
 * Message templates, zh-CN and English (the merchant's `locale`). Email has a subject, a text
 * part and an HTML part in which every user-supplied string is escaped; an SMS starts with the
 * sender's signature in 【】 and must fit one 70-character segment (checked by {@link renderSms}).
 */

export type Locale = 'zh-CN' | 'en';

/** Events that produce a message to the merchant. */
export type MerchantTemplate =
  | 'APPLICATION_APPROVED'
  | 'APPLICATION_REJECTED'
  | 'CHANGES_REQUESTED'
  | 'APPLICATION_EXPIRED';

/** Values a template may use; everything here is shown to the merchant only. */
export interface TemplateValues {
  readonly businessName: string;
  readonly applicationId: string;
  readonly merchantNo?: string;
  readonly terminalId?: string;
  readonly activationCode?: string;
  readonly reasons?: readonly { field: string; reason: string }[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

interface EmailCopy {
  subject: string;
  lines: string[];
}

function reasonLines(values: TemplateValues): string[] {
  return (values.reasons ?? []).map((r) => `- ${r.field}: ${r.reason}`);
}

const EMAIL: Record<Locale, Record<MerchantTemplate, (v: TemplateValues) => EmailCopy>> = {
  'zh-CN': {
    APPLICATION_APPROVED: (v) => ({
      subject: `商户进件已通过：${v.businessName}`,
      lines: [
        `您的商户进件申请（${v.applicationId}）已审核通过。`,
        `商户号：${v.merchantNo ?? ''}`,
        ...(v.terminalId
          ? [
              `终端号：${v.terminalId}`,
              '激活码已通过短信发送，30 天内有效。请在终端上输入激活码完成激活，并进行一笔测试交易。',
            ]
          : []),
      ],
    }),
    APPLICATION_REJECTED: (v) => ({
      subject: `商户进件未通过：${v.businessName}`,
      lines: [`很抱歉，您的商户进件申请（${v.applicationId}）未通过审核，原因如下：`, ...reasonLines(v)],
    }),
    CHANGES_REQUESTED: (v) => ({
      subject: `商户进件需要补件：${v.businessName}`,
      lines: [`您的商户进件申请（${v.applicationId}）需要修改后重新提交：`, ...reasonLines(v)],
    }),
    APPLICATION_EXPIRED: (v) => ({
      subject: `商户进件已过期：${v.businessName}`,
      lines: [`您的商户进件申请（${v.applicationId}）已过期，如需继续请重新申请。`],
    }),
  },
  en: {
    APPLICATION_APPROVED: (v) => ({
      subject: `Merchant application approved: ${v.businessName}`,
      lines: [
        `Your merchant application (${v.applicationId}) has been approved.`,
        `Merchant number: ${v.merchantNo ?? ''}`,
        ...(v.terminalId
          ? [
              `Terminal ID: ${v.terminalId}`,
              'Your activation code was sent by SMS and is valid for 30 days. Enter it on the terminal, then run a test transaction.',
            ]
          : []),
      ],
    }),
    APPLICATION_REJECTED: (v) => ({
      subject: `Merchant application rejected: ${v.businessName}`,
      lines: [
        `We are sorry: your merchant application (${v.applicationId}) was rejected for these reasons:`,
        ...reasonLines(v),
      ],
    }),
    CHANGES_REQUESTED: (v) => ({
      subject: `Merchant application needs changes: ${v.businessName}`,
      lines: [
        `Please correct your merchant application (${v.applicationId}) and submit it again:`,
        ...reasonLines(v),
      ],
    }),
    APPLICATION_EXPIRED: (v) => ({
      subject: `Merchant application expired: ${v.businessName}`,
      lines: [
        `Your merchant application (${v.applicationId}) has expired. Please apply again if you still need a terminal.`,
      ],
    }),
  },
};

/** Renders an email: subject, text part, and an HTML part with every value escaped. */
export function renderEmail(template: MerchantTemplate, locale: Locale, values: TemplateValues) {
  const copy = EMAIL[locale][template](values);
  const html = `<!doctype html><html lang="${locale}"><body>${copy.lines
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('')}</body></html>`;
  return { subject: copy.subject, text: `${copy.lines.join('\n')}\n`, html };
}

/** Largest SMS that fits one UCS-2 segment. */
export const SMS_SEGMENT_CHARS = 70;

const SMS: Record<Locale, Partial<Record<MerchantTemplate, (v: TemplateValues) => string>>> = {
  'zh-CN': {
    APPLICATION_APPROVED: (v) =>
      v.activationCode
        ? `商户号${v.merchantNo}终端号${v.terminalId}激活码${v.activationCode}，30天内有效`
        : `进件已通过，商户号${v.merchantNo}，详情见邮件`,
    APPLICATION_REJECTED: () => '您的商户进件未通过审核，原因见邮件',
    CHANGES_REQUESTED: () => '您的商户进件需要补件，请查看邮件后修改并重新提交',
    APPLICATION_EXPIRED: () => '您的商户进件已过期，如需继续请重新申请',
  },
  en: {
    APPLICATION_APPROVED: (v) =>
      v.activationCode
        ? `MID ${v.merchantNo} TID ${v.terminalId} code ${v.activationCode}, valid 30 days`
        : `Approved. MID ${v.merchantNo}, details by email`,
    APPLICATION_REJECTED: () => 'Your merchant application was rejected; see email',
    CHANGES_REQUESTED: () => 'Your application needs changes; see email and resubmit',
    APPLICATION_EXPIRED: () => 'Your merchant application expired; please apply again',
  },
};

/** Template ids ready for mainland SMS template registration. */
export const SMS_TEMPLATE_IDS: Record<MerchantTemplate, string> = {
  APPLICATION_APPROVED: 'SMS_ONB_APPROVED_V1',
  APPLICATION_REJECTED: 'SMS_ONB_REJECTED_V1',
  CHANGES_REQUESTED: 'SMS_ONB_CHANGES_V1',
  APPLICATION_EXPIRED: 'SMS_ONB_EXPIRED_V1',
};

/** Renders an SMS with the 【signature】 prefix; throws if it would not fit one segment. */
export function renderSms(
  template: MerchantTemplate,
  locale: Locale,
  values: TemplateValues,
  signature: string,
) {
  const render = SMS[locale][template];
  if (!render) throw new Error(`No SMS template ${template}`);
  const body = `【${signature}】${render(values)}`;
  if ([...body].length > SMS_SEGMENT_CHARS) throw new Error(`SMS ${template}/${locale} exceeds one segment`);
  return { body, templateId: SMS_TEMPLATE_IDS[template] };
}

import { emailRenderer, reasonItems, smsRenderer, type TemplateFamily } from './template-engine';

/**
 * Templates of the terminal lifecycle (activation codes and transfers between merchants), zh-CN
 * and English, rendered by the same engine as every other template: HTML with every value escaped,
 * SMS with the 【signature】 first and within one 70-character segment, a template id per SMS for
 * mainland registration. Activation codes appear in SMS only, never in an email.
 */

export type TerminalTemplate =
  | 'ACTIVATION_CODE'
  | 'TRANSFER_REQUESTED'
  | 'TRANSFER_ACCEPTED'
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

/** SMS template ids ready for mainland registration. */
export const TERMINAL_SMS_TEMPLATE_IDS: Readonly<Record<TerminalTemplate, string>> = {
  ACTIVATION_CODE: 'SMS_TERM_ACTIVATION_V1',
  TRANSFER_REQUESTED: 'SMS_TRANSFER_REQUESTED_V1',
  TRANSFER_ACCEPTED: 'SMS_TRANSFER_ACCEPTED_V1',
  TRANSFER_COMPLETED_FROM: 'SMS_TRANSFER_OUT_V1',
  TRANSFER_COMPLETED_TO: 'SMS_TRANSFER_IN_V1',
  TRANSFER_REJECTED: 'SMS_TRANSFER_REJECTED_V1',
  TRANSFER_EXPIRED: 'SMS_TRANSFER_EXPIRED_V1',
};

/** The terminal family. */
export const TERMINAL_TEMPLATES: TemplateFamily<TerminalTemplate, TerminalTemplateValues> = {
  copy: {
    'zh-CN': {
      ACTIVATION_CODE: (v) => ({
        subject: `终端激活码：${v.terminalId ?? ''}`,
        blocks: [
          `终端 ${v.serialNumber}（终端号 ${v.terminalId ?? ''}）的激活码已通过短信发送，30 天内有效。`,
        ],
        sms: `终端号${v.terminalId}激活码${v.activationCode}，30天内有效，请勿泄露`,
      }),
      TRANSFER_REQUESTED: (v) => ({
        subject: `终端转移待确认：${v.serialNumber}`,
        blocks: [
          `商户 ${v.counterpartMerchantNo ?? ''} 申请将终端 ${v.serialNumber} 转移给您（申请号 ${v.transferRequestId ?? ''}）。`,
          '如同意接收，请在 7 天内确认。',
        ],
        sms: '有终端转移给您，申请号见邮件，请在7天内确认',
      }),
      TRANSFER_ACCEPTED: (v) => ({
        subject: `终端转移已被接收方确认：${v.serialNumber}`,
        blocks: [
          `商户 ${v.counterpartMerchantNo ?? ''} 已确认接收终端 ${v.serialNumber}（申请号 ${v.transferRequestId ?? ''}）。`,
          '转移正在审核中，审核人员将电话回访；审核通过前终端仍绑定您的商户号。',
        ],
        sms: '您的终端转移已被接收方确认，正在审核，审核前终端仍归您使用',
      }),
      TRANSFER_COMPLETED_FROM: (v) => ({
        subject: `终端已转出：${v.serialNumber}`,
        blocks: [
          `终端 ${v.serialNumber} 已转移至商户 ${v.counterpartMerchantNo ?? ''}，不再绑定您的商户号。`,
        ],
        sms: `终端已转出，不再绑定您的商户号${v.merchantNo}`,
      }),
      TRANSFER_COMPLETED_TO: (v) => ({
        subject: `终端已转入：${v.serialNumber}`,
        blocks: [
          `终端 ${v.serialNumber} 已绑定您的商户号 ${v.merchantNo}，终端号 ${v.terminalId ?? ''}。`,
          '激活码已通过短信发送，30 天内有效。',
        ],
        sms: `终端号${v.terminalId}激活码${v.activationCode}，30天内有效，请勿泄露`,
      }),
      TRANSFER_REJECTED: (v) => ({
        subject: `终端转移未通过：${v.serialNumber}`,
        blocks: [`终端 ${v.serialNumber} 的转移申请未通过审核：`, ...reasonItems(v.reasons)],
        sms: '您的终端转移申请未通过审核，原因见邮件',
      }),
      TRANSFER_EXPIRED: (v) => ({
        subject: `终端转移已过期：${v.serialNumber}`,
        blocks: [`终端 ${v.serialNumber} 的转移申请已过期，终端仍绑定原商户。`],
        sms: '您的终端转移申请已过期，终端仍绑定原商户',
      }),
    },
    en: {
      ACTIVATION_CODE: (v) => ({
        subject: `Terminal activation code: ${v.terminalId ?? ''}`,
        blocks: [
          `The activation code of terminal ${v.serialNumber} (TID ${v.terminalId ?? ''}) was sent by SMS; valid 30 days.`,
        ],
        sms: `TID ${v.terminalId} activation code ${v.activationCode}, valid 30 days`,
      }),
      TRANSFER_REQUESTED: (v) => ({
        subject: `Terminal transfer to accept: ${v.serialNumber}`,
        blocks: [
          `Merchant ${v.counterpartMerchantNo ?? ''} asks to move terminal ${v.serialNumber} to you (request ${v.transferRequestId ?? ''}).`,
          'Accept it within 7 days if you agree.',
        ],
        sms: 'A terminal is offered to you: see email, accept in 7 days',
      }),
      TRANSFER_ACCEPTED: (v) => ({
        subject: `Terminal transfer accepted: ${v.serialNumber}`,
        blocks: [
          `Merchant ${v.counterpartMerchantNo ?? ''} accepted terminal ${v.serialNumber} (request ${v.transferRequestId ?? ''}).`,
          'The transfer is now under review and a reviewer will call you back; until it is approved the terminal stays with your merchant number.',
        ],
        sms: 'Your terminal transfer was accepted and is under review',
      }),
      TRANSFER_COMPLETED_FROM: (v) => ({
        subject: `Terminal moved out: ${v.serialNumber}`,
        blocks: [`Terminal ${v.serialNumber} now belongs to merchant ${v.counterpartMerchantNo ?? ''}.`],
        sms: `Terminal moved out of merchant ${v.merchantNo}`,
      }),
      TRANSFER_COMPLETED_TO: (v) => ({
        subject: `Terminal moved in: ${v.serialNumber}`,
        blocks: [
          `Terminal ${v.serialNumber} is bound to your merchant ${v.merchantNo} as TID ${v.terminalId ?? ''}.`,
          'Its activation code was sent by SMS; valid 30 days.',
        ],
        sms: `TID ${v.terminalId} activation code ${v.activationCode}, valid 30 days`,
      }),
      TRANSFER_REJECTED: (v) => ({
        subject: `Terminal transfer rejected: ${v.serialNumber}`,
        blocks: [`The transfer of terminal ${v.serialNumber} was rejected:`, ...reasonItems(v.reasons)],
        sms: 'Your terminal transfer was rejected; see email',
      }),
      TRANSFER_EXPIRED: (v) => ({
        subject: `Terminal transfer expired: ${v.serialNumber}`,
        blocks: [`The transfer of terminal ${v.serialNumber} expired; it stays with your merchant.`],
        sms: 'Your terminal transfer expired; the terminal stays with you',
      }),
    },
  },
  smsTemplateIds: TERMINAL_SMS_TEMPLATE_IDS,
};

/** Renders a terminal email (text and escaped HTML). */
export const renderTerminalEmail = /* @__PURE__ */ emailRenderer(TERMINAL_TEMPLATES);

/** Renders a terminal SMS; throws if it would not fit one segment. */
export const renderTerminalSms = /* @__PURE__ */ smsRenderer(TERMINAL_TEMPLATES);

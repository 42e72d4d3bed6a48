import { emailRenderer, type Locale, reasonItems, smsRenderer, type TemplateFamily } from './template-engine';

/**
 * Templates of merchant change requests (商户变更), zh-CN and English, rendered by the same engine
 * as every other template: HTML with every value escaped, SMS with the 【signature】 first and within
 * one 70-character segment, a template id per SMS for mainland registration. Messages name the
 * changed fields, never their values: the old contact must not learn the new phone or account number.
 */

export type ChangeTemplate = 'CHANGE_APPLIED' | 'CHANGE_REJECTED' | 'CHANGE_STALE' | 'CHANGE_EXPIRED';

/** Values the change templates use. */
export interface ChangeTemplateValues {
  readonly merchantNo: string;
  readonly changeRequestId: string;
  /** Dotted names of the changed fields, e.g. `settlement.accountNumber`. */
  readonly fields: readonly string[];
  readonly reasons?: readonly { field: string; reason: string }[];
}

const LABELS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    business: '商户名称',
    'business.address': '经营地址',
    contact: '联系人信息',
    settlement: '结算账户',
  },
  en: {
    business: 'business name',
    'business.address': 'address',
    contact: 'contact',
    settlement: 'settlement account',
  },
};

/** Human names of the changed sections (`contact.phone` → 联系人信息), each once, in order. */
export function changedSectionLabels(fields: readonly string[], locale: Locale): string[] {
  const labels = fields.map((field) => {
    const section = field.startsWith('business.address')
      ? 'business.address'
      : (field.split('.')[0] ?? field);
    return LABELS[locale][section] ?? section;
  });
  return [...new Set(labels)];
}

/** SMS template ids ready for mainland registration. */
export const CHANGE_SMS_TEMPLATE_IDS: Readonly<Record<ChangeTemplate, string>> = {
  CHANGE_APPLIED: 'SMS_CHANGE_APPLIED_V1',
  CHANGE_REJECTED: 'SMS_CHANGE_REJECTED_V1',
  CHANGE_STALE: 'SMS_CHANGE_STALE_V1',
  CHANGE_EXPIRED: 'SMS_CHANGE_EXPIRED_V1',
};

/** The change-request family. */
export const CHANGE_TEMPLATES: TemplateFamily<ChangeTemplate, ChangeTemplateValues> = {
  copy: {
    'zh-CN': {
      CHANGE_APPLIED: (v) => ({
        subject: `商户信息变更已生效：${v.merchantNo}`,
        blocks: [
          `商户 ${v.merchantNo} 的信息变更申请（${v.changeRequestId}）已审核通过并生效。`,
          `变更内容：${changedSectionLabels(v.fields, 'zh-CN').join('、')}`,
          '如非本人操作，请立即联系客服。',
        ],
        sms: `商户${v.merchantNo}信息变更已生效，如非本人操作请立即联系客服`,
      }),
      CHANGE_REJECTED: (v) => ({
        subject: `商户信息变更未通过：${v.merchantNo}`,
        blocks: [
          `商户 ${v.merchantNo} 的信息变更申请（${v.changeRequestId}）未通过，原信息继续有效。原因如下：`,
          ...reasonItems(v.reasons),
        ],
        sms: '您的商户信息变更申请未通过，原信息继续有效，原因见邮件',
      }),
      CHANGE_STALE: (v) => ({
        subject: `商户信息变更未生效：${v.merchantNo}`,
        blocks: [
          `商户 ${v.merchantNo} 的信息在您提交变更申请（${v.changeRequestId}）后已被修改，为避免覆盖，本次变更未生效。`,
          '请查看最新的商户信息后重新提交。',
        ],
        sms: '商户信息在您申请后已更新，本次变更未生效，请查看后重新提交',
      }),
      CHANGE_EXPIRED: (v) => ({
        subject: `商户信息变更已过期：${v.merchantNo}`,
        blocks: [
          `商户 ${v.merchantNo} 的信息变更申请（${v.changeRequestId}）未在审核期限内处理，已过期，原信息继续有效。`,
        ],
        sms: '您的商户信息变更申请已过期，原信息继续有效',
      }),
    },
    en: {
      CHANGE_APPLIED: (v) => ({
        subject: `Merchant details changed: ${v.merchantNo}`,
        blocks: [
          `The change request ${v.changeRequestId} of merchant ${v.merchantNo} was approved and is now in force.`,
          `Changed: ${changedSectionLabels(v.fields, 'en').join(', ')}`,
          'If you did not ask for this change, contact us at once.',
        ],
        sms: `MID ${v.merchantNo} details changed. Not you? Contact us`,
      }),
      CHANGE_REJECTED: (v) => ({
        subject: `Merchant change request rejected: ${v.merchantNo}`,
        blocks: [
          `The change request ${v.changeRequestId} of merchant ${v.merchantNo} was rejected; your current details stay in force. Reasons:`,
          ...reasonItems(v.reasons),
        ],
        sms: 'Your merchant change request was rejected; see email',
      }),
      CHANGE_STALE: (v) => ({
        subject: `Merchant change request not applied: ${v.merchantNo}`,
        blocks: [
          `The details of merchant ${v.merchantNo} changed after you filed change request ${v.changeRequestId}; it was not applied so that nothing is overwritten.`,
          'Please check the current details and file it again.',
        ],
        sms: 'Change request not applied: details changed since. Please refile',
      }),
      CHANGE_EXPIRED: (v) => ({
        subject: `Merchant change request expired: ${v.merchantNo}`,
        blocks: [
          `The change request ${v.changeRequestId} of merchant ${v.merchantNo} was not reviewed in time and expired; your current details stay in force.`,
        ],
        sms: 'Your merchant change request expired; details unchanged',
      }),
    },
  },
  smsTemplateIds: CHANGE_SMS_TEMPLATE_IDS,
};

/** Renders a change-request email (text and escaped HTML). */
export const renderChangeEmail = /* @__PURE__ */ emailRenderer(CHANGE_TEMPLATES);

/** Renders a change-request SMS; throws if it would not fit one segment. */
export const renderChangeSms = /* @__PURE__ */ smsRenderer(CHANGE_TEMPLATES);

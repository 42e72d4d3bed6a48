import type { FeePlanTerms } from '../fee-plans/plan';
import { ratesBlock, whereToSign } from './agreement-templates';
import { emailRenderer, reasonItems, smsRenderer, type TemplateFamily } from './template-engine';

/**
 * Onboarding message templates, zh-CN and English (the merchant's `locale`). Email has a subject,
 * a text part and an HTML part in which every user-supplied string is escaped; an SMS starts with
 * the sender's signature in 【】 and must fit one 70-character segment (both enforced by the
 * template engine). Subjects and SMS are the acquirer's words and ids only: nothing the applicant
 * typed (the business name) goes where a mail client or a lock screen shows it as our word.
 */

export { escapeHtml, type Locale, SMS_SEGMENT_CHARS } from './template-engine';

/** Events that produce a message to the merchant. */
export type MerchantTemplate =
  | 'APPLICATION_RECEIVED'
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
  /** At approval: the agreement waiting to be signed (its rates and where to sign it). */
  readonly agreement?: {
    readonly feePlan: FeePlanTerms;
    readonly settlementCycle: 'T1' | 'T0';
    readonly url?: string;
  };
}

/** Template ids ready for mainland SMS template registration. */
export const SMS_TEMPLATE_IDS: Readonly<Record<MerchantTemplate, string>> = {
  APPLICATION_RECEIVED: 'SMS_ONB_RECEIVED_V1',
  APPLICATION_APPROVED: 'SMS_ONB_APPROVED_V1',
  APPLICATION_REJECTED: 'SMS_ONB_REJECTED_V1',
  CHANGES_REQUESTED: 'SMS_ONB_CHANGES_V1',
  APPLICATION_EXPIRED: 'SMS_ONB_EXPIRED_V1',
};

/** The onboarding family: copy per locale and the SMS template ids for mainland registration. */
export const ONBOARDING_TEMPLATES: TemplateFamily<MerchantTemplate, TemplateValues> = {
  copy: {
    'zh-CN': {
      APPLICATION_RECEIVED: (v) => ({
        subject: `商户进件申请已受理：${v.applicationId}`,
        blocks: [
          `您的商户进件申请（${v.applicationId}）已提交，系统正在进行自动审核，随后由审核人员电话回访（必要时实地考察）。`,
          '审核结果将通过邮件和短信通知您，您也可以随时查询申请状态。',
        ],
        sms: '您的商户进件申请已受理，审核结果将通过短信和邮件通知您',
      }),
      APPLICATION_APPROVED: (v) => ({
        subject: `商户进件已通过：${v.applicationId}`,
        blocks: [
          `您的商户进件申请（${v.applicationId}）已审核通过。`,
          `商户号：${v.merchantNo ?? ''}`,
          ...(v.terminalId
            ? [
                `终端号：${v.terminalId}`,
                '激活方法：激活码已通过短信单独发送，30 天内有效。请在终端上输入 6 位激活码完成激活，再进行一笔 0.01 元的测试交易（交易会自动撤销），测试通过后商户即可正常收款。',
              ]
            : ['终端绑定后，激活码将通过短信发送给您。']),
          ...(v.agreement
            ? [
                '商户服务协议待签署：签署前终端无法激活。协议约定的费率：',
                ratesBlock(v.agreement.feePlan, v.agreement.settlementCycle, 'zh-CN'),
                `结算周期：${v.agreement.settlementCycle === 'T0' ? 'T+0' : 'T+1'}。`,
                whereToSign(v.agreement.url, 'zh-CN'),
              ]
            : []),
        ],
        sms: v.activationCode
          ? `商户号${v.merchantNo}终端号${v.terminalId}激活码${v.activationCode}，签约后可激活，30天内有效`
          : `进件已通过，商户号${v.merchantNo}，请签署协议，详情见邮件`,
      }),
      APPLICATION_REJECTED: (v) => ({
        subject: `商户进件未通过：${v.applicationId}`,
        blocks: [
          `很抱歉，您的商户进件申请（${v.applicationId}）未通过审核，原因如下：`,
          ...reasonItems(v.reasons),
        ],
        sms: '您的商户进件未通过审核，原因见邮件',
      }),
      CHANGES_REQUESTED: (v) => ({
        subject: `商户进件需要补件：${v.applicationId}`,
        blocks: [`您的商户进件申请（${v.applicationId}）需要修改后重新提交：`, ...reasonItems(v.reasons)],
        sms: '您的商户进件需要补件，请查看邮件后修改并重新提交',
      }),
      APPLICATION_EXPIRED: (v) => ({
        subject: `商户进件已过期：${v.applicationId}`,
        blocks: [`您的商户进件申请（${v.applicationId}）已过期，如需继续请重新申请。`],
        sms: '您的商户进件已过期，如需继续请重新申请',
      }),
    },
    en: {
      APPLICATION_RECEIVED: (v) => ({
        subject: `Merchant application received: ${v.applicationId}`,
        blocks: [
          `We have received your merchant application (${v.applicationId}). Automated checks run first, then a reviewer calls you back (and visits your store where required).`,
          'We will tell you the outcome by email and SMS; you can check the status of your application at any time.',
        ],
        sms: 'Application received; we will send the outcome by SMS and email',
      }),
      APPLICATION_APPROVED: (v) => ({
        subject: `Merchant application approved: ${v.applicationId}`,
        blocks: [
          `Your merchant application (${v.applicationId}) has been approved.`,
          `Merchant number: ${v.merchantNo ?? ''}`,
          ...(v.terminalId
            ? [
                `Terminal ID: ${v.terminalId}`,
                'How to activate: your activation code was sent by SMS and is valid for 30 days. Enter the 6-digit code on the terminal, then run a 0.01 CNY test transaction (it is voided automatically); after that you can take payments.',
              ]
            : [
                'Once a terminal is bound to your merchant number, its activation code is sent to you by SMS.',
              ]),
          ...(v.agreement
            ? [
                'Your merchant agreement is waiting for signature: terminals cannot be activated before it is signed. The rates it states:',
                ratesBlock(v.agreement.feePlan, v.agreement.settlementCycle, 'en'),
                `Settlement: ${v.agreement.settlementCycle === 'T0' ? 'T+0' : 'T+1'}.`,
                whereToSign(v.agreement.url, 'en'),
              ]
            : []),
        ],
        sms: v.activationCode
          ? `MID ${v.merchantNo} TID ${v.terminalId} code ${v.activationCode}; sign agreement`
          : `Approved. MID ${v.merchantNo}; sign agreement, see email`,
      }),
      APPLICATION_REJECTED: (v) => ({
        subject: `Merchant application rejected: ${v.applicationId}`,
        blocks: [
          `We are sorry: your merchant application (${v.applicationId}) was rejected for these reasons:`,
          ...reasonItems(v.reasons),
        ],
        sms: 'Your merchant application was rejected; see email',
      }),
      CHANGES_REQUESTED: (v) => ({
        subject: `Merchant application needs changes: ${v.applicationId}`,
        blocks: [
          `Please correct your merchant application (${v.applicationId}) and submit it again:`,
          ...reasonItems(v.reasons),
        ],
        sms: 'Your application needs changes; see email and resubmit',
      }),
      APPLICATION_EXPIRED: (v) => ({
        subject: `Merchant application expired: ${v.applicationId}`,
        blocks: [
          `Your merchant application (${v.applicationId}) has expired. Please apply again if you still need a terminal.`,
        ],
        sms: 'Your merchant application expired; please apply again',
      }),
    },
  },
  smsTemplateIds: SMS_TEMPLATE_IDS,
};

/** Renders an email: subject, text part, and an HTML part with every value escaped. */
export const renderEmail = /* @__PURE__ */ emailRenderer(ONBOARDING_TEMPLATES);

/** Renders an SMS with the 【signature】 prefix; throws if it would not fit one segment. */
export const renderSms = /* @__PURE__ */ smsRenderer(ONBOARDING_TEMPLATES);

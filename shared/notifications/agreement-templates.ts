import { type FeePlanTerms, rateLines, surchargeLine } from '../fee-plans/plan';
import { emailRenderer, type Locale, smsRenderer, type TemplateFamily } from './template-engine';

/**
 * Templates of the merchant agreement (spec 7), zh-CN and English: the signature code (SMS only,
 * to the legal person's phone), a new version to sign, and the reminder of an unsigned one. The
 * rates are stated in the email; an SMS has room for one sentence only, so it points to the email.
 */

export type AgreementTemplate = 'AGREEMENT_SIGNATURE_CODE' | 'AGREEMENT_UPDATED' | 'AGREEMENT_REMINDER';

/** Values the agreement templates use. */
export interface AgreementTemplateValues {
  readonly merchantNo: string;
  readonly agreementId: string;
  readonly version: number;
  readonly feePlan: FeePlanTerms;
  readonly settlementCycle: 'T1' | 'T0';
  /** The agreement page of the merchant pages, when configured. */
  readonly agreementUrl?: string;
  /** The 6-digit signature code (SMS only). */
  readonly code?: string;
}

/** SMS template ids ready for mainland registration. */
export const AGREEMENT_SMS_TEMPLATE_IDS: Readonly<Record<AgreementTemplate, string>> = {
  AGREEMENT_SIGNATURE_CODE: 'SMS_AGR_CODE_V1',
  AGREEMENT_UPDATED: 'SMS_AGR_UPDATED_V1',
  AGREEMENT_REMINDER: 'SMS_AGR_REMINDER_V1',
};

/** The rates as a list block, with the T+0 surcharge where the cycle is T+0. */
export function ratesBlock(feePlan: FeePlanTerms, cycle: 'T1' | 'T0', locale: Locale) {
  const surcharge = surchargeLine(feePlan.t0SurchargeBps, cycle, locale);
  return { list: [...rateLines(feePlan.rates, locale), ...(surcharge ? [surcharge] : [])] };
}

/** Where to read and sign, in words (and the link when the merchant pages' address is configured). */
export function whereToSign(url: string | undefined, locale: Locale): string {
  if (locale === 'zh-CN')
    return `请在商户服务页面阅读协议全文（PDF）并用发送到法定代表人手机的短信验证码签署${url ? `：${url}` : '。'}`;
  return `Read the full agreement (PDF) in the merchant pages and sign it with the SMS code sent to the legal person's phone${url ? `: ${url}` : '.'}`;
}

/** The agreement family. */
export const AGREEMENT_TEMPLATES: TemplateFamily<AgreementTemplate, AgreementTemplateValues> = {
  copy: {
    'zh-CN': {
      AGREEMENT_SIGNATURE_CODE: (v) => ({
        subject: `商户服务协议签约验证码：${v.merchantNo}`,
        blocks: ['签约验证码已通过短信发送给法定代表人，10 分钟内有效。'],
        sms: `商户${v.merchantNo}协议签约验证码${v.code}，10分钟内有效，请勿告知他人`,
      }),
      AGREEMENT_UPDATED: (v) => ({
        subject: `商户服务协议已更新，请签署：${v.merchantNo}`,
        blocks: [
          `您的商户服务协议已更新为第 ${v.version} 版（${v.agreementId}），费率方案 ${v.feePlan.code} 第 ${v.feePlan.version} 版：`,
          ratesBlock(v.feePlan, v.settlementCycle, 'zh-CN'),
          `结算周期：${v.settlementCycle === 'T0' ? 'T+0' : 'T+1'}。新版协议签署前，已签署的协议继续有效。`,
          whereToSign(v.agreementUrl, 'zh-CN'),
        ],
        sms: `商户${v.merchantNo}服务协议已更新，费率见邮件，请签署`,
      }),
      AGREEMENT_REMINDER: (v) => ({
        subject: `提醒：商户服务协议待签署：${v.merchantNo}`,
        blocks: [
          `您的商户服务协议第 ${v.version} 版（${v.agreementId}）尚未签署。签署前终端无法激活（已签署旧版的，旧版继续有效）。费率：`,
          ratesBlock(v.feePlan, v.settlementCycle, 'zh-CN'),
          whereToSign(v.agreementUrl, 'zh-CN'),
        ],
        sms: `商户${v.merchantNo}服务协议待签署，签署后方可激活终端`,
      }),
    },
    en: {
      AGREEMENT_SIGNATURE_CODE: (v) => ({
        subject: `Merchant agreement signing code: ${v.merchantNo}`,
        blocks: ["The signing code was sent by SMS to the legal person's phone; it is valid for 10 minutes."],
        sms: `Merchant ${v.merchantNo} signing code ${v.code}, valid 10 min`,
      }),
      AGREEMENT_UPDATED: (v) => ({
        subject: `Merchant agreement updated, please sign: ${v.merchantNo}`,
        blocks: [
          `Your merchant agreement is now version ${v.version} (${v.agreementId}), fee plan ${v.feePlan.code} version ${v.feePlan.version}:`,
          ratesBlock(v.feePlan, v.settlementCycle, 'en'),
          `Settlement: ${v.settlementCycle === 'T0' ? 'T+0' : 'T+1'}. The agreement you signed stays in force until you sign the new version.`,
          whereToSign(v.agreementUrl, 'en'),
        ],
        sms: `Merchant ${v.merchantNo}: agreement updated, rates by email`,
      }),
      AGREEMENT_REMINDER: (v) => ({
        subject: `Reminder: merchant agreement waiting for signature: ${v.merchantNo}`,
        blocks: [
          `Version ${v.version} of your merchant agreement (${v.agreementId}) is not signed yet. Terminals cannot be activated before it is signed (a version signed earlier stays in force). Rates:`,
          ratesBlock(v.feePlan, v.settlementCycle, 'en'),
          whereToSign(v.agreementUrl, 'en'),
        ],
        sms: `Merchant ${v.merchantNo}: please sign your agreement`,
      }),
    },
  },
  smsTemplateIds: AGREEMENT_SMS_TEMPLATE_IDS,
};

/** Renders an agreement email. */
export const renderAgreementEmail = /* @__PURE__ */ emailRenderer(AGREEMENT_TEMPLATES);

/** Renders an agreement SMS with the 【signature】 prefix. */
export const renderAgreementSms = /* @__PURE__ */ smsRenderer(AGREEMENT_TEMPLATES);

/** The merchant pages' agreement page, from their base address (`https://…/m/`). */
export function agreementPageUrl(base: string): string | undefined {
  if (!base) return undefined;
  return `${base.endsWith('/') ? base : `${base}/`}#/agreement`;
}

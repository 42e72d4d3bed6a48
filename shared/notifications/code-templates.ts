import { emailRenderer, smsRenderer, type TemplateFamily } from './template-engine';

/*
 * Messages that carry a one-time code (shared/one-time-codes/), zh-CN and English. A verification
 * code is the only message an address ever gets before it is verified (spec 6), so it says what
 * it is for and that nothing follows if the reader did not apply. Each names the application by
 * the last six characters of its id, so a merchant with two applications can tell the codes apart.
 */

export type CodeTemplate = 'VERIFICATION_CODE' | 'SIGN_IN_CODE';

/** Values of a code message: the code and the application it belongs to. */
export interface CodeTemplateValues {
  readonly code: string;
  readonly applicationId: string;
  /**
   * The application as an SMS names it ({@link applicationTail}): a value of its own rather than
   * computed in the copy, so a template-based SMS provider gets it as a parameter of the text.
   */
  readonly applicationTail: string;
  /** How long the code is valid. */
  readonly minutes: number;
}

/** Template ids ready for mainland SMS template registration. */
export const CODE_SMS_TEMPLATE_IDS: Readonly<Record<CodeTemplate, string>> = {
  VERIFICATION_CODE: 'SMS_CONTACT_CODE_V1',
  SIGN_IN_CODE: 'SMS_SIGN_IN_CODE_V1',
};

/** The application as an SMS names it: the end of its id. */
export const applicationTail = (applicationId: string) => applicationId.slice(-6);

/** The values of a code message for `applicationId`. */
export function codeTemplateValues(code: string, applicationId: string, minutes: number): CodeTemplateValues {
  return { code, applicationId, applicationTail: applicationTail(applicationId), minutes };
}

/** The code family: the verification code by SMS or email, the sign-in code by SMS only. */
export const CODE_TEMPLATES: TemplateFamily<CodeTemplate, CodeTemplateValues> = {
  copy: {
    'zh-CN': {
      VERIFICATION_CODE: (v) => ({
        subject: `商户进件联系邮箱验证码：${v.applicationId}`,
        blocks: [
          `您的验证码是 ${v.code}，${v.minutes} 分钟内有效，用于验证商户进件申请（${v.applicationId}）的联系邮箱。`,
          '请勿将验证码告诉他人。如果您没有申请，请忽略本邮件：验证之前，我们不会向这个地址发送任何其他内容。',
        ],
        sms: `验证码${v.code}，${v.minutes}分钟内有效，用于验证申请尾号${v.applicationTail}的联系电话，请勿告诉他人`,
      }),
      SIGN_IN_CODE: (v) => ({
        subject: `商户进件登录验证码：${v.applicationId}`,
        blocks: [`您的登录验证码是 ${v.code}，${v.minutes} 分钟内有效。如非本人操作，请忽略。`],
        sms: `登录验证码${v.code}，${v.minutes}分钟内有效，用于申请尾号${v.applicationTail}，如非本人操作请忽略`,
      }),
    },
    en: {
      VERIFICATION_CODE: (v) => ({
        subject: `Your email verification code: ${v.applicationId}`,
        blocks: [
          `Your code is ${v.code}. It is valid for ${v.minutes} minutes and verifies the contact email of merchant application ${v.applicationId}.`,
          'Do not share it. If you did not apply, ignore this email: until it is verified, nothing else is sent to this address.',
        ],
        sms: `Code ${v.code} verifies your phone for application …${v.applicationTail}; ${v.minutes} min`,
      }),
      SIGN_IN_CODE: (v) => ({
        subject: `Your sign-in code: ${v.applicationId}`,
        blocks: [`Your sign-in code is ${v.code}, valid for ${v.minutes} minutes. Not you? Ignore it.`],
        sms: `Sign-in code ${v.code} for application …${v.applicationTail}, valid ${v.minutes} min`,
      }),
    },
  },
  smsTemplateIds: CODE_SMS_TEMPLATE_IDS,
};

/** Renders a code email (text and escaped HTML). */
export const renderCodeEmail = /* @__PURE__ */ emailRenderer(CODE_TEMPLATES);

/** Renders a code SMS with the 【signature】 prefix; throws if it would not fit one segment. */
export const renderCodeSms = /* @__PURE__ */ smsRenderer(CODE_TEMPLATES);

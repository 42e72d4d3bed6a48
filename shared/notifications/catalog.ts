import { SHIPPED_DEFAULT_PLANS } from '../fee-plans/plan';
import { ACCESS_TOKEN_TEMPLATES } from './access-token-templates';
import {
  AGREEMENT_TEMPLATES,
  type AgreementTemplate,
  type AgreementTemplateValues,
} from './agreement-templates';
import { CHANGE_TEMPLATES, type ChangeTemplate, type ChangeTemplateValues } from './change-templates';
import {
  CODE_TEMPLATES,
  type CodeTemplate,
  type CodeTemplateValues,
  codeTemplateValues,
} from './code-templates';
import { DAILY_CHECK_TEMPLATES } from './daily-check-templates';
import { SUPERVISOR_TEMPLATES } from './supervisor-templates';
import {
  type Locale,
  type RenderedEmail,
  type RenderedSms,
  type TemplateFamily,
  templateRenderer,
} from './template-engine';
import { type MerchantTemplate, ONBOARDING_TEMPLATES, type TemplateValues } from './templates';
import { TERMINAL_TEMPLATES, type TerminalTemplate, type TerminalTemplateValues } from './terminal-templates';

/**
 * Every message the product sends, with example values: what the README lists, what the tests
 * render in both locales, and what `cdk synth` checks the configured SMS signature against (the
 * examples use the longest values an SMS can hold: 15-digit merchant number, 8-digit terminal ID,
 * 6-digit code).
 */

/** One template of the catalog. */
export interface CatalogEntry {
  readonly template: string;
  /** Who receives it. */
  readonly audience: 'merchant' | 'sending merchant' | 'receiving merchant' | 'supervisors' | 'operators';
  /** When it is sent. */
  readonly event: string;
  readonly smsTemplateId: string | undefined;
  render(locale: Locale, signature: string): { email: RenderedEmail; sms: RenderedSms | undefined };
}

const MERCHANT_NO = '102110154110007';
const OTHER_MERCHANT_NO = '102310058120002';
const TERMINAL_ID = '00000042';
const SERIAL_NUMBER = 'LKL00012345';

const onboarding: TemplateValues = {
  businessName: '张三便利店',
  applicationId: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
  merchantNo: MERCHANT_NO,
  terminalId: TERMINAL_ID,
  activationCode: '384917',
  reasons: [{ field: 'business.address.detail', reason: '地址不完整 / address incomplete' }],
  agreement: {
    feePlan: SHIPPED_DEFAULT_PLANS.LOW,
    settlementCycle: 'T1',
    url: 'https://merchant.example.com/m/#/agreement',
  },
};

const agreement: AgreementTemplateValues = {
  merchantNo: MERCHANT_NO,
  agreementId: `AGR-${MERCHANT_NO}-002`,
  version: 2,
  feePlan: { ...SHIPPED_DEFAULT_PLANS.LOW, code: 'RETAIL-STD', version: 3 },
  settlementCycle: 'T0',
  agreementUrl: 'https://merchant.example.com/m/#/agreement',
  code: '384917',
};

const terminal: TerminalTemplateValues = {
  serialNumber: SERIAL_NUMBER,
  merchantNo: MERCHANT_NO,
  terminalId: TERMINAL_ID,
  activationCode: '384917',
  counterpartMerchantNo: OTHER_MERCHANT_NO,
  transferRequestId: '01JD8Y0K7N2P4R6S8T0V2W4X6Y',
  reasons: [{ field: 'toMerchantNo', reason: '回访未确认 / call-back not confirmed' }],
};

const change: ChangeTemplateValues = {
  merchantNo: MERCHANT_NO,
  changeRequestId: '01JD8Z3C5E7G9H1J3K5M7N9P1Q',
  fields: ['contact.phone', 'settlement.accountNumber'],
  reasons: [{ field: 'settlement', reason: '账户名与商户不符 / account name does not match' }],
};

function entries<T extends string, V>(
  family: TemplateFamily<T, V>,
  values: V,
  described: Record<T, { audience: CatalogEntry['audience']; event: string }>,
): CatalogEntry[] {
  const renderer = templateRenderer(family);
  return (Object.keys(described) as T[]).map((template) => {
    const smsTemplateId = family.smsTemplateIds[template];
    return {
      template,
      ...described[template],
      smsTemplateId,
      render: (locale, signature) => ({
        email: renderer.email(template, locale, values),
        sms: smsTemplateId ? renderer.sms(template, locale, values, signature) : undefined,
      }),
    };
  });
}

/** Every template, in the order of a merchant's journey. */
export const TEMPLATE_CATALOG: readonly CatalogEntry[] = [
  ...entries<CodeTemplate, CodeTemplateValues>(
    CODE_TEMPLATES,
    codeTemplateValues('384917', '01JD8X4ZQ3M6T0V7W9Y2B5C8EF', 10),
    {
      VERIFICATION_CODE: {
        audience: 'merchant',
        event:
          'the contact phone or email is verified before submit: the only message an address gets before it is verified',
      },
      SIGN_IN_CODE: {
        audience: 'merchant',
        event: 'a merchant signs in again with the application id (SMS to the verified contact phone)',
      },
    },
  ),
  ...entries<MerchantTemplate, TemplateValues>(ONBOARDING_TEMPLATES, onboarding, {
    APPLICATION_RECEIVED: {
      audience: 'merchant',
      event: 'application submitted (and each corrected resubmission)',
    },
    CHANGES_REQUESTED: {
      audience: 'merchant',
      event: 'reviewer asked for corrections (补件), with the reasons',
    },
    APPLICATION_REJECTED: {
      audience: 'merchant',
      event: 'rejected by a reviewer or an automated check, with the reasons',
    },
    APPLICATION_APPROVED: {
      audience: 'merchant',
      event: 'approved: merchant number, terminal ID, how to activate; the SMS carries the activation code',
    },
    APPLICATION_EXPIRED: {
      audience: 'merchant',
      event: 'no decision or no resubmission before the deadline',
    },
  }),
  ...entries<TerminalTemplate, TerminalTemplateValues>(TERMINAL_TEMPLATES, terminal, {
    ACTIVATION_CODE: {
      audience: 'merchant',
      event: 'terminal bound by an operator, or a code reissued (SMS only)',
    },
    TRANSFER_REQUESTED: { audience: 'receiving merchant', event: 'a terminal is offered to it' },
    TRANSFER_ACCEPTED: { audience: 'sending merchant', event: 'the receiver accepted; the review begins' },
    TRANSFER_COMPLETED_FROM: {
      audience: 'sending merchant',
      event: 'transfer approved: the terminal left it',
    },
    TRANSFER_COMPLETED_TO: {
      audience: 'receiving merchant',
      event: 'transfer approved: new terminal ID; the SMS carries the new activation code',
    },
    TRANSFER_REJECTED: { audience: 'sending merchant', event: 'transfer rejected, with the reasons' },
    TRANSFER_EXPIRED: { audience: 'sending merchant', event: 'not accepted or not decided in time' },
  }),
  ...entries<ChangeTemplate, ChangeTemplateValues>(CHANGE_TEMPLATES, change, {
    CHANGE_APPLIED: {
      audience: 'merchant',
      event: 'change request approved (also to the old contact on each channel whose address changed)',
    },
    CHANGE_REJECTED: { audience: 'merchant', event: 'change request rejected, with the reasons' },
    CHANGE_STALE: { audience: 'merchant', event: 'approved, but the merchant changed since: not applied' },
    CHANGE_EXPIRED: { audience: 'merchant', event: 'no decision before the final deadline' },
  }),
  ...entries<AgreementTemplate, AgreementTemplateValues>(AGREEMENT_TEMPLATES, agreement, {
    AGREEMENT_SIGNATURE_CODE: {
      audience: 'merchant',
      event: "the merchant asked to sign its agreement: the code, by SMS to the legal person's phone only",
    },
    AGREEMENT_UPDATED: {
      audience: 'merchant',
      event:
        'a new agreement version (fee plan changed, settlement cycle changed) waits for signature, with its rates',
    },
    AGREEMENT_REMINDER: {
      audience: 'merchant',
      event:
        'an agreement version is still unsigned after the reminder wait (default 3 days), with its rates',
    },
  }),
  ...entries(
    ACCESS_TOKEN_TEMPLATES,
    {
      businessName: '张三便利店',
      applicationId: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
      accessToken: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF.ExampleOnly-NotARealToken_0123456789abcdefgh',
    },
    {
      ACCESS_TOKEN_REISSUED: {
        audience: 'merchant',
        event: 'an operator reissued a revoked or lost access token (email to the registered contact only)',
      },
    },
  ),
  ...entries(
    SUPERVISOR_TEMPLATES,
    {
      taskId: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF-1',
      kind: 'APPLICATION',
      subjectId: '01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
      summary: 'INDIVIDUAL · 张三便利店 · MCC 5411',
      createdAt: '2026-11-20T09:30:00.000Z',
      finalDeadline: '2026-11-27T09:30:00.000Z',
    },
    {
      REVIEW_ESCALATED: {
        audience: 'supervisors',
        event: 'a review task passed its review deadline (email only)',
      },
    },
  ),
  ...entries(
    DAILY_CHECK_TEMPLATES,
    {
      merchantNo: MERCHANT_NO,
      cardType: 'DEBIT',
      dailyFen: 20_000_000,
      monthlyFen: 400_000_000,
      usedFen: 160_000_000,
      percent: 80,
      month: '2026-12',
      reasons: [{ field: 'decision', reason: '疑似套现 / suspected cash-out' }],
      day: '2026-12-06',
      merchants: 1520,
      alerts: 7,
      dormant: [
        {
          serialNumber: SERIAL_NUMBER,
          merchantNo: MERCHANT_NO,
          terminalId: TERMINAL_ID,
          lastSaleDay: '2026-11-06',
        },
      ],
    },
    {
      MERCHANT_SUSPENDED: {
        audience: 'merchant',
        event: 'a reviewer suspended the merchant after a risk alert',
      },
      LIMITS_RAISED: {
        audience: 'merchant',
        event: 'a limit increase (提额) was approved, with the new limits',
      },
      LIMIT_REQUEST_REJECTED: {
        audience: 'merchant',
        event: 'a limit increase was rejected, with the reasons (email only)',
      },
      LIMITS_LOWERED: { audience: 'merchant', event: 'a reviewer lowered the limits after a risk alert' },
      MONTHLY_LIMIT_NEAR: {
        audience: 'merchant',
        event: 'the daily run found a card type above 80 % of its monthly limit (once a month per card type)',
      },
      DAILY_REPORT: {
        audience: 'operators',
        event: 'the daily run finished: merchants, alerts and dormant terminals of the day (email only)',
      },
    },
  ),
];

/**
 * Templates whose SMS would not fit one segment with this signature (empty when all fit): a long
 * signature is refused at `cdk synth` rather than failing every send.
 */
export function smsTemplatesTooLongFor(signature: string): string[] {
  return TEMPLATE_CATALOG.flatMap((entry) =>
    (['zh-CN', 'en'] as const).flatMap((locale) => {
      try {
        entry.render(locale, signature);
        return [];
      } catch {
        return [`${entry.template}/${locale}`];
      }
    }),
  );
}

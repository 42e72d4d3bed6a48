import { type TemplateFamily, templateRenderer } from './template-engine';

/*
 * Messages of the daily checks (spec section 8), zh-CN and English: what a merchant is told when a
 * risk decision or a limit decision concerns it, the monthly-limit notice, and the operators'
 * daily report (email only). Amounts are fen in the values and yuan in the text.
 */

export type DailyCheckTemplate =
  | 'MERCHANT_SUSPENDED'
  | 'LIMITS_RAISED'
  | 'LIMIT_REQUEST_REJECTED'
  | 'LIMITS_LOWERED'
  | 'MONTHLY_LIMIT_NEAR'
  | 'DAILY_REPORT';

/** Values of the daily-check templates: ids, card types, amounts and counts only. */
export interface DailyCheckTemplateValues {
  readonly merchantNo: string;
  readonly cardType?: string;
  readonly dailyFen?: number;
  readonly monthlyFen?: number;
  readonly usedFen?: number;
  readonly percent?: number;
  readonly month?: string;
  readonly reasons?: readonly { field: string; reason: string }[];
  /** DAILY_REPORT: the day, its figures and the dormant terminals. */
  readonly day?: string;
  readonly merchants?: number;
  readonly alerts?: number;
  readonly dormant?: readonly {
    serialNumber: string;
    merchantNo: string;
    terminalId: string;
    lastSaleDay: string;
  }[];
}

/** Fen as yuan with two decimals. */
export function yuan(fen: number | undefined): string {
  return ((fen ?? 0) / 100).toFixed(2);
}

const CARD_NAMES = {
  'zh-CN': { DEBIT: '借记卡', CREDIT: '贷记卡', QR: '扫码' } as Record<string, string>,
  en: { DEBIT: 'debit card', CREDIT: 'credit card', QR: 'QR' } as Record<string, string>,
};

const reasonList = (values: DailyCheckTemplateValues) => ({
  list: (values.reasons ?? []).map((reason) => reason.reason),
});

/** SMS template ids ready for mainland registration. */
export const DAILY_CHECK_SMS_TEMPLATE_IDS: Readonly<Partial<Record<DailyCheckTemplate, string>>> = {
  MERCHANT_SUSPENDED: 'SMS_MERCHANT_SUSPENDED_V1',
  LIMITS_RAISED: 'SMS_LIMITS_RAISED_V1',
  LIMITS_LOWERED: 'SMS_LIMITS_LOWERED_V1',
  MONTHLY_LIMIT_NEAR: 'SMS_MONTHLY_LIMIT_NEAR_V1',
};

/** The daily-check family. */
export const DAILY_CHECK_TEMPLATES: TemplateFamily<DailyCheckTemplate, DailyCheckTemplateValues> = {
  copy: {
    'zh-CN': {
      MERCHANT_SUSPENDED: (v) => ({
        subject: `商户已暂停交易：${v.merchantNo}`,
        blocks: [
          `因风险核查，商户 ${v.merchantNo} 已被暂停，暂停期间不能激活终端。原因：`,
          reasonList(v),
          '如有疑问，请联系您的客户经理。',
        ],
        sms: `商户${v.merchantNo}因风险核查已暂停，详情见邮件`,
      }),
      LIMITS_RAISED: (v) => ({
        subject: `提额申请已通过：${v.merchantNo}`,
        blocks: [
          `商户 ${v.merchantNo} 的${CARD_NAMES['zh-CN'][v.cardType ?? ''] ?? ''}限额已调整为：单日 ${yuan(v.dailyFen)} 元，单月 ${yuan(v.monthlyFen)} 元。`,
        ],
        sms: `商户${v.merchantNo}提额申请已通过，新限额见邮件`,
      }),
      LIMIT_REQUEST_REJECTED: (v) => ({
        subject: `提额申请未通过：${v.merchantNo}`,
        blocks: [
          `商户 ${v.merchantNo} 的${CARD_NAMES['zh-CN'][v.cardType ?? ''] ?? ''}提额申请未通过。原因：`,
          reasonList(v),
        ],
      }),
      LIMITS_LOWERED: (v) => ({
        subject: `交易限额已调整：${v.merchantNo}`,
        blocks: [`因风险核查，商户 ${v.merchantNo} 的交易限额已下调。原因：`, reasonList(v)],
        sms: `商户${v.merchantNo}交易限额已下调，详情见邮件`,
      }),
      MONTHLY_LIMIT_NEAR: (v) => ({
        subject: `本月交易额已达限额的 ${v.percent ?? 80}%：${v.merchantNo}`,
        blocks: [
          `商户 ${v.merchantNo} ${v.month ?? ''} 月${CARD_NAMES['zh-CN'][v.cardType ?? ''] ?? ''}交易额已达 ${yuan(v.usedFen)} 元，为月限额 ${yuan(v.monthlyFen)} 元的 ${v.percent ?? 80}%。`,
          '如需提高限额，可提交提额申请。',
        ],
        sms: `商户${v.merchantNo}本月交易额已超月限额${v.percent ?? 80}%`,
      }),
      DAILY_REPORT: (v) => ({
        subject: `日常监控日报：${v.day ?? ''}`,
        blocks: [
          `${v.day ?? ''}：有交易的商户 ${v.merchants ?? 0} 户，新风险预警 ${v.alerts ?? 0} 条。`,
          `休眠终端（30 天无成功交易）${(v.dormant ?? []).length} 台：`,
          {
            list: (v.dormant ?? []).map(
              (t) =>
                `${t.serialNumber}（终端号 ${t.terminalId}，商户 ${t.merchantNo}，最后交易日 ${t.lastSaleDay}）`,
            ),
          },
        ],
      }),
    },
    en: {
      MERCHANT_SUSPENDED: (v) => ({
        subject: `Merchant suspended: ${v.merchantNo}`,
        blocks: [
          `After a risk review, merchant ${v.merchantNo} is suspended; no terminal can be activated meanwhile. Reasons:`,
          reasonList(v),
          'Please contact your account manager with any question.',
        ],
        sms: `Merchant ${v.merchantNo} suspended after a risk review; see email`,
      }),
      LIMITS_RAISED: (v) => ({
        subject: `Limit increase approved: ${v.merchantNo}`,
        blocks: [
          `The ${CARD_NAMES.en[v.cardType ?? ''] ?? ''} limits of merchant ${v.merchantNo} are now ${yuan(v.dailyFen)} CNY a day and ${yuan(v.monthlyFen)} CNY a month.`,
        ],
        sms: `Merchant ${v.merchantNo}: limit increase approved; see email`,
      }),
      LIMIT_REQUEST_REJECTED: (v) => ({
        subject: `Limit increase not approved: ${v.merchantNo}`,
        blocks: [
          `The ${CARD_NAMES.en[v.cardType ?? ''] ?? ''} limit increase of merchant ${v.merchantNo} was not approved. Reasons:`,
          reasonList(v),
        ],
      }),
      LIMITS_LOWERED: (v) => ({
        subject: `Limits lowered: ${v.merchantNo}`,
        blocks: [
          `After a risk review, the limits of merchant ${v.merchantNo} were lowered. Reasons:`,
          reasonList(v),
        ],
        sms: `Merchant ${v.merchantNo}: limits lowered; see email`,
      }),
      MONTHLY_LIMIT_NEAR: (v) => ({
        subject: `${v.percent ?? 80}% of the monthly limit used: ${v.merchantNo}`,
        blocks: [
          `Merchant ${v.merchantNo} has taken ${yuan(v.usedFen)} CNY by ${CARD_NAMES.en[v.cardType ?? ''] ?? ''} in ${v.month ?? ''}, ${v.percent ?? 80}% of its monthly limit of ${yuan(v.monthlyFen)} CNY.`,
          'A limit increase can be requested.',
        ],
        sms: `Merchant ${v.merchantNo}: over ${v.percent ?? 80}% of monthly limit`,
      }),
      DAILY_REPORT: (v) => ({
        subject: `Daily checks report: ${v.day ?? ''}`,
        blocks: [
          `${v.day ?? ''}: ${v.merchants ?? 0} merchants with transactions, ${v.alerts ?? 0} new risk alerts.`,
          `Dormant terminals (no approved sale for 30 days): ${(v.dormant ?? []).length}`,
          {
            list: (v.dormant ?? []).map(
              (t) =>
                `${t.serialNumber} (terminal ID ${t.terminalId}, merchant ${t.merchantNo}, last sale ${t.lastSaleDay})`,
            ),
          },
        ],
      }),
    },
  },
  smsTemplateIds: DAILY_CHECK_SMS_TEMPLATE_IDS,
};

/** Renders the daily-check messages. */
export const dailyCheckMessages = /* @__PURE__ */ templateRenderer(DAILY_CHECK_TEMPLATES);

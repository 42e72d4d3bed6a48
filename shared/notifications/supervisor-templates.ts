import type { ReviewKind } from '../domain/review';
import { emailRenderer, type Locale, type TemplateFamily } from './template-engine';

/**
 * Templates for review supervisors (staff), in the configured `SUPERVISOR_LOCALE`. Email only:
 * supervisors work from the review queue, and staff phone numbers are not part of the product.
 */

export type SupervisorTemplate = 'REVIEW_ESCALATED';

/** Values of the escalation notice; `summary` holds the business name, so it is escaped like any value. */
export interface SupervisorTemplateValues {
  readonly taskId: string;
  readonly kind: ReviewKind;
  readonly subjectId: string;
  readonly summary: string;
  readonly createdAt: string;
  /** When the subject expires without a decision. */
  readonly finalDeadline: string;
}

const KIND_LABELS: Record<Locale, Record<ReviewKind, string>> = {
  'zh-CN': {
    APPLICATION: '商户进件',
    CHANGE_REQUEST: '商户变更',
    TERMINAL_TRANSFER: '终端转移',
    RISK_ALERT: '风险预警',
    LIMIT_INCREASE: '提额申请',
  },
  en: {
    APPLICATION: 'merchant application',
    CHANGE_REQUEST: 'change request',
    TERMINAL_TRANSFER: 'terminal transfer',
    RISK_ALERT: 'risk alert',
    LIMIT_INCREASE: 'limit increase',
  },
};

/** The supervisor family (no SMS templates). */
export const SUPERVISOR_TEMPLATES: TemplateFamily<SupervisorTemplate, SupervisorTemplateValues> = {
  copy: {
    'zh-CN': {
      REVIEW_ESCALATED: (v) => ({
        subject: `审核任务已超时升级：${v.taskId}`,
        blocks: [
          `${KIND_LABELS['zh-CN'][v.kind]}审核任务 ${v.taskId} 已超过审核时限，现已升级，请尽快安排处理。`,
          {
            list: [
              `审核对象：${v.subjectId}`,
              `摘要：${v.summary}`,
              `创建时间：${v.createdAt}`,
              `最终期限：${v.finalDeadline}`,
            ],
          },
          '最终期限前仍未作出决定的，申请将自动过期。',
        ],
      }),
    },
    en: {
      REVIEW_ESCALATED: (v) => ({
        subject: `Review task escalated: ${v.taskId}`,
        blocks: [
          `The ${KIND_LABELS.en[v.kind]} review task ${v.taskId} passed its review deadline and is escalated; please have it decided soon.`,
          {
            list: [
              `Subject: ${v.subjectId}`,
              `Summary: ${v.summary}`,
              `Created: ${v.createdAt}`,
              `Final deadline: ${v.finalDeadline}`,
            ],
          },
          'Without a decision by the final deadline, the request expires.',
        ],
      }),
    },
  },
  smsTemplateIds: {},
};

/** Renders a supervisor email (text and escaped HTML). */
export const renderSupervisorEmail = /* @__PURE__ */ emailRenderer(SUPERVISOR_TEMPLATES);

import {
  DAILY_CHECK_SMS_TEMPLATE_IDS,
  type DailyCheckTemplate,
  type DailyCheckTemplateValues,
  dailyCheckMessages,
} from '../notifications/daily-check-templates';
import { type QuotaDeliveryDeps, type SendOutcome, sendOnce } from '../notifications/send-once';
import type { Mailer, SmsSender } from '../ports';
import type { MerchantProfile } from '../ports/daily-checks';

/** What telling a merchant needs: the exactly-once sender (with the per-address quotas) and both channels. */
export type MerchantNoticeDeps = QuotaDeliveryDeps & {
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly config: QuotaDeliveryDeps['config'] & { readonly smsSignature: string };
};

/**
 * Tells a merchant by email and (where the template has one) SMS, each at most once per
 * `subjectId` and template, in the merchant's language. One attempt on a request path: a failure
 * stays visible in the send record (FAILED) and is logged, and never undoes the decision.
 */
export async function tellMerchant(
  deps: MerchantNoticeDeps,
  merchant: MerchantProfile,
  subjectId: string,
  template: DailyCheckTemplate,
  values: DailyCheckTemplateValues,
  maxAttempts = 1,
): Promise<SendOutcome[]> {
  const sends: Promise<SendOutcome>[] = [];
  if (merchant.contact.email) {
    sends.push(
      sendOnce(
        deps,
        { subjectId, template, channel: 'EMAIL', address: merchant.contact.email, maxAttempts },
        () =>
          deps.mailer.send({
            to: [merchant.contact.email],
            ...dailyCheckMessages.email(template, merchant.locale, values),
          }),
      ),
    );
  }
  if (merchant.contact.phone && DAILY_CHECK_SMS_TEMPLATE_IDS[template]) {
    sends.push(
      sendOnce(
        deps,
        { subjectId, template, channel: 'SMS', address: merchant.contact.phone, maxAttempts },
        () => {
          const sms = dailyCheckMessages.sms(template, merchant.locale, values, deps.config.smsSignature);
          return deps.sms.send({ to: merchant.contact.phone, body: sms.body, templateId: sms.templateId });
        },
      ),
    );
  }
  return Promise.all(sends);
}

import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Product metrics through the Powertools for AWS Lambda metrics utility: each count is one
 * CloudWatch Embedded Metric Format line on stdout, which CloudWatch Logs turns into the metric, so
 * there is no PutMetricData call and no metrics client in the bundle. Namespace and the `service`
 * dimension come from POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME, which CDK sets on
 * every function (infra/house-function.ts); the alarm on NotificationsFailed watches exactly that
 * namespace and dimension.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MerchantOnboarding',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pos-onboarding',
});

/** The product's custom metrics (all counts). */
export type ProductMetric =
  /** A message failed on its last attempt (alarmed). */
  | 'NotificationsFailed'
  /** A message was not sent: its address bounced, complained or opted out. */
  | 'NotificationsSuppressed'
  /** An SMS was not sent: its phone reached the hourly limit. */
  | 'NotificationsRateLimited';

/**
 * Counts `metric` once, by `service`, written at once: the events counted are rare and come from
 * use cases that API routes and workflow Tasks share, so there is no per-invocation flush to wait
 * for (and no empty-metrics warning on the invocations that count nothing).
 */
export function countMetric(metric: ProductMetric): void {
  metrics.addMetric(metric, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

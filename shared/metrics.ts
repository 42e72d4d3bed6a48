/**
 * Product metrics as CloudWatch Embedded Metric Format fields of a log line the function writes
 * anyway: CloudWatch Logs extracts the metric, so there is no PutMetricData call, no metrics client
 * in the bundle and no cold-start cost. The line must be written through the product logger
 * (shared/logger.ts), whose JSON lines carry the `service` dimension.
 */

// CDK sets POWERTOOLS_METRICS_NAMESPACE on every function (the namespace its alarms watch).
const NAMESPACE = process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MerchantOnboarding';

/** The product's custom metrics (all counts). */
export type ProductMetric =
  /** A message failed on its last attempt (alarmed). */
  | 'NotificationsFailed'
  /** A message was not sent: its address bounced, complained or opted out. */
  | 'NotificationsSuppressed'
  /** An SMS was not sent: its phone reached the hourly limit. */
  | 'NotificationsRateLimited';

/** Fields that make a JSON log line count `metric` once, by `service`. */
export function metricFields(metric: ProductMetric, now = Date.now()) {
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: NAMESPACE,
          Dimensions: [['service']],
          Metrics: [{ Name: metric, Unit: 'Count' }],
        },
      ],
    },
    [metric]: 1,
  };
}

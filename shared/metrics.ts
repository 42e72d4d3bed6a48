import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from './logger';

/*
 * Product metrics through the Powertools for AWS Lambda metrics utility: each count is one
 * CloudWatch Embedded Metric Format line on stdout, which CloudWatch Logs turns into the metric, so
 * there is no PutMetricData call and no metrics client in the bundle. Namespace and the `service`
 * dimension come from POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME, which CDK sets on
 * every function (infra/house-function.ts); the alarm on NotificationsFailed watches exactly that
 * namespace and dimension, as do those on ActivationCodeCapReached and ActivationLocked.
 *
 * The package is loaded on the first count, not at cold start: every count is on a path most
 * invocations never take (a message failed for good, was suppressed or rate-limited), so a function
 * can ship the package next to its bundle (a lazy node module, like jose) instead of parsing
 * ~10 KB at every init. Bundled in, the dynamic import only defers its evaluation.
 */

/** The product's custom metrics (all counts). */
export type ProductMetric =
  /** A message failed on its last attempt (alarmed). */
  | 'NotificationsFailed'
  /** A message was not sent: its address bounced, complained or opted out. */
  | 'NotificationsSuppressed'
  /** An SMS was not sent: its phone reached the hourly limit. */
  | 'NotificationsRateLimited'
  /** A terminal was refused an activation code: it had its lifetime cap of codes (alarmed). */
  | 'ActivationCodeCapReached'
  /** A fifth wrong activation code locked a terminal (alarmed when many lock within an hour). */
  | 'ActivationLocked';

let loaded: Promise<{ metrics: Metrics; count: string }> | undefined;

function load() {
  loaded ??= import('@aws-lambda-powertools/metrics').then(({ Metrics, MetricUnit }) => ({
    metrics: new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MerchantOnboarding',
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pos-onboarding',
    }),
    count: MetricUnit.Count,
  }));
  return loaded;
}

/** The one Powertools `Metrics` of the function (loaded on first use). */
export async function productMetrics(): Promise<Metrics> {
  return (await load()).metrics;
}

/**
 * Counts `metric` once, by `service`, written at once: the events counted are rare and come from
 * use cases that API routes and workflow Tasks share, so there is no per-invocation flush to wait
 * for (and no empty-metrics warning on the invocations that count nothing). Never throws: a metric
 * that cannot be written is logged, and the step that counted it goes on.
 */
export async function countMetric(metric: ProductMetric): Promise<void> {
  try {
    const { metrics, count } = await load();
    metrics.addMetric(metric, count as Parameters<Metrics['addMetric']>[1], 1);
    metrics.publishStoredMetrics();
  } catch (error) {
    logger.warn('metric not written', { metric, errorName: (error as Error).name });
  }
}

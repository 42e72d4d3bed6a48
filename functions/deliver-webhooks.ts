import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { HttpWebhookSender, systemResolver } from '../shared/adapters/http-webhook-sender';
import { deliveryQueueFromEnv } from '../shared/adapters/sqs-delivery-queue';
import { webhookRepository } from '../shared/composition';
import { readWebhookConfig } from '../shared/config/env';
import { logger } from '../shared/logger';
import { systemClock } from '../shared/ports';
import { type DeliveryDeps, processDeliveryBatch } from '../shared/webhooks/delivery';

/** The webhook delivery queue (SQS): fan-out of events, signed attempts, backoff, partial batch failures. */
export const makeHandler = (deps: DeliveryDeps) =>
  middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => processDeliveryBatch(deps, event.Records));

const config = readWebhookConfig();

export const handler = makeHandler({
  webhooks: webhookRepository(true),
  queue: deliveryQueueFromEnv(),
  sender: new HttpWebhookSender({
    resolver: systemResolver,
    timeoutMs: config.timeoutSeconds * 1000,
    allowLoopback: config.allowLoopback,
  }),
  clock: systemClock,
  random: Math.random,
  config,
});

import { webhookRepository } from '../shared/composition';
import { readWebhookConfig } from '../shared/config/env';
import { staffRoute } from '../shared/http/staff-route';
import { CREATE_WEBHOOK_ENDPOINT } from '../shared/manifest/integration';
import { systemClock } from '../shared/ports';
import { createWebhookEndpoint, type WebhookDeps } from '../shared/webhooks/requests';

/** `POST /v1/webhook-endpoints` (operator): the answer holds the signing secret, once. */
export const makeHandler = (deps: Pick<WebhookDeps, 'webhooks' | 'clock' | 'config'>) =>
  staffRoute(CREATE_WEBHOOK_ENDPOINT, async (request, operator) => ({
    statusCode: 201,
    body: await createWebhookEndpoint(deps, operator, request.body),
  }));

export const handler = makeHandler({
  webhooks: webhookRepository(true),
  clock: systemClock,
  config: readWebhookConfig(),
});

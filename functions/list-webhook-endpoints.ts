import { webhookRepository } from '../shared/composition';
import { staffRoute } from '../shared/http/staff-route';
import { LIST_WEBHOOK_ENDPOINTS } from '../shared/manifest/integration';
import { listWebhookEndpoints, type WebhookDeps } from '../shared/webhooks/requests';

/** `GET /v1/webhook-endpoints` (operator): the endpoints, never their secrets. */
export const makeHandler = (deps: Pick<WebhookDeps, 'webhooks'>) =>
  staffRoute(LIST_WEBHOOK_ENDPOINTS, async () => ({
    statusCode: 200,
    body: await listWebhookEndpoints(deps),
  }));

export const handler = makeHandler({ webhooks: webhookRepository() });

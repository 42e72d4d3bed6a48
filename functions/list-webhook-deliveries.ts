import { webhookRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { LIST_WEBHOOK_DELIVERIES } from '../shared/manifest/integration';
import { listWebhookDeliveries, type WebhookDeps } from '../shared/webhooks/requests';

/** `GET /v1/webhook-endpoints/{id}/deliveries` (operator): each delivery with its attempts. */
export const makeHandler = (deps: Pick<WebhookDeps, 'webhooks'>) =>
  staffRoute(LIST_WEBHOOK_DELIVERIES, async (request) => ({
    statusCode: 200,
    body: await listWebhookDeliveries(deps, pathParameter(request, 'id'), request.query),
  }));

export const handler = makeHandler({ webhooks: webhookRepository() });

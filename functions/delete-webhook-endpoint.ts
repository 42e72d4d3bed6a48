import { webhookRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { DELETE_WEBHOOK_ENDPOINT } from '../shared/manifest/integration';
import { deleteWebhookEndpoint, type WebhookDeps } from '../shared/webhooks/requests';

/** `DELETE /v1/webhook-endpoints/{id}` (operator). */
export const makeHandler = (deps: Pick<WebhookDeps, 'webhooks'>) =>
  staffRoute(DELETE_WEBHOOK_ENDPOINT, async (request) => {
    await deleteWebhookEndpoint(deps, pathParameter(request, 'id'));
    return { statusCode: 204 };
  });

export const handler = makeHandler({ webhooks: webhookRepository() });

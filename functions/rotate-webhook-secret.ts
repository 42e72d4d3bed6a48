import { webhookRepository } from '../shared/composition';
import { readWebhookConfig } from '../shared/config/env';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { ROTATE_WEBHOOK_SECRET } from '../shared/manifest/integration';
import { systemClock } from '../shared/ports';
import { rotateWebhookSecret, type WebhookDeps } from '../shared/webhooks/requests';

/** `POST /v1/webhook-endpoints/{id}/secret` (operator): a new secret, the old one signing 24 h more. */
export const makeHandler = (deps: Pick<WebhookDeps, 'webhooks' | 'clock' | 'config'>) =>
  staffRoute(ROTATE_WEBHOOK_SECRET, async (request) => ({
    statusCode: 200,
    body: await rotateWebhookSecret(deps, pathParameter(request, 'id')),
  }));

export const handler = makeHandler({
  webhooks: webhookRepository(true),
  clock: systemClock,
  config: readWebhookConfig(),
});

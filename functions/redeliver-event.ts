import { deliveryQueueFromEnv } from '../shared/adapters/sqs-delivery-queue';
import { webhookRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { REDELIVER_EVENT } from '../shared/manifest/integration';
import { systemClock } from '../shared/ports';
import { redeliverEvent, type WebhookDeps } from '../shared/webhooks/requests';

/** `POST /v1/events/{eventId}/redeliver` (operator): the event again to its endpoints. */
export const makeHandler = (deps: Pick<WebhookDeps, 'webhooks' | 'queue' | 'clock'>) =>
  staffRoute(REDELIVER_EVENT, async (request) => ({
    statusCode: 202,
    body: await redeliverEvent(deps, pathParameter(request, 'eventId')),
  }));

export const handler = makeHandler({
  webhooks: webhookRepository(),
  queue: deliveryQueueFromEnv(),
  clock: systemClock,
});

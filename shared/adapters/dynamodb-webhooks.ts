import type { DomainEvent } from '../events/types';
import * as keys from '../keys';
import type { FieldCipher } from '../ports';
import type { WebhookEndpointSummary, WebhookRepository } from '../ports/webhooks';
import type {
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
  WebhookEndpointRecord,
} from '../webhooks/domain';
import { ConditionFailedError, type DynamoTable, type Item, succeeds } from './dynamodb-table';
import { fieldContext } from './field-cipher-fields';

/** How long events and delivery logs are kept (DynamoDB TTL). */
export const WEBHOOK_LOG_DAYS = 30;

const epochSeconds = (at: string) => Math.floor(Date.parse(at) / 1000);
const ttlFrom = (at: string) => epochSeconds(at) + WEBHOOK_LOG_DAYS * 24 * 3600;

/**
 * Webhook endpoints, deliveries and delivered events in the one table. An endpoint's secrets are
 * encrypted with the field cipher under one context (`secret`), so a rotation moves the current
 * ciphertext to `previousSecret` inside DynamoDB without opening it.
 */
export class DynamoWebhookRepository implements WebhookRepository {
  constructor(
    private readonly table: DynamoTable,
    /** Only where secrets are sealed (create, rotate) or opened (delivery). */
    private readonly cipher?: FieldCipher,
  ) {}

  private needCipher(): FieldCipher {
    if (!this.cipher) throw new Error('this repository was built without the field cipher');
    return this.cipher;
  }

  async createEndpoint(record: WebhookEndpointRecord): Promise<void> {
    const key = keys.webhookEndpoint(record.endpointId);
    const { secret, previousSecret: _none, ...rest } = record;
    await this.table.put(
      { ...key, ...rest, secret: await this.needCipher().encrypt(secret, fieldContext(key, 'secret')) },
      'attribute_not_exists(pk)',
    );
  }

  async getEndpoint(endpointId: string): Promise<WebhookEndpointRecord | undefined> {
    const key = keys.webhookEndpoint(endpointId);
    const item = await this.table.get<Item>(key);
    if (!item) return undefined;
    const cipher = this.needCipher();
    const context = fieldContext(key, 'secret');
    const previous = typeof item.previousSecret === 'string' ? item.previousSecret : undefined;
    return {
      ...summaryOf(item),
      secret: await cipher.decrypt(String(item.secret), context),
      ...(previous ? { previousSecret: await cipher.decrypt(previous, context) } : {}),
    };
  }

  async listEndpoints(): Promise<WebhookEndpointSummary[]> {
    const { pk, skPrefix } = keys.webhookEndpoints();
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.query<Item>({
        keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
        values: { ':pk': pk, ':prefix': skPrefix },
        startKey,
      });
      items.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return items.map(summaryOf);
  }

  async deleteEndpoint(endpointId: string): Promise<boolean> {
    return succeeds(this.table.delete(keys.webhookEndpoint(endpointId), 'attribute_exists(pk)'));
  }

  async rotateSecret(
    endpointId: string,
    rotation: { secret: string; previousSecretExpiresAt: string; at: string },
  ): Promise<WebhookEndpointSummary | undefined> {
    const key = keys.webhookEndpoint(endpointId);
    const sealed = await this.needCipher().encrypt(rotation.secret, fieldContext(key, 'secret'));
    try {
      const item = await this.table.update<Item>(
        key,
        'SET previousSecret = secret, secret = :secret, previousSecretExpiresAt = :until, secretRotatedAt = :at',
        {
          condition: 'attribute_exists(pk)',
          values: { ':secret': sealed, ':until': rotation.previousSecretExpiresAt, ':at': rotation.at },
        },
      );
      return summaryOf(item);
    } catch (error) {
      if (error instanceof ConditionFailedError) return undefined;
      throw error;
    }
  }

  async putEvent(event: DomainEvent, endpointIds: readonly string[]): Promise<void> {
    await this.table.put({
      ...keys.event(event.id),
      eventId: event.id,
      event,
      endpointIds: [...endpointIds],
      createdAt: event.createdAt,
      expiresAt: ttlFrom(event.createdAt),
    });
  }

  async getEvent(eventId: string): Promise<{ event: DomainEvent; endpointIds: string[] } | undefined> {
    const item = await this.table.get<{ event: DomainEvent; endpointIds: string[] } & Item>(
      keys.event(eventId),
    );
    return item ? { event: item.event, endpointIds: item.endpointIds ?? [] } : undefined;
  }

  async createDelivery(record: DeliveryRecord): Promise<DeliveryRecord | undefined> {
    const holder = await this.table.putIfAbsent({
      ...keys.webhookDelivery(record.endpointId, record.eventId),
      ...record,
      expiresAt: ttlFrom(record.createdAt),
    });
    return holder ? deliveryOf(holder) : undefined;
  }

  async getDelivery(endpointId: string, eventId: string): Promise<DeliveryRecord | undefined> {
    const item = await this.table.get<Item>(keys.webhookDelivery(endpointId, eventId));
    return item ? deliveryOf(item) : undefined;
  }

  async recordAttempt(
    endpointId: string,
    eventId: string,
    update: { attempt: DeliveryAttempt; status: DeliveryStatus; attempts: number; nextAttemptAt?: string },
  ): Promise<void> {
    const { attempt } = update;
    await this.table.update(
      keys.webhookDelivery(endpointId, eventId),
      `SET #status = :status, attempts = :attempts, attemptLog = list_append(attemptLog, :log), lastAttemptAt = :at, lastHttpStatus = :http, updatedAt = :at${update.nextAttemptAt ? ', nextAttemptAt = :next' : ''}${update.nextAttemptAt ? '' : ' REMOVE nextAttemptAt'}`,
      {
        names: { '#status': 'status' },
        values: {
          ':status': update.status,
          ':attempts': update.attempts,
          ':log': [attempt],
          ':at': attempt.at,
          ':http': attempt.httpStatus,
          ...(update.nextAttemptAt ? { ':next': update.nextAttemptAt } : {}),
        },
        condition: 'attribute_exists(pk)',
      },
    );
  }

  async restartDelivery(endpointId: string, eventId: string, at: string): Promise<void> {
    await this.table.update(
      keys.webhookDelivery(endpointId, eventId),
      'SET #status = :pending, attempts = :zero, roundStartedAt = :at, updatedAt = :at REMOVE nextAttemptAt',
      {
        names: { '#status': 'status' },
        values: { ':pending': 'PENDING', ':zero': 0, ':at': at },
        condition: 'attribute_exists(pk)',
      },
    );
  }

  async listDeliveries(
    endpointId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: DeliveryRecord[]; nextCursor?: string }> {
    const { pk } = keys.webhookDeliveries(endpointId);
    const result = await this.table.query<Item>({
      keyCondition: 'pk = :pk',
      values: { ':pk': pk },
      limit: page.limit,
      forward: false,
      ...(page.cursor ? { startKey: { pk, sk: page.cursor } } : {}),
    });
    const last = result.lastKey?.sk;
    return {
      items: result.items.map(deliveryOf),
      ...(typeof last === 'string' ? { nextCursor: last } : {}),
    };
  }
}

function summaryOf(item: Item): WebhookEndpointSummary {
  const {
    pk: _pk,
    sk: _sk,
    secret: _secret,
    previousSecret: _previous,
    ...rest
  } = item as Item & WebhookEndpointRecord;
  return rest as WebhookEndpointSummary;
}

function deliveryOf(item: Item): DeliveryRecord {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, ...rest } = item;
  return rest as unknown as DeliveryRecord;
}

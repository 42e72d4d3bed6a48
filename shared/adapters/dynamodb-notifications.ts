import type { Channel } from '../domain/notification';
import * as keys from '../keys';
import type { SendQuota, SendQuotaPool, SuppressionList } from '../ports/notifications';
import { epochSeconds } from './dynamodb-applications';
import { type DynamoTable, succeeds } from './dynamodb-table';

/** The suppression list in the one table, keyed by the keyed hash of the address. */
export class DynamoSuppressionList implements SuppressionList {
  constructor(private readonly table: DynamoTable) {}

  async isSuppressed(channel: Channel, addressHash: string): Promise<boolean> {
    return (await this.table.get(keys.suppression(channel, addressHash))) !== undefined;
  }

  async suppress(entry: Parameters<SuppressionList['suppress']>[0]): Promise<void> {
    // The first reason stays: a later complaint about a bounced address adds nothing.
    await succeeds(
      this.table.put(
        {
          ...keys.suppression(entry.channel, entry.addressHash),
          channel: entry.channel,
          reason: entry.reason,
          ...(entry.detail ? { detail: entry.detail } : {}),
          suppressedAt: entry.at,
        },
        'attribute_not_exists(pk)',
      ),
    );
  }
}

/** How long an hourly counter is kept after its hour began (TTL deletion may lag; the key holds the hour). */
const COUNTER_TTL_SECONDS = 2 * 3600;

/**
 * Fixed one-hour windows, one item per pool, address and hour: a conditional UpdateItem counts the
 * message only while the count is below the limit, so parallel senders can never exceed it.
 */
export class DynamoSendQuota implements SendQuota {
  constructor(private readonly table: DynamoTable) {}

  async take(pool: SendQuotaPool, addressHash: string, at: Date, limit: number): Promise<boolean> {
    const hour = at.toISOString().slice(0, 13);
    const hourStart = new Date(`${hour}:00:00.000Z`);
    return succeeds(
      this.table.update(
        keys.sendQuota(pool, addressHash, hour),
        'SET expiresAt = if_not_exists(expiresAt, :ttl) ADD #count :one',
        {
          condition: 'attribute_not_exists(#count) OR #count < :limit',
          names: { '#count': 'count' },
          values: { ':ttl': epochSeconds(hourStart) + COUNTER_TTL_SECONDS, ':one': 1, ':limit': limit },
        },
      ),
    );
  }
}

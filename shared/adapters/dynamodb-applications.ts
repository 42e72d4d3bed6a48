import type { ApplicationRecord } from '../domain/application';
import { type IdentityKind, keys } from '../keys';
import {
  type ApplicationRepository,
  DuplicateMerchantError,
  type IdempotencyRecord,
  StaleWriteError,
} from '../ports/repositories';
import { ConditionFailedError, type DynamoTable, succeeds, type TransactionWrite } from './dynamodb-table';

const MARKER_SK = 'UNIQ';

/** Applications, idempotency records and uniqueness markers in the one table. */
export class DynamoApplicationRepository implements ApplicationRepository {
  constructor(private readonly table: DynamoTable) {}

  async get(applicationId: string): Promise<ApplicationRecord | undefined> {
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(
      keys.application(applicationId),
    );
    return item ? stripKeys(item) : undefined;
  }

  async tokenHashOf(applicationId: string): Promise<{ tokenHash: string; merchantNo?: string } | undefined> {
    const record = await this.get(applicationId);
    return record ? { tokenHash: record.tokenHash, merchantNo: record.merchantNo } : undefined;
  }

  async getIdempotency(keyHash: string): Promise<IdempotencyRecord | undefined> {
    const item = await this.table.get<IdempotencyRecord & Record<string, unknown>>(keys.idempotency(keyHash));
    return item
      ? {
          keyHash: item.keyHash,
          requestHash: item.requestHash,
          response: item.response,
          applicationId: item.applicationId,
        }
      : undefined;
  }

  async createWithIdempotency(
    record: ApplicationRecord,
    idempotency: IdempotencyRecord,
    ttlSeconds: number,
  ): Promise<boolean> {
    return succeeds(
      this.table.transact([
        {
          put: {
            ...keys.idempotency(idempotency.keyHash),
            ...idempotency,
            expiresAt: epochSeconds() + ttlSeconds,
          },
          condition: 'attribute_not_exists(pk)',
        },
        {
          put: { ...keys.application(record.applicationId), ...record },
          condition: 'attribute_not_exists(pk)',
        },
      ]),
    );
  }

  async save(
    next: ApplicationRecord,
    expectedRevision: number,
    markers: { claim?: readonly string[]; release?: readonly string[] } = {},
  ): Promise<void> {
    const claim = markers.claim ?? [];
    const release = (markers.release ?? []).filter((pk) => !claim.includes(pk));
    const writes: TransactionWrite[] = [
      {
        put: { ...keys.application(next.applicationId), ...next },
        condition: 'revision = :expected',
        values: { ':expected': expectedRevision },
      },
      ...claim.map(
        (pk): TransactionWrite => ({
          put: {
            pk,
            sk: MARKER_SK,
            applicationId: next.applicationId,
            ...(next.merchantNo ? { merchantNo: next.merchantNo } : {}),
          },
          condition: 'attribute_not_exists(pk) OR applicationId = :app',
          values: { ':app': next.applicationId },
        }),
      ),
      ...release.map(
        (pk): TransactionWrite => ({
          delete: { pk, sk: MARKER_SK },
          condition: 'attribute_not_exists(pk) OR applicationId = :app',
          values: { ':app': next.applicationId },
        }),
      ),
    ];
    try {
      await this.table.transact(writes);
    } catch (error) {
      if (error instanceof ConditionFailedError) {
        if (error.failedIndexes.some((index) => index >= 1 && index <= claim.length))
          throw new DuplicateMerchantError();
        throw new StaleWriteError();
      }
      throw error;
    }
  }

  async markerHolder(markerKey: string): Promise<{ applicationId: string; merchantNo?: string } | undefined> {
    const item = await this.table.get<{ applicationId: string; merchantNo?: string }>({
      pk: markerKey,
      sk: MARKER_SK,
    });
    return item ? { applicationId: item.applicationId, merchantNo: item.merchantNo } : undefined;
  }

  async isBlocked(kind: IdentityKind, keyedHash: string): Promise<boolean> {
    return (await this.table.get(keys.blocklist(kind, keyedHash))) !== undefined;
  }
}

/** Removes the table's key attributes from a stored item. */
export function stripKeys<T extends Record<string, unknown>>(item: T): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, expiresAt: _ttl, ...rest } = item;
  return rest as T;
}

/** Now in epoch seconds, for TTL attributes. */
export function epochSeconds(date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}

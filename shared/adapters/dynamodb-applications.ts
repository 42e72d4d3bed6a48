import type { ApplicationRecord, TimelineEntry } from '../domain/application';
import { type IdentityKind, keys } from '../keys';
import type { FieldCipher } from '../ports';
import { type ApplicationRepository, DuplicateMerchantError, StaleWriteError } from '../ports/repositories';
import { ConditionFailedError, type DynamoTable, succeeds, type TransactionWrite } from './dynamodb-table';
import { APPLICATION_FIELDS, openFields, sealFields } from './field-cipher-fields';

/**
 * The stored application item: the ID and account numbers encrypted field by field (the one
 * place applications are marshalled, for this repository and the merchant provisioning).
 */
export async function applicationItem(
  cipher: FieldCipher,
  record: ApplicationRecord,
): Promise<Record<string, unknown>> {
  const key = keys.application(record.applicationId);
  return { ...key, ...(await sealFields(cipher, key, record, APPLICATION_FIELDS)) };
}

/** Applications (each its own idempotency record) and uniqueness markers in the one table. */
export class DynamoApplicationRepository implements ApplicationRepository {
  constructor(
    private readonly table: DynamoTable,
    private readonly cipher: FieldCipher,
  ) {}

  async get(applicationId: string): Promise<ApplicationRecord | undefined> {
    const key = keys.application(applicationId);
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(key);
    return item ? stripKeys(await openFields(this.cipher, key, item, APPLICATION_FIELDS)) : undefined;
  }

  async mccOf(applicationId: string): Promise<string | undefined> {
    // The business part holds no encrypted field: nothing is opened.
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(
      keys.application(applicationId),
    );
    return item?.body?.business?.mcc;
  }

  async tokenHashOf(applicationId: string): Promise<{ tokenHash: string; merchantNo?: string } | undefined> {
    // No decryption: authorizing a merchant token needs no personal data (nor a KMS call).
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(
      keys.application(applicationId),
    );
    return item ? { tokenHash: item.tokenHash, merchantNo: item.merchantNo } : undefined;
  }

  async getIfTokenAccepted(
    applicationId: string,
    accepts: (tokenHash: string) => boolean,
  ): Promise<ApplicationRecord | undefined> {
    const key = keys.application(applicationId);
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(key);
    // The token is checked on the raw item: nothing is decrypted for a refused caller.
    if (!item || typeof item.tokenHash !== 'string' || !accepts(item.tokenHash)) return undefined;
    return stripKeys(await openFields(this.cipher, key, item, APPLICATION_FIELDS));
  }

  async replaceTokenHash(
    applicationId: string,
    change: { tokenHash: string; expectedTokenHash?: string; entry: TimelineEntry },
  ): Promise<boolean> {
    const expected = change.expectedTokenHash;
    return succeeds(
      this.table.update(
        keys.application(applicationId),
        'SET tokenHash = :hash, revision = revision + :one, updatedAt = :at, timeline = list_append(timeline, :entry)',
        {
          condition: expected === undefined ? 'attribute_exists(pk)' : 'tokenHash = :expected',
          values: {
            ':hash': change.tokenHash,
            ':one': 1,
            ':at': change.entry.at,
            ':entry': [change.entry],
            ...(expected === undefined ? {} : { ':expected': expected }),
          },
        },
      ),
    );
  }

  async createIfAbsent(record: ApplicationRecord): Promise<ApplicationRecord | undefined> {
    const key = keys.application(record.applicationId);
    const holder = await this.table.putIfAbsent({ ...(await applicationItem(this.cipher, record)), ...key });
    if (!holder) return undefined;
    // The holder is unmarshalled like any read, its personal data decrypted the same way.
    const stored = holder as ApplicationRecord & Record<string, unknown>;
    return stripKeys(await openFields(this.cipher, key, stored, APPLICATION_FIELDS));
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
        put: await applicationItem(this.cipher, next),
        condition: 'revision = :expected',
        values: { ':expected': expectedRevision },
      },
      ...claim.map(
        (pk): TransactionWrite => ({
          put: {
            ...keys.uniquenessMarker(pk),
            applicationId: next.applicationId,
            ...(next.merchantNo ? { merchantNo: next.merchantNo } : {}),
          },
          condition: 'attribute_not_exists(pk) OR applicationId = :app',
          values: { ':app': next.applicationId },
        }),
      ),
      ...release.map(
        (pk): TransactionWrite => ({
          delete: keys.uniquenessMarker(pk),
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
    const item = await this.table.get<{ applicationId: string; merchantNo?: string }>(
      keys.uniquenessMarker(markerKey),
    );
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

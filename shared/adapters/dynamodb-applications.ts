import type { ApplicationRecord, TimelineEntry } from '../domain/application';
import type { IdentityKind } from '../keys';
import * as keys from '../keys';
import type { FieldCipher } from '../ports';
import {
  type ApplicationPlainReads,
  type ApplicationRepository,
  type ApplicationStore,
  DuplicateMerchantError,
  StaleWriteError,
} from '../ports/repositories';
import { retentionIndexOf } from '../retention/policy';
import {
  ConditionFailedError,
  type DynamoTable,
  isTransactionConflict,
  succeeds,
  type TransactionWrite,
} from './dynamodb-table';
import { APPLICATION_FIELDS, fieldContext, openFields, sealFields } from './field-cipher-fields';

/** How often a create is tried when it only collides with a concurrent create of the same key. */
const CREATE_ATTEMPTS = 3;

/** The sealed attribute of the replayable first token (its path in the field cipher's context). */
const REPLAY_TOKEN_FIELD = 'token';

/**
 * The stored application item: the ID and account numbers encrypted field by field, and its entry
 * in the retention index while it is closed or a draft (the one place applications are
 * marshalled, for this repository and the merchant provisioning, so every write keeps the index).
 */
export async function applicationItem(
  cipher: FieldCipher,
  record: ApplicationRecord,
): Promise<Record<string, unknown>> {
  const key = keys.application(record.applicationId);
  const retention = retentionIndexOf(record);
  return {
    ...key,
    ...(retention ? keys.retentionIndexEntry(retention.kind, retention.day, record.applicationId) : {}),
    ...(await sealFields(cipher, key, record, APPLICATION_FIELDS)),
  };
}

/**
 * The reads of an application that open no encrypted field ({@link ApplicationPlainReads}): built
 * without the field cipher, so a function that needs only these carries neither the cipher nor
 * the KMS client. {@link DynamoApplicationRepository} extends it.
 */
export class DynamoApplicationPlainReads implements ApplicationPlainReads {
  constructor(protected readonly table: DynamoTable) {}

  async mccOf(applicationId: string): Promise<string | undefined> {
    // The business part holds no encrypted field: nothing is opened.
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(
      keys.application(applicationId),
    );
    return item?.body?.business?.mcc;
  }

  async signerOf(applicationId: string): Promise<{ phone: string; locale: 'zh-CN' | 'en' } | undefined> {
    // The legal person's phone is not an encrypted field: nothing is opened.
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(
      keys.application(applicationId),
    );
    const phone = item?.body?.legalPerson?.phone;
    return phone ? { phone, locale: item.body.locale === 'en' ? 'en' : 'zh-CN' } : undefined;
  }

  async tokenHashOf(applicationId: string): Promise<{ tokenHash: string; merchantNo?: string } | undefined> {
    // No decryption: authorizing a merchant token needs no personal data (nor a KMS call).
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(
      keys.application(applicationId),
    );
    return item ? { tokenHash: item.tokenHash, merchantNo: item.merchantNo } : undefined;
  }
}

/**
 * The workflow steps' applications (whole records, markers, blocklist) in the one table. Apart
 * from the repository below, which extends it, so that a step does not carry the token, creation
 * and partial reads (class methods are all bundled with their class; an unused class is not).
 */
export class DynamoApplicationStore extends DynamoApplicationPlainReads implements ApplicationStore {
  constructor(
    table: DynamoTable,
    protected readonly cipher: FieldCipher,
  ) {
    super(table);
  }

  async get(applicationId: string): Promise<ApplicationRecord | undefined> {
    const key = keys.application(applicationId);
    const item = await this.table.get<ApplicationRecord & Record<string, unknown>>(key);
    return item ? stripKeys(await openFields(this.cipher, key, item, APPLICATION_FIELDS)) : undefined;
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

/** Applications (each its own idempotency record) and uniqueness markers in the one table. */
export class DynamoApplicationRepository extends DynamoApplicationStore implements ApplicationRepository {
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
    const replaced = await succeeds(
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
    // The first token is no longer the one to answer. Should this delete not happen, a replay
    // still answers no token: it checks the copy against the stored hash.
    if (replaced) await this.forgetReplayableToken(applicationId);
    return replaced;
  }

  async createIfAbsent(
    record: ApplicationRecord,
    firstToken: { readonly token: string; readonly replayUntil: string },
  ): Promise<ApplicationRecord | undefined> {
    const key = keys.application(record.applicationId);
    const replayKey = keys.tokenReplay(record.applicationId);
    const writes: TransactionWrite[] = [
      {
        put: { ...(await applicationItem(this.cipher, record)), ...key },
        condition: 'attribute_not_exists(pk)',
      },
      {
        put: {
          ...replayKey,
          [REPLAY_TOKEN_FIELD]: await this.cipher.encrypt(
            firstToken.token,
            fieldContext(replayKey, REPLAY_TOKEN_FIELD),
          ),
          replayUntil: firstToken.replayUntil,
          // TTL deletion may lag by days: replayUntil is what a replay checks.
          expiresAt: epochSeconds(new Date(firstToken.replayUntil)),
        },
      },
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.table.transact(writes);
        return undefined;
      } catch (error) {
        // Concurrent creates with one key: the winner's transaction may still be running.
        const conflict = isTransactionConflict(error);
        if (!(error instanceof ConditionFailedError) && !conflict) throw error;
        // The key is taken: the holder, decrypted like any read (a replay, or another body).
        const holder = await this.get(record.applicationId);
        if (holder) return holder;
        if (!conflict || attempt >= CREATE_ATTEMPTS) throw new StaleWriteError();
      }
    }
  }

  async replayableToken(applicationId: string, now: Date): Promise<string | undefined> {
    const key = keys.tokenReplay(applicationId);
    const item = await this.table.get<{ token?: string; replayUntil?: string }>(key);
    if (!item?.token || !item.replayUntil || Date.parse(item.replayUntil) <= now.getTime()) return undefined;
    return this.cipher.decrypt(item.token, fieldContext(key, REPLAY_TOKEN_FIELD));
  }

  async forgetReplayableToken(applicationId: string): Promise<void> {
    await this.table.delete(keys.tokenReplay(applicationId));
  }
}

/** Removes the table's key attributes from a stored item. */
export function stripKeys<T extends Record<string, unknown>>(item: T): T {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g2,
    gsi2pk: _r1,
    gsi2sk: _r2,
    gsi3pk: _e1,
    gsi3sk: _e2,
    expiresAt: _ttl,
    ...rest
  } = item;
  return rest as T;
}

/** Now in epoch seconds, for TTL attributes. */
export function epochSeconds(date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}

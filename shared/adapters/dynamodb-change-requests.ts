import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { ChangeRequestRecord } from '../domain/change-request';
import type { MerchantRecord } from '../domain/merchant';
import * as keys from '../keys';
import type { FieldCipher } from '../ports';
import type {
  ApplyChangeOutcome,
  ChangeRequestIdempotencyRecord,
  ChangeRequestRepository,
  CreateChangeOutcome,
  FinishChangeOutcome,
  MerchantVersionRecord,
} from '../ports/change-requests';
import { epochSeconds, stripKeys } from './dynamodb-applications';
import { merchantVersionItem } from './dynamodb-merchants';
import {
  ConditionFailedError,
  type DynamoTable,
  type Item,
  succeeds,
  type TransactionWrite,
} from './dynamodb-table';
import {
  CHANGE_REQUEST_FIELDS,
  MERCHANT_FIELDS,
  MERCHANT_VERSION_FIELDS,
  openFields,
  sealFields,
} from './field-cipher-fields';

/** The stored change-request item: requested and replaced account numbers encrypted. */
async function changeRequestItem(cipher: FieldCipher, record: ChangeRequestRecord): Promise<Item> {
  const key = keys.changeRequest(record.changeRequestId);
  return { ...key, ...(await sealFields(cipher, key, record, CHANGE_REQUEST_FIELDS)) };
}

/** True when DynamoDB cancelled a transaction because another one touched the same items. */
function isTransactionConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}

/** Change requests, the open-request marker and merchant versions in the one table. */
export class DynamoChangeRequestRepository implements ChangeRequestRepository {
  constructor(
    private readonly table: DynamoTable,
    private readonly cipher: FieldCipher,
  ) {}

  async get(changeRequestId: string): Promise<ChangeRequestRecord | undefined> {
    const key = keys.changeRequest(changeRequestId);
    const item = await this.table.get<ChangeRequestRecord & Item>(key);
    return item ? stripKeys(await openFields(this.cipher, key, item, CHANGE_REQUEST_FIELDS)) : undefined;
  }

  async getIdempotency(keyHash: string): Promise<ChangeRequestIdempotencyRecord | undefined> {
    const item = await this.table.get<ChangeRequestIdempotencyRecord & Item>(keys.idempotency(keyHash));
    // The key space is shared with applications; their records carry applicationId instead.
    if (!item || typeof item.changeRequestId !== 'string') return undefined;
    return {
      keyHash: item.keyHash,
      requestHash: item.requestHash,
      response: item.response,
      changeRequestId: item.changeRequestId,
    };
  }

  async openChangeRequestId(merchantNo: string): Promise<string | undefined> {
    const item = await this.table.get<{ changeRequestId: string }>(
      keys.merchantOpenChangeRequest(merchantNo),
    );
    return item?.changeRequestId;
  }

  async create(
    record: ChangeRequestRecord,
    idempotency: ChangeRequestIdempotencyRecord,
    ttlSeconds: number,
  ): Promise<CreateChangeOutcome> {
    try {
      await this.table.transact([
        {
          put: {
            ...keys.idempotency(idempotency.keyHash),
            ...idempotency,
            expiresAt: epochSeconds() + ttlSeconds,
          },
          condition: 'attribute_not_exists(pk)',
        },
        {
          put: await changeRequestItem(this.cipher, record),
          condition: 'attribute_not_exists(pk)',
        },
        {
          put: {
            ...keys.merchantOpenChangeRequest(record.merchantNo),
            changeRequestId: record.changeRequestId,
            since: record.createdAt,
          },
          condition: 'attribute_not_exists(pk)',
        },
      ]);
      return 'CREATED';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return error.failedIndexes.includes(0) ? 'KEY_TAKEN' : 'OPEN_REQUEST_EXISTS';
    }
  }

  async save(next: ChangeRequestRecord, expectedRevision: number): Promise<boolean> {
    return succeeds(
      this.table.put(await changeRequestItem(this.cipher, next), 'revision = :expected', {
        ':expected': expectedRevision,
      }),
    );
  }

  async finish(
    next: ChangeRequestRecord,
    expectedRevision: number,
    options: { pendingTaskId?: string; idempotencyKeyHash?: string } = {},
  ): Promise<FinishChangeOutcome> {
    const writes: TransactionWrite[] = [
      {
        put: await changeRequestItem(this.cipher, next),
        condition: 'revision = :expected',
        values: { ':expected': expectedRevision },
      },
      ...(await this.markerRelease(next)),
    ];
    const taskIndex = writes.length;
    if (options.pendingTaskId) {
      // A task not created yet (checks still running) is as good as pending: there is no decision.
      writes.push({
        conditionCheck: keys.reviewTask(options.pendingTaskId),
        condition: 'attribute_not_exists(pk) OR #status = :pending',
        names: { '#status': 'status' },
        values: { ':pending': 'PENDING' },
      });
    }
    if (options.idempotencyKeyHash) writes.push({ delete: keys.idempotency(options.idempotencyKeyHash) });
    try {
      await this.table.transact(writes);
      return 'DONE';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return options.pendingTaskId && error.failedIndexes.includes(taskIndex)
        ? 'TASK_DECIDED'
        : 'REVISION_MOVED';
    }
  }

  async apply(input: {
    request: ChangeRequestRecord;
    expectedRevision: number;
    merchant: MerchantRecord;
    expectedVersion: number;
    version: MerchantVersionRecord;
  }): Promise<ApplyChangeOutcome> {
    const { request, merchant } = input;
    // Only the changed attributes are written (not the whole item), so attributes other steps own
    // on the merchant (terminal count, status) are never overwritten with what this step read.
    const sets = ['#version = :version', 'updatedAt = :at'];
    const values: Item = {
      ':version': merchant.version,
      ':at': merchant.updatedAt,
      ':expectedVersion': input.expectedVersion,
    };
    const names: Record<string, string> = { '#version': 'version' };
    if (request.changes['business.name'] !== undefined || request.changes['business.address'] !== undefined) {
      names['#business'] = 'business';
    }
    if (request.changes['business.name'] !== undefined) {
      sets.push('#business.#name = :name');
      names['#name'] = 'name';
      values[':name'] = merchant.business.name;
    }
    if (request.changes['business.address'] !== undefined) {
      sets.push('#business.#address = :address');
      names['#address'] = 'address';
      values[':address'] = merchant.business.address;
    }
    if (request.changes.contact) {
      sets.push('#contact = :contact');
      names['#contact'] = 'contact';
      values[':contact'] = merchant.contact;
    }
    if (request.changes.settlement) {
      sets.push('#settlement = :settlement');
      names['#settlement'] = 'settlement';
      // Sealed in the merchant item's context, exactly as a whole-item write would store it.
      const sealed = await sealFields(
        this.cipher,
        keys.merchant(merchant.merchantNo),
        { settlement: merchant.settlement },
        MERCHANT_FIELDS,
      );
      values[':settlement'] = sealed.settlement;
    }
    const writes: TransactionWrite[] = [
      {
        update: keys.merchant(merchant.merchantNo),
        expression: `SET ${sets.join(', ')}`,
        condition: '#version = :expectedVersion',
        names,
        values,
      },
      {
        put: await merchantVersionItem(
          this.cipher,
          keys.merchantVersion(merchant.merchantNo, input.version.version),
          input.version,
        ),
        condition: 'attribute_not_exists(pk)',
      },
      {
        put: await changeRequestItem(this.cipher, request),
        condition: 'revision = :expected',
        values: { ':expected': input.expectedRevision },
      },
      ...(await this.markerRelease(request)),
    ];
    try {
      await this.table.transact(writes);
      return 'APPLIED';
    } catch (error) {
      if (isTransactionConflict(error)) return 'CONFLICT';
      if (!(error instanceof ConditionFailedError)) throw error;
      // A version item without the merchant at that version cannot happen through this code;
      // either way the merchant moved on.
      if (error.failedIndexes.includes(0) || error.failedIndexes.includes(1)) return 'VERSION_MOVED';
      return 'REVISION_MOVED';
    }
  }

  async versions(merchantNo: string): Promise<MerchantVersionRecord[]> {
    const prefix = keys.merchantVersionsPrefix(merchantNo);
    const versions: MerchantVersionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.query<MerchantVersionRecord & Item>({
        keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
        values: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
        startKey,
      });
      // The version number is the sort key; items written before it was stored carry it in the snapshot.
      const opened = await Promise.all(
        page.items.map((item) =>
          openFields(
            this.cipher,
            { pk: item.pk as string, sk: item.sk as string },
            item,
            MERCHANT_VERSION_FIELDS,
          ),
        ),
      );
      versions.push(
        ...opened.map((item) => {
          const { pk: _pk, sk, ...rest } = item;
          return { ...rest, version: rest.version ?? keys.merchantVersionNumber(String(sk)) };
        }),
      );
      startKey = page.lastKey;
    } while (startKey);
    return versions;
  }

  /**
   * The marker's delete when this request holds it. Only its holder may release it: a request that
   * does not hold it (by the one-open rule none should exist) leaves it alone. The holder cannot
   * change between this read and the transaction: only a release frees it, and only the holder
   * releases.
   */
  private async markerRelease(request: ChangeRequestRecord): Promise<TransactionWrite[]> {
    const holder = await this.openChangeRequestId(request.merchantNo);
    if (holder !== request.changeRequestId) return [];
    return [
      {
        delete: keys.merchantOpenChangeRequest(request.merchantNo),
        condition: 'changeRequestId = :id',
        values: { ':id': request.changeRequestId },
      },
    ];
  }
}

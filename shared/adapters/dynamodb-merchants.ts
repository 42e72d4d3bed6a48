import { ulid } from 'ulid';
import type { MerchantRecord, MerchantTerminalRecord } from '../domain/merchant';
import type { Channel } from '../domain/notification';
import type { TableKey } from '../keys';
import * as keys from '../keys';
import type { FieldCipher } from '../ports';
import type {
  DeliveryReceipts,
  MerchantRepository,
  ProvisionOutcome,
  SendRecord,
  SendRecordRepository,
} from '../ports/merchants';
import { applicationItem, stripKeys } from './dynamodb-applications';
import { ConditionFailedError, type DynamoTable, type TransactionWrite } from './dynamodb-table';
import { MERCHANT_FIELDS, MERCHANT_VERSION_FIELDS, openFields, sealFields } from './field-cipher-fields';

/** The stored merchant item: the settlement account number encrypted. */
export async function merchantItem(
  cipher: FieldCipher,
  merchant: MerchantRecord,
): Promise<Record<string, unknown>> {
  const key = keys.merchant(merchant.merchantNo);
  return { ...key, ...(await sealFields(cipher, key, merchant, MERCHANT_FIELDS)) };
}

/** A stored merchant-version item: its snapshot's settlement account number encrypted. */
export async function merchantVersionItem<T extends { snapshot: MerchantRecord }>(
  cipher: FieldCipher,
  key: TableKey,
  version: T,
): Promise<Record<string, unknown>> {
  return { ...key, ...(await sealFields(cipher, key, version, MERCHANT_VERSION_FIELDS)) };
}

/** Merchants, sequences and terminals in the one table. */
export class DynamoMerchantRepository implements MerchantRepository {
  constructor(
    private readonly table: DynamoTable,
    private readonly cipher: FieldCipher,
  ) {}

  nextMerchantSequence(prefix: string): Promise<number> {
    return this.next(keys.merchantSequence(prefix));
  }

  nextTerminalSequence(): Promise<number> {
    return this.next(keys.terminalSequence());
  }

  private async next(key: TableKey): Promise<number> {
    const item = await this.table.update<{ next: number }>(key, 'ADD #next :one', {
      names: { '#next': 'next' },
      values: { ':one': 1 },
    });
    return item.next;
  }

  async provision(input: Parameters<MerchantRepository['provision']>[0]): Promise<ProvisionOutcome> {
    const { application, merchant, terminal } = input;
    const at = merchant.createdAt;
    const writes: TransactionWrite[] = [
      {
        put: await applicationItem(this.cipher, application),
        condition: 'revision = :expected',
        values: { ':expected': input.expectedRevision },
      },
      { put: await merchantItem(this.cipher, merchant), condition: 'attribute_not_exists(pk)' },
      {
        put: await merchantVersionItem(
          this.cipher,
          keys.merchantVersion(merchant.merchantNo, merchant.version),
          {
            snapshot: merchant,
            actor: 'system',
            action: 'CREATED',
            at,
          },
        ),
      },
      ...application.uniquenessKeys.map(
        (pk): TransactionWrite => ({
          update: keys.uniquenessMarker(pk),
          expression: 'SET merchantNo = :merchant',
          condition: 'applicationId = :app',
          values: { ':merchant': merchant.merchantNo, ':app': application.applicationId },
        }),
      ),
    ];
    const terminalIndex = writes.length;
    if (terminal) {
      writes.push(
        {
          update: keys.terminal(terminal.serialNumber),
          expression: 'SET #status = :bound, merchantNo = :merchant, terminalId = :tid, boundAt = :at',
          condition: '#status = :inStock',
          names: { '#status': 'status' },
          values: {
            ':bound': 'BOUND',
            ':inStock': 'IN_STOCK',
            ':merchant': merchant.merchantNo,
            ':tid': terminal.terminalId,
            ':at': at,
          },
        },
        {
          put: {
            ...keys.merchantTerminal(merchant.merchantNo, terminal.serialNumber),
            serialNumber: terminal.serialNumber,
            terminalId: terminal.terminalId,
            status: 'BOUND',
            boundAt: at,
          },
        },
        {
          put: {
            ...keys.terminalHistory(terminal.serialNumber, at, ulid()),
            action: 'BOUND',
            merchantNo: merchant.merchantNo,
            terminalId: terminal.terminalId,
            at,
            actor: 'system',
          },
        },
      );
    }
    try {
      await this.table.transact(writes);
      return 'PROVISIONED';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      if (terminal && error.failedIndexes.includes(terminalIndex)) return 'TERMINAL_UNAVAILABLE';
      return 'STALE';
    }
  }

  async getMerchant(merchantNo: string): Promise<MerchantRecord | undefined> {
    const key = keys.merchant(merchantNo);
    const item = await this.table.get<MerchantRecord & Record<string, unknown>>(key);
    return item ? stripKeys(await openFields(this.cipher, key, item, MERCHANT_FIELDS)) : undefined;
  }

  async acceptsTerminals(merchantNo: string): Promise<boolean> {
    const item = await this.table.get<{ status?: string }>(keys.merchant(merchantNo));
    return item?.status === 'PENDING_ACTIVATION' || item?.status === 'ACTIVE';
  }

  async merchantTerminals(merchantNo: string): Promise<MerchantTerminalRecord[]> {
    const prefix = keys.merchantTerminalsPrefix(merchantNo);
    const page = await this.table.query<MerchantTerminalRecord & Record<string, unknown>>({
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
      limit: 50,
    });
    return page.items.map((item) => ({
      serialNumber: item.serialNumber,
      terminalId: item.terminalId,
      status: item.status,
      boundAt: item.boundAt,
      ...(item.suspended ? { suspended: true } : {}),
    }));
  }
}

/** Send records: one item per (subject, template, channel), claimed and completed by the senders. */
export class DynamoSendRecordRepository implements SendRecordRepository {
  constructor(private readonly table: DynamoTable) {}

  async claim(input: Parameters<SendRecordRepository['claim']>[0]): Promise<number | undefined> {
    try {
      // UpdateItem rather than Put: the attempt count survives every re-claim of a FAILED record,
      // which is how the last attempt knows it is the last.
      const item = await this.table.update<{ attempts: number }>(
        keys.sendRecord(input.subjectId, input.template, input.channel),
        'SET #subject = :subject, #template = :template, #channel = :channel, #recipient = :recipient, ' +
          `#status = :sending, #claimedAt = :at${input.expiresAt === undefined ? '' : ', #expiresAt = :expiresAt'} ` +
          'REMOVE #providerMessageId, #completedAt ADD #attempts :one',
        {
          // A FAILED send may be claimed again by a later retry of the workflow step; nothing else.
          condition: 'attribute_not_exists(pk) OR #status = :failed',
          names: {
            '#subject': 'subjectId',
            '#template': 'template',
            '#channel': 'channel',
            '#recipient': 'recipient',
            '#status': 'status',
            '#claimedAt': 'claimedAt',
            '#providerMessageId': 'providerMessageId',
            '#completedAt': 'completedAt',
            '#attempts': 'attempts',
            ...(input.expiresAt === undefined ? {} : { '#expiresAt': 'expiresAt' }),
          },
          values: {
            ':subject': input.subjectId,
            ':template': input.template,
            ':channel': input.channel,
            ':recipient': input.recipient,
            ':sending': 'SENDING',
            ':failed': 'FAILED',
            ':at': input.at,
            ':one': 1,
            ...(input.expiresAt === undefined ? {} : { ':expiresAt': input.expiresAt }),
          },
        },
      );
      return item.attempts;
    } catch (error) {
      if (error instanceof ConditionFailedError) return undefined;
      throw error;
    }
  }

  async complete(input: Parameters<SendRecordRepository['complete']>[0]): Promise<void> {
    const withId = input.providerMessageId !== undefined;
    await this.table.update(
      keys.sendRecord(input.subjectId, input.template, input.channel),
      `SET #status = :status, #completedAt = :at${withId ? ', #providerMessageId = :id' : ''}`,
      {
        condition: 'attribute_exists(pk)',
        names: {
          '#status': 'status',
          '#completedAt': 'completedAt',
          ...(withId ? { '#providerMessageId': 'providerMessageId' } : {}),
        },
        values: {
          ':status': input.status,
          ':at': input.at,
          ...(withId ? { ':id': input.providerMessageId } : {}),
        },
      },
    );
  }

  async get(subjectId: string, template: string, channel: Channel): Promise<SendRecord | undefined> {
    const item = await this.table.get<SendRecord & Record<string, unknown>>(
      keys.sendRecord(subjectId, template, channel),
    );
    return item ? stripKeys(item) : undefined;
  }
}

/**
 * The delivery receipts recorded on the send records ({@link DynamoSendRecordRepository}'s items):
 * apart from it, so the many functions that send carry no receipt code and the receipts' poller
 * none of the sending.
 */
export class DynamoDeliveryReceipts implements DeliveryReceipts {
  constructor(private readonly table: DynamoTable) {}

  async recordDelivery(input: Parameters<DeliveryReceipts['recordDelivery']>[0]): Promise<boolean> {
    const withDetail = input.detail !== undefined;
    try {
      await this.table.update(
        keys.sendRecord(input.subjectId, input.template, input.channel),
        `SET #delivery = :delivery, #deliveredAt = :at${withDetail ? ', #deliveryDetail = :detail' : ''}`,
        {
          // Only the attempt the provider accepted under this id: a receipt of an earlier attempt, or
          // one naming a record we never sent with this id, changes nothing.
          condition: '#providerMessageId = :id',
          names: {
            '#delivery': 'delivery',
            '#deliveredAt': 'deliveredAt',
            '#providerMessageId': 'providerMessageId',
            ...(withDetail ? { '#deliveryDetail': 'deliveryDetail' } : {}),
          },
          values: {
            ':delivery': input.delivery,
            ':at': input.at,
            ':id': input.providerMessageId,
            ...(withDetail ? { ':detail': input.detail } : {}),
          },
        },
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }
}

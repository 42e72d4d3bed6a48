import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { AgreementEvent, AgreementHead, AgreementRecord } from '../agreements/agreement';
import * as keys from '../keys';
import type { AgreementRepository, NewAgreementVersion } from '../ports/agreements';
import { stripKeys } from './dynamodb-applications';
import { ConditionFailedError, type DynamoTable, type TransactionWrite } from './dynamodb-table';

/** A transaction refused because of a condition or a concurrent transaction: the caller reads again. */
function lostRace(error: unknown): boolean {
  return (
    error instanceof ConditionFailedError ||
    (error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict'))
  );
}

/** Agreement versions and their head in the one table (the merchant's agreement partition). */
export class DynamoAgreementRepository implements AgreementRepository {
  constructor(private readonly table: DynamoTable) {}

  async head(merchantNo: string): Promise<AgreementHead | undefined> {
    const item = await this.table.get<AgreementHead & Record<string, unknown>>(
      keys.agreementHead(merchantNo),
    );
    return item ? stripKeys(item) : undefined;
  }

  async get(merchantNo: string, version: number): Promise<AgreementRecord | undefined> {
    const item = await this.table.get<AgreementRecord & Record<string, unknown>>(
      keys.agreementVersion(merchantNo, version),
    );
    return item ? stripKeys(item) : undefined;
  }

  async latest(merchantNo: string): Promise<AgreementRecord | undefined> {
    const prefix = keys.agreementVersionsPrefix(merchantNo);
    const page = await this.table.query<AgreementRecord & Record<string, unknown>>({
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
      forward: false,
      limit: 1,
    });
    const [item] = page.items;
    return item ? stripKeys(item) : undefined;
  }

  async add(input: NewAgreementVersion): Promise<boolean> {
    const { record, previousHead } = input;
    const head: AgreementHead = {
      merchantNo: record.merchantNo,
      latestVersion: record.version,
      latestSource: record.source,
      ...(previousHead?.signedVersion !== undefined ? { signedVersion: previousHead.signedVersion } : {}),
    };
    const writes: TransactionWrite[] = [
      {
        put: { ...keys.agreementVersion(record.merchantNo, record.version), ...record },
        condition: 'attribute_not_exists(pk)',
      },
      previousHead
        ? {
            put: { ...keys.agreementHead(record.merchantNo), ...head },
            condition: 'latestVersion = :previous',
            values: { ':previous': previousHead.latestVersion },
          }
        : {
            put: { ...keys.agreementHead(record.merchantNo), ...head },
            condition: 'attribute_not_exists(pk)',
          },
    ];
    if (input.replacesWaiting !== undefined) {
      writes.push({
        update: keys.agreementVersion(record.merchantNo, input.replacesWaiting),
        expression: 'SET #status = :superseded, supersededAt = :at, timeline = list_append(timeline, :event)',
        condition: '#status = :waiting',
        names: { '#status': 'status' },
        values: {
          ':superseded': 'SUPERSEDED',
          ':waiting': 'AWAITING_SIGNATURE',
          ':at': record.createdAt,
          ':event': [
            {
              status: 'SUPERSEDED',
              at: record.createdAt,
              actor: 'system',
              action: 'REPLACED_UNSIGNED',
              reason: `version ${record.version}`,
            },
          ],
        },
      });
    }
    if (input.merchantFeePlan) {
      writes.push({
        update: keys.merchant(record.merchantNo),
        expression: 'SET feePlan = :plan, updatedAt = :at',
        condition: 'attribute_exists(pk)',
        values: { ':plan': input.merchantFeePlan, ':at': record.createdAt },
      });
    }
    try {
      await this.table.transact(writes);
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  async addEvent(merchantNo: string, version: number, event: AgreementEvent): Promise<void> {
    await this.table.update(
      keys.agreementVersion(merchantNo, version),
      'SET timeline = list_append(timeline, :event)',
      {
        condition: 'attribute_exists(pk)',
        values: { ':event': [event] },
      },
    );
  }

  async setDocument(
    merchantNo: string,
    version: number,
    document: NonNullable<AgreementRecord['document']>,
  ): Promise<AgreementRecord> {
    try {
      const item = await this.table.update<AgreementRecord & Record<string, unknown>>(
        keys.agreementVersion(merchantNo, version),
        'SET #document = :document',
        {
          condition: 'attribute_exists(pk) AND attribute_not_exists(#document)',
          names: { '#document': 'document' },
          values: { ':document': document },
        },
      );
      return stripKeys(item);
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const stored = await this.get(merchantNo, version);
      if (!stored) throw new Error(`No agreement version ${version} of ${merchantNo}`);
      return stored;
    }
  }

  async sign(input: Parameters<AgreementRepository['sign']>[0]): Promise<boolean> {
    const { record, evidence, previousSigned, actor } = input;
    const at = evidence.signedAt;
    const writes: TransactionWrite[] = [
      {
        update: keys.agreementVersion(record.merchantNo, record.version),
        expression: 'SET #status = :signed, signature = :evidence, timeline = list_append(timeline, :event)',
        condition: '#status = :waiting AND #document.sha256 = :sha256',
        names: { '#status': 'status', '#document': 'document' },
        values: {
          ':signed': 'SIGNED',
          ':waiting': 'AWAITING_SIGNATURE',
          ':sha256': evidence.sha256,
          ':evidence': evidence,
          ':event': [{ status: 'SIGNED', at, actor, action: 'SIGNED_WITH_SMS_CODE' }],
        },
      },
      {
        update: keys.agreementHead(record.merchantNo),
        expression: 'SET signedVersion = :version, signedAt = :at',
        condition: 'latestVersion = :version',
        values: { ':version': record.version, ':at': at },
      },
    ];
    if (previousSigned !== undefined) {
      writes.push({
        update: keys.agreementVersion(record.merchantNo, previousSigned),
        expression: 'SET #status = :superseded, supersededAt = :at, timeline = list_append(timeline, :event)',
        condition: '#status = :signed',
        names: { '#status': 'status' },
        values: {
          ':superseded': 'SUPERSEDED',
          ':signed': 'SIGNED',
          ':at': at,
          ':event': [
            {
              status: 'SUPERSEDED',
              at,
              actor,
              action: 'SUPERSEDED_BY_SIGNATURE',
              reason: `version ${record.version}`,
            },
          ],
        },
      });
    }
    try {
      await this.table.transact(writes);
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }
}

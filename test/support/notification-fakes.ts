import { LocalKeyedHasher } from '../../shared/adapters/keyed-hasher';
import type { Channel } from '../../shared/domain/notification';
import type { SendRecord, SendRecordRepository } from '../../shared/ports/merchants';
import type { SendQuota, SendQuotaPool, SuppressionList } from '../../shared/ports/notifications';

/** In-memory send records with the conditional semantics of the DynamoDB adapter. */
export class MemorySendRecords implements SendRecordRepository {
  readonly records = new Map<string, SendRecord>();
  /** Makes the next completion with this status throw once (a DynamoDB fault after the provider call). */
  failNextCompletion: SendRecord['status'] | undefined;

  private key(subjectId: string, template: string, channel: Channel) {
    return `${subjectId}|${template}|${channel}`;
  }

  async claim(input: Parameters<SendRecordRepository['claim']>[0]) {
    const key = this.key(input.subjectId, input.template, input.channel);
    const current = this.records.get(key);
    if (current && current.status !== 'FAILED') return undefined;
    const attempts = (current?.attempts ?? 0) + 1;
    this.records.set(key, {
      subjectId: input.subjectId,
      template: input.template,
      channel: input.channel,
      recipient: input.recipient,
      status: 'SENDING',
      attempts,
      claimedAt: input.at,
    });
    return attempts;
  }

  async complete(input: Parameters<SendRecordRepository['complete']>[0]) {
    if (this.failNextCompletion === input.status) {
      this.failNextCompletion = undefined;
      throw Object.assign(new Error('Throughput exceeded'), {
        name: 'ProvisionedThroughputExceededException',
      });
    }
    const key = this.key(input.subjectId, input.template, input.channel);
    const current = this.records.get(key);
    if (!current) throw new Error('complete() of a send that was never claimed');
    this.records.set(key, {
      ...current,
      status: input.status,
      completedAt: input.at,
      ...(input.providerMessageId ? { providerMessageId: input.providerMessageId } : {}),
    });
  }

  async get(subjectId: string, template: string, channel: Channel) {
    return this.records.get(this.key(subjectId, template, channel));
  }

  /** Status of one record, e.g. `status('A#1', 'APPLICATION_APPROVED', 'SMS')`. */
  status(subjectId: string, template: string, channel: Channel) {
    return this.records.get(this.key(subjectId, template, channel))?.status;
  }
}

/** In-memory suppression list. */
export class MemorySuppressionList implements SuppressionList {
  readonly entries = new Map<string, { reason: string; detail?: string }>();

  async isSuppressed(channel: Channel, addressHash: string) {
    return this.entries.has(`${channel}#${addressHash}`);
  }

  async suppress(entry: Parameters<SuppressionList['suppress']>[0]) {
    const key = `${entry.channel}#${entry.addressHash}`;
    if (!this.entries.has(key)) this.entries.set(key, { reason: entry.reason, detail: entry.detail });
  }
}

/** In-memory hourly per-address counters (same pools and fixed UTC hour windows as the adapter). */
export class MemorySendQuota implements SendQuota {
  readonly counts = new Map<string, number>();

  async take(pool: SendQuotaPool, addressHash: string, at: Date, limit: number) {
    const key = `${pool}#${addressHash}#${at.toISOString().slice(0, 13)}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }
}

/** The notification adapters of a use-case test, all in memory. */
export function notificationFakes() {
  return {
    sends: new MemorySendRecords(),
    suppressions: new MemorySuppressionList(),
    sendQuota: new MemorySendQuota(),
    hasher: new LocalKeyedHasher('test-notification-secret'),
  };
}

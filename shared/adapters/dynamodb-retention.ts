import type { ApplicationStatus, TimelineEntry } from '../domain/application';
import * as keys from '../keys';
import { GSI2, type RetentionKind } from '../keys';
import type { ApplicationStub, RetainedApplication, RetentionStore } from '../ports/retention';
import { cursorKey, encodeCursor } from './dynamodb-cursor';
import { type DynamoTable, succeeds } from './dynamodb-table';

/** The raw application attributes the sweep needs; the encrypted fields are never read. */
interface RawApplication {
  applicationId: string;
  status: ApplicationStatus;
  body?: { type?: string };
  type?: string;
  submissionCount?: number;
  revision: number;
  timeline?: TimelineEntry[];
  documents?: Record<string, unknown>;
  documentKinds?: string[];
  createdAt: string;
  updatedAt: string;
  purgedAt?: string;
}

/** The retention index and erasure in the one table (queries of GSI2, never a scan). */
export class DynamoRetentionStore implements RetentionStore {
  constructor(private readonly table: DynamoTable) {}

  async indexed(kind: RetentionKind, day: string, cursor?: string) {
    const page = await this.table.query<{ gsi2sk: string }>({
      index: GSI2,
      keyCondition: 'gsi2pk = :partition',
      values: { ':partition': keys.retentionPartition(kind, day) },
      startKey: cursorKey(cursor),
      forward: true,
    });
    const next = encodeCursor(page.lastKey);
    return {
      applicationIds: page.items.map((item) => item.gsi2sk),
      ...(next === undefined ? {} : { cursor: next }),
    };
  }

  async progress(): Promise<Partial<Record<RetentionKind, string>>> {
    const item = await this.table.get<{ CLOSED?: string; DRAFT?: string }>(keys.retentionProgress());
    return {
      ...(item?.CLOSED ? { CLOSED: item.CLOSED } : {}),
      ...(item?.DRAFT ? { DRAFT: item.DRAFT } : {}),
    };
  }

  async saveProgress(kind: RetentionKind, day: string): Promise<void> {
    await this.table.update(keys.retentionProgress(), 'SET #kind = :day', {
      names: { '#kind': kind },
      values: { ':day': day },
    });
  }

  async application(applicationId: string): Promise<RetainedApplication | undefined> {
    const item = await this.table.get<RawApplication & Record<string, unknown>>(
      keys.application(applicationId),
    );
    if (!item) return undefined;
    const type = item.type ?? item.body?.type;
    return {
      applicationId: item.applicationId,
      status: item.status,
      ...(type ? { type } : {}),
      submissionCount: item.submissionCount ?? 0,
      revision: item.revision,
      timeline: item.timeline ?? [],
      documentKinds: item.documentKinds ?? Object.keys(item.documents ?? {}),
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      ...(item.purgedAt ? { purgedAt: item.purgedAt } : {}),
    };
  }

  async erase(
    stub: ApplicationStub,
    expectedRevision: number,
    related: { taskIds: readonly string[]; sendSubjects: readonly string[] },
  ): Promise<boolean> {
    // Related items first: if the stub is then refused (or the run dies), the application is
    // still indexed and the next sweep finishes the job.
    for (const taskId of related.taskIds) {
      await this.table.delete(keys.reviewTask(taskId));
      await this.table.delete(keys.reviewWait(taskId));
    }
    for (const subjectId of related.sendSubjects) {
      const pk = keys.sendRecord(subjectId, '', 'EMAIL').pk;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.table.query<{ pk: string; sk: string }>({
          keyCondition: 'pk = :pk',
          values: { ':pk': pk },
          startKey,
        });
        for (const item of page.items) await this.table.delete({ pk: item.pk, sk: item.sk });
        startKey = page.lastKey;
      } while (startKey);
    }
    // The whole item is replaced: body, contact, documents, tokens and the index entry go.
    return succeeds(
      this.table.put({ ...keys.application(stub.applicationId), ...stub }, 'revision = :expected', {
        ':expected': expectedRevision,
      }),
    );
  }
}

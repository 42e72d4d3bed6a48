import type { ApplicationStatus, TimelineEntry } from '../domain/application';
import type { RetentionKind } from '../keys';

/** What the sweep reads of an application: no personal data, nothing decrypted. */
export interface RetainedApplication {
  readonly applicationId: string;
  readonly status: ApplicationStatus;
  readonly type?: string;
  readonly submissionCount: number;
  readonly revision: number;
  readonly timeline: readonly TimelineEntry[];
  readonly documentKinds: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Set once the application was erased: it is an audit stub. */
  readonly purgedAt?: string;
}

/** The audit stub an erased application leaves: ids, statuses, times and actions, no personal data. */
export interface ApplicationStub {
  readonly applicationId: string;
  /** The status it closed in (`EXPIRED` for a draft never submitted). */
  readonly status: ApplicationStatus;
  readonly type?: string;
  readonly submissionCount: number;
  readonly documentKinds: readonly string[];
  readonly documentsErased: number;
  /** Status, time, actor and action of each step (no recipients, no values). */
  readonly timeline: readonly Pick<TimelineEntry, 'status' | 'at' | 'actor' | 'action' | 'fields'>[];
  readonly createdAt: string;
  readonly closedAt: string;
  readonly purgedAt: string;
  readonly revision: number;
}

/**
 * The retention index (GSI2, keys only) and the erasure of what an application leaves in the
 * table. Only the retention sweeper uses it.
 */
export interface RetentionStore {
  /** One page of the applications indexed under `kind` on `day`. */
  indexed(
    kind: RetentionKind,
    day: string,
    cursor?: string,
  ): Promise<{ applicationIds: string[]; cursor?: string }>;
  /** The last day of each kind the sweep finished, if any. */
  progress(): Promise<Partial<Record<RetentionKind, string>>>;
  /** Records that every due application of `kind` up to `day` was erased. */
  saveProgress(kind: RetentionKind, day: string): Promise<void>;
  /** The application as stored, without decrypting anything. */
  application(applicationId: string): Promise<RetainedApplication | undefined>;
  /**
   * Deletes the application's review tasks (and their waiting tokens) and send records, then
   * replaces the application with `stub` if it is still at `expectedRevision` (false otherwise:
   * it changed meanwhile, the next sweep looks again).
   */
  erase(
    stub: ApplicationStub,
    expectedRevision: number,
    related: { taskIds: readonly string[]; sendSubjects: readonly string[] },
  ): Promise<boolean>;
}

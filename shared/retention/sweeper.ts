import { applicationTaskId } from '../domain/application';
import type { RetentionKind } from '../keys';
import { logger } from '../logger';
import type { Clock, DocumentEraser } from '../ports';
import type { ApplicationStub, RetainedApplication, RetentionStore } from '../ports/retention';
import { CLOSED_STATUSES, closedAt, daysBefore, dueAt, lastDueDay, nextDay } from './policy';

/** Dependencies of the retention sweep. */
export interface RetentionDeps {
  readonly retention: RetentionStore;
  readonly documents: DocumentEraser;
  readonly clock: Clock;
  readonly periods: { readonly retentionSeconds: number; readonly draftTtlSeconds: number };
}

/**
 * Days a first sweep looks back before its first due day: the index only holds applications
 * written since it exists, so older days are empty; a year covers any pause of the schedule.
 */
const FIRST_SWEEP_LOOKBACK_DAYS = 366;

/** What one sweep did, for its log line and the local trigger's answer (counts only). */
export interface SweepReport {
  readonly purged: number;
  readonly documentsErased: number;
  readonly skipped: number;
  readonly daysSwept: number;
  readonly through: Partial<Record<RetentionKind, string>>;
}

/**
 * The scheduled retention sweep: for each kind (closed applications, unsubmitted drafts) it
 * queries the index partition of every day from the one after its progress up to the last day
 * whose applications are all due, erases each due application ({@link eraseApplication}) and
 * records the day as done — only when nothing on it was left for a later run. The partition of the
 * current cut-off day is queried too, each of its applications checked one by one, but not marked
 * done. Queries of a keys-only index, one partition per day: no scan, whatever the table's size.
 */
export async function sweepRetention(deps: RetentionDeps): Promise<SweepReport> {
  const now = deps.clock.now();
  const progress = await deps.retention.progress();
  let purged = 0;
  let documentsErased = 0;
  let skipped = 0;
  let daysSwept = 0;
  const through: Partial<Record<RetentionKind, string>> = {};
  for (const kind of ['CLOSED', 'DRAFT'] as const) {
    const complete = lastDueDay(kind, now, deps.periods);
    const done = progress[kind];
    let day = done ? nextDay(done) : daysBefore(complete, FIRST_SWEEP_LOOKBACK_DAYS);
    // Up to the day after the last complete one: that partition may hold due applications too.
    const last = nextDay(complete);
    let finished = done;
    let blocked = false;
    for (; day <= last; day = nextDay(day)) {
      const outcome = await sweepDay(deps, kind, day, now);
      purged += outcome.purged;
      documentsErased += outcome.documentsErased;
      skipped += outcome.skipped;
      daysSwept += 1;
      // Done only up to the first complete day on which something waits for a later run.
      if (!blocked && day <= complete) {
        if (outcome.skipped === 0) finished = day;
        else blocked = true;
      }
    }
    if (finished !== undefined && finished !== done) await deps.retention.saveProgress(kind, finished);
    if (finished) through[kind] = finished;
  }
  const report = { purged, documentsErased, skipped, daysSwept, through };
  logger.info('retention sweep', report);
  return report;
}

/** Sweeps the index partition of `kind` on `day`: every application due at `now` is erased. */
async function sweepDay(deps: RetentionDeps, kind: RetentionKind, day: string, now: Date) {
  let purged = 0;
  let documentsErased = 0;
  let skipped = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.retention.indexed(kind, day, cursor);
    for (const applicationId of page.applicationIds) {
      const outcome = await eraseApplication(deps, kind, applicationId, now);
      if (outcome === undefined) skipped += 1;
      else if (outcome >= 0) {
        purged += 1;
        documentsErased += outcome;
      }
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { purged, documentsErased, skipped };
}

/**
 * Erases one application if it is due: every version of its documents, its review tasks (ids
 * derived from its submissions) with their waiting tokens, its send records, and then its item,
 * replaced by an audit stub (conditional on the revision read). Returns the documents erased,
 * `-1` when it is not due yet (the index will hold it until it is), `undefined` when it changed
 * meanwhile (the next run looks again).
 */
export async function eraseApplication(
  deps: RetentionDeps,
  kind: RetentionKind,
  applicationId: string,
  now: Date,
): Promise<number | undefined> {
  const record = await deps.retention.application(applicationId);
  if (!record || record.purgedAt) return -1;
  const closing = kind === 'CLOSED' ? CLOSED_STATUSES.includes(record.status) : record.status === 'DRAFT';
  if (!closing || dueAt(kind, record, deps.periods) > now.getTime()) return -1;
  const documentsErased = await deps.documents.eraseAll(`applications/${applicationId}/`);
  const rounds = Array.from({ length: record.submissionCount }, (_, index) => index + 1);
  const stub = stubOf(record, kind, documentsErased, now);
  const erased = await deps.retention.erase(stub, record.revision, {
    taskIds: rounds.map((round) => applicationTaskId(applicationId, round)),
    sendSubjects: [0, ...rounds].map((round) => `${applicationId}#${round}`),
  });
  if (!erased) return undefined;
  logger.info('application erased after its retention period', {
    applicationId,
    status: stub.status,
    documentsErased,
  });
  return documentsErased;
}

/** The audit stub: ids, statuses, times and actions; recipients and every value are left out. */
function stubOf(
  record: RetainedApplication,
  kind: RetentionKind,
  documentsErased: number,
  now: Date,
): ApplicationStub {
  const purgedAt = now.toISOString();
  const closed = kind === 'CLOSED' ? closedAt(record) : record.createdAt;
  return {
    applicationId: record.applicationId,
    // A draft never submitted has expired (spec 5); it is stored as such from now on.
    status: kind === 'DRAFT' ? 'EXPIRED' : record.status,
    ...(record.type ? { type: record.type } : {}),
    submissionCount: record.submissionCount,
    documentKinds: record.documentKinds,
    documentsErased,
    timeline: [
      ...record.timeline.map(({ status, at, actor, action, fields }) => ({
        status,
        at,
        actor,
        action,
        ...(fields ? { fields } : {}),
      })),
      {
        status: kind === 'DRAFT' ? 'EXPIRED' : record.status,
        at: purgedAt,
        actor: 'system',
        action: 'PURGED',
      },
    ],
    createdAt: record.createdAt,
    closedAt: closed,
    purgedAt,
    revision: record.revision + 1,
  };
}

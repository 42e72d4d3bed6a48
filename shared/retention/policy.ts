import type { ApplicationRecord, ApplicationStatus } from '../domain/application';
import type { RetentionKind } from '../keys';

/*
 * Retention of applications that never became a merchant (PIPL minimisation): a rejected,
 * withdrawn or expired application, and a draft never submitted, is erased after the retention
 * period — its documents (every version), its review tasks and send records, and its personal data —
 * leaving an audit stub. Which applications are due is kept in a keys-only index (GSI2) by the
 * Asia/Shanghai day they closed (or, for drafts, were created), maintained by every write of the
 * application item, so the sweep queries a handful of day partitions and never scans.
 */

/** Statuses after which an application is kept only for the retention period. */
export const CLOSED_STATUSES: readonly ApplicationStatus[] = ['REJECTED', 'WITHDRAWN', 'EXPIRED'];

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The Asia/Shanghai calendar day (UTC+8 all year) of an instant, `2026-12-01`. */
export function shanghaiDay(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The day after `day` (`2026-12-31` → `2027-01-01`). */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The day `days` before `day`. */
export function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

/** When a closed application closed: its first timeline entry in a closed status (else its last write). */
export function closedAt(record: Pick<ApplicationRecord, 'timeline' | 'updatedAt'>): string {
  return record.timeline.find((entry) => CLOSED_STATUSES.includes(entry.status))?.at ?? record.updatedAt;
}

/**
 * Where an application sits in the retention index: closed ones by their closing day, drafts by
 * their creation day; any other (under way, approved) is not in it.
 */
export function retentionIndexOf(
  record: Pick<ApplicationRecord, 'status' | 'timeline' | 'updatedAt' | 'createdAt'>,
): { kind: RetentionKind; day: string } | undefined {
  if (CLOSED_STATUSES.includes(record.status)) return { kind: 'CLOSED', day: shanghaiDay(closedAt(record)) };
  if (record.status === 'DRAFT') return { kind: 'DRAFT', day: shanghaiDay(record.createdAt) };
  return undefined;
}

/**
 * When an application indexed under `kind` is due for erasure: a closed one `retentionSeconds`
 * after it closed; a draft `retentionSeconds` after it expired (created + draft lifetime).
 */
export function dueAt(
  kind: RetentionKind,
  record: Pick<ApplicationRecord, 'timeline' | 'updatedAt' | 'createdAt'>,
  periods: { retentionSeconds: number; draftTtlSeconds: number },
): number {
  return kind === 'CLOSED'
    ? Date.parse(closedAt(record)) + periods.retentionSeconds * 1000
    : Date.parse(record.createdAt) + (periods.draftTtlSeconds + periods.retentionSeconds) * 1000;
}

/**
 * The last day of `kind`'s partitions in which, at `now`, every application is due: an
 * application indexed on that day or before it became due by `now` at the latest.
 */
export function lastDueDay(
  kind: RetentionKind,
  now: Date,
  periods: { retentionSeconds: number; draftTtlSeconds: number },
): string {
  const lag =
    kind === 'CLOSED' ? periods.retentionSeconds : periods.retentionSeconds + periods.draftTtlSeconds;
  // Partitions are whole Shanghai days: the day of (now − lag) is still filling up with entries
  // not yet due, so only the days before it are complete.
  return daysBefore(shanghaiDay(new Date(now.getTime() - lag * 1000)), 1);
}

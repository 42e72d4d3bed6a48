import { describe, expect, it } from 'vitest';
import type { ApplicationRecord } from '../../../shared/domain/application';
import {
  closedAt,
  dueAt,
  lastDueDay,
  nextDay,
  retentionIndexOf,
  shanghaiDay,
} from '../../../shared/retention/policy';

/*
 * Where an application sits in the retention index and when it is due: closed applications by
 * their closing day (Asia/Shanghai), drafts by their creation day; nothing is ever due early.
 */

const DAY = 86_400;
const periods = { retentionSeconds: 180 * DAY, draftTtlSeconds: 30 * DAY };

function record(status: ApplicationRecord['status'], closing?: string): ApplicationRecord {
  return {
    status,
    createdAt: '2026-06-01T10:00:00.000Z',
    updatedAt: '2026-07-05T01:00:00.000Z',
    timeline: [
      { status: 'DRAFT', at: '2026-06-01T10:00:00.000Z', actor: 'merchant:A', action: 'CREATED' },
      ...(closing ? [{ status, at: closing, actor: 'system' as const, action: 'X' }] : []),
    ],
  } as unknown as ApplicationRecord;
}

describe('retention policy', () => {
  it('indexes closed applications by their closing day in Asia/Shanghai, drafts by creation day', () => {
    // 17:30 UTC is already the next day in Shanghai.
    expect(retentionIndexOf(record('REJECTED', '2026-07-01T17:30:00.000Z'))).toEqual({
      kind: 'CLOSED',
      day: '2026-07-02',
    });
    expect(retentionIndexOf(record('WITHDRAWN', '2026-07-01T08:00:00.000Z'))?.day).toBe('2026-07-01');
    expect(retentionIndexOf(record('EXPIRED', '2026-07-01T08:00:00.000Z'))?.kind).toBe('CLOSED');
    expect(retentionIndexOf(record('DRAFT'))).toEqual({ kind: 'DRAFT', day: '2026-06-01' });
    for (const status of ['SUBMITTED', 'CHECKING', 'PENDING_REVIEW', 'NEEDS_CHANGES', 'APPROVED'] as const)
      expect(retentionIndexOf(record(status)), status).toBeUndefined();
  });

  it('keeps the closing time when the closed application is written again later', () => {
    const rejected = record('REJECTED', '2026-07-01T08:00:00.000Z');
    expect(closedAt(rejected)).toBe('2026-07-01T08:00:00.000Z');
    expect(closedAt({ ...rejected, updatedAt: '2026-07-09T00:00:00.000Z' })).toBe('2026-07-01T08:00:00.000Z');
  });

  it('is due after the retention period (drafts after their lifetime too), never before', () => {
    const rejected = record('REJECTED', '2026-07-01T08:00:00.000Z');
    expect(dueAt('CLOSED', rejected, periods)).toBe(
      Date.parse('2026-07-01T08:00:00.000Z') + 180 * DAY * 1000,
    );
    expect(dueAt('DRAFT', record('DRAFT'), periods)).toBe(
      Date.parse('2026-06-01T10:00:00.000Z') + 210 * DAY * 1000,
    );
  });

  it('marks as complete only the days whose every application is due', () => {
    const now = new Date('2027-01-10T02:00:00.000Z');
    // now − 180 days = 2026-07-14T02:00Z, Shanghai day 2026-07-14: still filling, so the 13th is the last.
    expect(lastDueDay('CLOSED', now, periods)).toBe('2026-07-13');
    const closedLate = new Date('2026-07-13T15:59:59.000Z'); // 23:59:59 Shanghai on the 13th
    expect(shanghaiDay(closedLate)).toBe('2026-07-13');
    expect(closedLate.getTime() + periods.retentionSeconds * 1000).toBeLessThanOrEqual(now.getTime());
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});

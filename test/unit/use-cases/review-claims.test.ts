import { describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../../shared/auth/principals';
import type { ReviewTaskRecord } from '../../../shared/domain/review';
import type { ReviewCounters } from '../../../shared/ports/reviews';
import { MAX_REVEALS_PER_TASK, revealField } from '../../../shared/reviews/claims';
import { reviewStats } from '../../../shared/reviews/stats';

const reviewer: StaffPrincipal = { kind: 'staff', sub: 'rev-1', groups: ['reviewer'] };
const NOW = new Date('2026-12-01T02:00:00.000Z');

function task(overrides: Partial<ReviewTaskRecord> = {}): ReviewTaskRecord {
  return {
    taskId: 'APP-1',
    kind: 'APPLICATION',
    subjectId: 'APP',
    status: 'PENDING',
    createdAt: '2026-11-30T00:00:00.000Z',
    deadline: '2026-12-02T00:00:00.000Z',
    finalDeadline: '2026-12-07T00:00:00.000Z',
    escalated: false,
    automatedChecks: [],
    requiredChecks: ['phoneCallback'],
    summary: 'x',
    claimedBy: 'rev-1',
    claimedUntil: '2026-12-01T02:10:00.000Z',
    ...overrides,
  };
}

/** The reveal's ports: the audit write's answer is given, every disclosure is recorded. */
function revealDeps(stored: ReviewTaskRecord, audited: boolean) {
  const disclosed: string[] = [];
  const audits: unknown[] = [];
  return {
    disclosed,
    audits,
    deps: {
      reviews: {
        get: async () => stored,
        recordReveal: async (...args: unknown[]) => {
          audits.push(args);
          return audited;
        },
      },
      phones: {
        of: async (t: ReviewTaskRecord) => {
          disclosed.push(t.taskId);
          return { of: 'application' as const, id: t.subjectId, phone: '13800138000' };
        },
      },
      clock: { now: () => NOW },
    },
  };
}

describe('revealField', () => {
  it('reads the phone only after the audit entry is written, as a condition of the claim', async () => {
    const refused = revealDeps(task(), false);
    await expect(
      revealField(refused.deps, reviewer, 'APP-1', { field: 'contact.phone' }),
    ).rejects.toMatchObject({
      code: 'CLAIM_REQUIRED',
    });
    expect(refused.audits).toHaveLength(1);
    expect(refused.disclosed).toEqual([]);

    const granted = revealDeps(task(), true);
    await expect(
      revealField(granted.deps, reviewer, 'APP-1', { field: 'contact.phone' }),
    ).resolves.toMatchObject({
      value: '13800138000',
      field: 'contact.phone',
    });
    expect(granted.audits).toEqual([
      ['APP-1', { field: 'contact.phone', by: 'rev-1', at: NOW.toISOString() }, NOW, MAX_REVEALS_PER_TASK],
    ]);
  });

  it('refuses a lapsed or foreign claim before writing anything, and says 429 once the audit is full', async () => {
    for (const stored of [task({ claimedUntil: '2026-12-01T01:59:59.000Z' }), task({ claimedBy: 'rev-2' })]) {
      const { deps, audits, disclosed } = revealDeps(stored, true);
      await expect(revealField(deps, reviewer, 'APP-1', { field: 'contact.phone' })).rejects.toMatchObject({
        code: 'CLAIM_REQUIRED',
      });
      expect([audits, disclosed]).toEqual([[], []]);
    }
    const full = task({
      reveals: Array.from({ length: MAX_REVEALS_PER_TASK }, () => ({
        field: 'contact.phone' as const,
        by: 'rev-1',
        at: NOW.toISOString(),
      })),
    });
    await expect(
      revealField(revealDeps(full, false).deps, reviewer, 'APP-1', { field: 'contact.phone' }),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('reviewStats', () => {
  it('answers the 14 Asia/Shanghai days up to today, oldest first, zeros where no counts exist, and the oldest age per kind', async () => {
    const counters: ReviewCounters = {
      kinds: [
        { kind: 'APPLICATION', pending: 3, escalated: 1, oldestCreatedAt: '2026-12-01T01:00:00.000Z' },
        { kind: 'CHANGE_REQUEST', pending: 0, escalated: 0, oldestCreatedAt: null },
        { kind: 'TERMINAL_TRANSFER', pending: 1, escalated: 0, oldestCreatedAt: '2026-11-30T02:00:00.000Z' },
        { kind: 'RISK_ALERT', pending: 2, escalated: 0, oldestCreatedAt: '2026-12-01T00:00:00.000Z' },
        { kind: 'LIMIT_INCREASE', pending: 0, escalated: 0, oldestCreatedAt: null },
      ],
      days: [
        {
          day: '2026-11-25',
          APPROVE: 4,
          REJECT: 1,
          REQUEST_CHANGES: 0,
          DISMISS: 2,
          SUSPEND_TERMINAL: 0,
          SUSPEND_MERCHANT: 1,
          LOWER_LIMITS: 0,
          escalations: 2,
        },
      ],
    };
    // 02:00 UTC is 10:00 in Shanghai: today is 2026-12-01 there.
    const asked: string[][] = [];
    const answer = await reviewStats(
      {
        stats: {
          read: async (from, to) => {
            asked.push([from, to]);
            return counters;
          },
        },
        clock: { now: () => NOW },
      },
      {},
    );
    expect(asked).toEqual([['2026-11-18', '2026-12-01']]);
    expect(answer.days.map((day) => day.day)).toHaveLength(14);
    expect(answer.days[0]?.day).toBe('2026-11-18');
    expect(answer.days.at(-1)?.day).toBe('2026-12-01');
    expect(answer.days.find((day) => day.day === '2026-11-25')).toEqual({
      day: '2026-11-25',
      decisions: {
        APPROVE: 4,
        REJECT: 1,
        REQUEST_CHANGES: 0,
        DISMISS: 2,
        SUSPEND_TERMINAL: 0,
        SUSPEND_MERCHANT: 1,
        LOWER_LIMITS: 0,
      },
      escalations: 2,
    });
    expect(answer.days.filter((day) => day.escalations > 0)).toHaveLength(1);
    expect(answer).toMatchObject({ pending: 6, escalated: 1 });
    expect(answer.queue.map((kind) => kind.oldestAgeSeconds)).toEqual([3600, null, 86_400, 7200, null]);
  });
});

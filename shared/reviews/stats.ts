import * as z from 'zod/mini';
import { DECISIONS, type Decision } from '../domain/review';
import { validationFailed } from '../errors';
import type { Clock } from '../ports';
import type { ReviewStatsReader } from '../ports/reviews';
import { daysBefore, nextDay, shanghaiDay } from '../retention/policy';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';

/** Days of decisions the supervisor view shows, today included. */
export const STATS_DAYS = 14;

/** The supervisor view takes no query parameters. */
export const statsQuerySchema = /* @__PURE__ */ lazy(() => z.strictObject({}));

/**
 * `GET /v1/reviews/stats` (reviewer): the supervisor view — per kind the pending tasks, how many of
 * them are escalated and the age of the oldest; per Asia/Shanghai day of the last
 * {@link STATS_DAYS} the decisions by decision and the escalations. Read from counters that every
 * write moving a task keeps in its own transaction, so the cost is the same at ten tasks or a
 * million.
 */
export async function reviewStats(
  deps: { readonly stats: ReviewStatsReader; readonly clock: Clock },
  query: Record<string, string>,
) {
  const parsed = z.safeParse(statsQuerySchema(), query);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, 'query', { input: query }));
  const now = deps.clock.now();
  const today = shanghaiDay(now);
  const from = daysBefore(today, STATS_DAYS - 1);
  const counters = await deps.stats.read(from, today);
  const queue = counters.kinds.map((kind) => ({
    ...kind,
    oldestAgeSeconds:
      kind.oldestCreatedAt === null
        ? null
        : Math.max(0, Math.floor((now.getTime() - Date.parse(kind.oldestCreatedAt)) / 1000)),
  }));
  const byDay = new Map(counters.days.map((day) => [day.day, day]));
  const days = [];
  for (let day = from; day <= today; day = nextDay(day)) {
    const counts = byDay.get(day);
    days.push({
      day,
      decisions: Object.fromEntries(
        DECISIONS.map((decision) => [decision, counts?.[decision] ?? 0]),
      ) as Record<Decision, number>,
      escalations: counts?.escalations ?? 0,
    });
  }
  return {
    asOf: now.toISOString(),
    timeZone: 'Asia/Shanghai',
    queue,
    pending: queue.reduce((sum, kind) => sum + kind.pending, 0),
    escalated: queue.reduce((sum, kind) => sum + kind.escalated, 0),
    days,
  };
}

import { notFound, validationFailed } from '../errors';
import { INDEX_SHARDS } from '../keys';
import { logger } from '../logger';
import { dailyCheckMessages } from '../notifications/daily-check-templates';
import {
  type SendOutcome,
  sendOnce,
  throwIfAnyFailed,
  WORKFLOW_SEND_ATTEMPTS,
} from '../notifications/send-once';
import type { DailyRunStore, DailySummary, DailySummaryReader } from '../ports/daily-checks';
import { alertTask, type IngestDeps } from './ingest';
import { effectiveLimits } from './limits';
import { type MerchantNoticeDeps, tellMerchant } from './notify';
import { offHoursHit } from './rules';
import { CARD_TYPES } from './settings';
import { addDays, isDay, monthOf, previousDay } from './transaction';

/*
 * The daily run (spec section 8), fanned out by pages: EventBridge Scheduler starts it at 02:00
 * Asia/Shanghai for the day before (`npm run dev`: `POST /_local/daily-run`); the start puts the
 * first page of each of the 16 shards of the day's activity index on a queue, and each page (one
 * Lambda invocation, ≤ `dailyRunPageSize` merchants) puts the next one. No invocation loops over
 * all merchants, no Scan reads them, and the 16 chains run side by side. Every effect is
 * idempotent: summaries are written whole, the OFF_HOURS alert and the monthly notice have
 * derived ids (at most once per merchant/rule/day, per merchant/card type/month), the next page
 * is claimed once, and the last shard to finish sends the operators' report once per day.
 */

/** One page of the daily run, as queued. */
export interface DailyRunPage {
  readonly day: string;
  readonly shard: number;
  readonly page: number;
  readonly cursor?: string;
  /** Merchants and alerts counted by the earlier pages of this shard. */
  readonly merchants: number;
  readonly alerts: number;
}

/** The queue of the pages (SQS in AWS, the local queue in `npm run dev`). */
export interface PageQueue {
  send(page: DailyRunPage): Promise<void>;
}

/** What the daily run needs. */
export type DailyRunDeps = Omit<IngestDeps, 'store'> &
  MerchantNoticeDeps & {
    readonly store: DailyRunStore;
    readonly queue: PageQueue;
    readonly operatorEmail: string;
  };

/** Starts (or resumes) the run of `day` (default: the Asia/Shanghai day before now). */
export async function startDailyRun(deps: Pick<DailyRunDeps, 'store' | 'queue' | 'clock'>, input: unknown) {
  const requested = (input as { day?: unknown } | null)?.day;
  const day = requested === undefined ? previousDay(deps.clock.now()) : requested;
  if (typeof day !== 'string' || !isDay(day))
    throw validationFailed([
      { field: 'day', code: 'INVALID_FORMAT', message: 'A day is written yyyy-mm-dd, e.g. 2026-12-06' },
    ]);
  const run = await deps.store.startRun(day, deps.clock.now().toISOString());
  if (run.status === 'COMPLETED') return { ...run, alreadyRun: true };
  const pending = Array.from({ length: INDEX_SHARDS }, (_, shard) => shard).filter(
    (shard) => !run.shardsDone.includes(shard),
  );
  // A second start while running queues the first pages again: each page after the first is
  // claimed once, so the chains rejoin and nothing is done twice that is not idempotent.
  await Promise.all(
    pending.map((shard) => deps.queue.send({ day, shard, page: 0, merchants: 0, alerts: 0 })),
  );
  logger.info('daily run started', { day, shards: pending.length });
  return { ...run, alreadyRun: false, shardsQueued: pending.length };
}

function summaryOf(day: string, usage: NonNullable<Awaited<ReturnType<DailyRunStore['day']>>>): DailySummary {
  const cards = {} as DailySummary['cards'];
  for (const card of CARD_TYPES) {
    const figures = usage.cards[card];
    cards[card] = {
      count: figures.count,
      amountFen: figures.fen,
      declines: figures.declines,
      alerts: figures.alerts,
    };
  }
  return { day, cards };
}

/** One merchant of a page: its summary, OFF_HOURS, the monthly notice. Returns its alerts of the day. */
async function checkMerchant(deps: DailyRunDeps, day: string, merchantNo: string): Promise<number> {
  const usage = await deps.store.day(merchantNo, day);
  if (!usage) return 0;
  const offHours = offHoursHit(day, usage, deps.settings);
  if (offHours) {
    const opened = await deps.store.openAlert(
      alertTask(merchantNo, offHours, deps.clock.now(), deps.deadlines),
      day,
      offHours.cardType,
    );
    if (opened) usage.cards[offHours.cardType].alerts += 1;
  }
  await deps.store.putSummary(merchantNo, summaryOf(day, usage), deps.clock.now().toISOString());

  const month = monthOf(`${day}T12:00:00+08:00`);
  const [monthly, profile, stored] = await Promise.all([
    deps.store.month(merchantNo, month),
    deps.store.merchantProfile(merchantNo),
    deps.store.storedLimits(merchantNo),
  ]);
  if (monthly && profile) {
    const limits = effectiveLimits(deps.settings, profile.type, stored);
    const percent = deps.settings.rules.monthlyNoticePercent;
    const outcomes: SendOutcome[] = [];
    for (const card of CARD_TYPES) {
      const used = monthly.cards[card].fen;
      if (used * 100 < percent * limits[card].monthlyFen) continue;
      // Once a month per merchant and card type: the subject is the month's notice itself.
      outcomes.push(
        ...(await tellMerchant(
          deps,
          profile,
          `USAGE-${merchantNo}-${month}-${card}`,
          'MONTHLY_LIMIT_NEAR',
          { merchantNo, cardType: card, usedFen: used, monthlyFen: limits[card].monthlyFen, percent, month },
          WORKFLOW_SEND_ATTEMPTS,
        )),
      );
    }
    throwIfAnyFailed(outcomes);
  }
  return CARD_TYPES.reduce((sum, card) => sum + usage.cards[card].alerts, 0);
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** One page: its merchants, then the next page (claimed once) or the end of the shard. */
export async function runDailyPage(deps: DailyRunDeps, page: DailyRunPage) {
  const { merchantNos, cursor } = await deps.store.activeMerchants(
    page.day,
    page.shard,
    deps.settings.dailyRunPageSize,
    page.cursor,
  );
  let alerts = 0;
  await pool(merchantNos, 8, async (merchantNo) => {
    alerts += await checkMerchant(deps, page.day, merchantNo);
  });
  const merchants = page.merchants + merchantNos.length;
  const totalAlerts = page.alerts + alerts;
  if (cursor !== undefined) {
    if (await deps.store.claimPage(page.day, page.shard, page.page + 1))
      await deps.queue.send({ ...page, page: page.page + 1, cursor, merchants, alerts: totalAlerts });
    return { day: page.day, shard: page.shard, page: page.page, merchants: merchantNos.length, next: true };
  }
  const run = await deps.store.finishShard(page.day, page.shard, merchants, totalAlerts);
  if (run.shardsDone.length === INDEX_SHARDS && run.status === 'RUNNING') await finishRun(deps, page.day);
  return { day: page.day, shard: page.shard, page: page.page, merchants: merchantNos.length, next: false };
}

/** The operators' report (once per day) and the run's end. */
async function finishRun(deps: DailyRunDeps, day: string): Promise<void> {
  const run = await deps.store.getRun(day);
  if (!run) return;
  const dormant = await deps.store.dormantTerminals(day, addDays(day, -deps.settings.rules.dormantDays));
  const outcome = await sendOnce(
    deps,
    {
      subjectId: `DAILY-REPORT-${day}`,
      template: 'DAILY_REPORT',
      channel: 'EMAIL',
      address: deps.operatorEmail,
      maxAttempts: WORKFLOW_SEND_ATTEMPTS,
      // The deployment's own operators' address, never one a merchant gave: no per-address quota.
      quota: 'NONE',
    },
    () =>
      deps.mailer.send({
        to: [deps.operatorEmail],
        ...dailyCheckMessages.email('DAILY_REPORT', 'zh-CN', {
          merchantNo: '',
          day,
          merchants: run.merchants,
          alerts: run.alerts,
          dormant,
        }),
      }),
  );
  throwIfAnyFailed([outcome]);
  await deps.store.completeRun(day, deps.clock.now().toISOString());
  logger.info('daily run completed', {
    day,
    merchants: run.merchants,
    alerts: run.alerts,
    dormant: dormant.length,
  });
}

/** `GET /v1/merchants/{merchantNo}/daily-summaries?from=&to=`: per day and card type, oldest first. */
export async function listDailySummaries(
  deps: Pick<DailyRunDeps, 'clock'> & { readonly store: DailySummaryReader },
  merchantNo: string,
  query: Record<string, string | undefined>,
) {
  const today = previousDay(deps.clock.now());
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -30);
  const problems = [];
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isDay(value))
      problems.push({ field, code: 'INVALID_FORMAT', message: 'A day is written yyyy-mm-dd' });
  }
  const unknown = Object.keys(query).filter((key) => key !== 'from' && key !== 'to');
  for (const field of unknown)
    problems.push({ field, code: 'UNKNOWN_FIELD', message: 'Only from and to are accepted' });
  if (problems.length === 0 && from > to)
    problems.push({ field: 'from', code: 'AFTER_TO', message: 'from must not be after to' });
  if (problems.length === 0 && addDays(from, 366) <= to)
    problems.push({ field: 'from', code: 'RANGE_TOO_LONG', message: 'At most 366 days at a time' });
  if (problems.length > 0) throw validationFailed(problems);
  if (!(await deps.store.merchantProfile(merchantNo))) throw notFound('Merchant');
  return { merchantNo, from, to, items: await deps.store.summaries(merchantNo, from, to) };
}

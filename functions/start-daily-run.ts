import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { pageQueueFromEnv } from '../shared/adapters/sqs-page-queue';
import { dailyRunStore } from '../shared/composition';
import { startDailyRun } from '../shared/daily-checks/daily-run';
import { logger } from '../shared/logger';
import { systemClock } from '../shared/ports';

/**
 * EventBridge Scheduler's target at 02:00 Asia/Shanghai (input `{}`: the day before; `{"day"}` to
 * run a given day): queues the first page of each shard of the day's activity index.
 */
export const makeHandler = (deps: Parameters<typeof startDailyRun>[0]) =>
  middy<{ day?: string }, Awaited<ReturnType<typeof startDailyRun>>, Error, Context>({
    timeoutEarlyInMillis: 0,
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => startDailyRun(deps, event ?? {}));

export const handler = makeHandler({
  store: dailyRunStore(),
  queue: pageQueueFromEnv(),
  clock: systemClock,
});

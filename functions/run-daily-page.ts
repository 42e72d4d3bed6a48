import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { pageQueueFromEnv } from '../shared/adapters/sqs-page-queue';
import { dailyRunStore, messagingAdapters } from '../shared/composition';
import { readOperatorEmail } from '../shared/config/env';
import { dailyCheckDeps } from '../shared/daily-checks/composition';
import { type DailyRunDeps, type DailyRunPage, runDailyPage } from '../shared/daily-checks/daily-run';
import { logger } from '../shared/logger';

/**
 * One page of the daily run per SQS message. A page that fails is reported (partial batch
 * response) and comes back after the visibility timeout; after 5 receives it goes to the queue's
 * dead-letter queue (alarmed). Every effect of a page is idempotent, so a page done twice is harmless.
 */
export const makeHandler = (deps: DailyRunDeps) =>
  middy<SQSEvent, SQSBatchResponse, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records ?? []) {
        let page: DailyRunPage;
        try {
          page = JSON.parse(record.body) as DailyRunPage;
        } catch {
          logger.error('daily run page is not JSON; dropped', { messageId: record.messageId });
          continue;
        }
        try {
          await runDailyPage(deps, page);
        } catch (error) {
          logger.error('daily run page failed; it comes back', {
            messageId: record.messageId,
            errorName: (error as Error).name,
            // AWS error messages name the operation and the attribute, never a value of ours.
            errorMessage: (error as Error).message.slice(0, 300),
          });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    });

export const handler = makeHandler({
  ...messagingAdapters(),
  ...dailyCheckDeps(dailyRunStore()),
  queue: pageQueueFromEnv(),
  operatorEmail: readOperatorEmail(),
});

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { keyedHasherFromEnv } from '../shared/adapters/keyed-hasher';
import { suppressionList } from '../shared/composition';
import { logger } from '../shared/logger';
import {
  type EmailEventDeps,
  type EmailEventOutcome,
  recordEmailEvent,
} from '../shared/notifications/email-events';
import { systemClock } from '../shared/ports';

/**
 * SNS subscriber of the SES configuration set's event destination (BOUNCE, COMPLAINT): records
 * bounced and complaining addresses as suppressed. A message that is not JSON is logged and
 * skipped — redelivering it would never make it readable; a DynamoDB or KMS error is thrown, so
 * Lambda retries the event (and the function's error alarm fires if that keeps failing). A middy
 * handler like every other: Powertools' `injectLambdaContext` puts the function's context on its
 * log lines.
 */
export const makeHandler = (deps: EmailEventDeps) =>
  middy<SNSEvent, { outcomes: EmailEventOutcome[] }, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const outcomes: EmailEventOutcome[] = [];
      for (const record of event.Records ?? []) {
        let message: unknown;
        try {
          message = JSON.parse(record.Sns.Message);
        } catch {
          logger.warn('email event is not JSON; skipped', { snsMessageId: record.Sns.MessageId });
          continue;
        }
        outcomes.push(await recordEmailEvent(deps, message));
      }
      return { outcomes };
    });

export const handler = makeHandler({
  suppressions: suppressionList(),
  hasher: keyedHasherFromEnv(),
  clock: systemClock,
});

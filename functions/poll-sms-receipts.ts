import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { smsReceiptSourceFromEnv } from '../shared/adapters/sms-sender';
import { deliveryReceipts } from '../shared/composition';
import { logger } from '../shared/logger';
import {
  recordSmsReceipts,
  type SmsReceiptDeps,
  type SmsReceiptOutcome,
} from '../shared/notifications/sms-receipts';

/** Batches per run: five pulls of at most 100 receipts fit the function's timeout with room to spare. */
const MAX_BATCHES = 5;

/**
 * Run every minute where the SMS provider reports delivery receipts on request (the China
 * profile's mainland provider): records each receipt on its send record. A failure is thrown, and
 * the receipts not pulled yet wait for the next run (the provider keeps them).
 */
export const makeHandler = (deps: SmsReceiptDeps) =>
  middy<unknown, SmsReceiptOutcome, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(() => recordSmsReceipts(deps, { maxBatches: MAX_BATCHES }));

export const handler = makeHandler({ source: smsReceiptSourceFromEnv(), receipts: deliveryReceipts() });

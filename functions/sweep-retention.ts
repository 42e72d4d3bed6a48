import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { DynamoRetentionStore } from '../shared/adapters/dynamodb-retention';
import { documentEraserFromEnv } from '../shared/adapters/s3-document-eraser';
import { sharedTable } from '../shared/composition';
import { readDeadlines, readRetentionSeconds } from '../shared/config/env';
import { logger } from '../shared/logger';
import { systemClock } from '../shared/ports';
import { type RetentionDeps, sweepRetention } from '../shared/retention/sweeper';

/** The sweep's adapters and periods, built once per cold start. */
export function makeDeps(): RetentionDeps {
  return {
    retention: new DynamoRetentionStore(sharedTable()),
    documents: documentEraserFromEnv(),
    clock: systemClock,
    periods: { retentionSeconds: readRetentionSeconds(), draftTtlSeconds: readDeadlines().draftTtlSeconds },
  };
}

/**
 * The scheduled retention sweep (EventBridge, daily; `POST /_local/retention-run` locally) as a
 * middy handler. The event carries nothing the sweep uses: it always works from the real clock,
 * so no invocation can make it erase early.
 */
export function makeHandler(deps: RetentionDeps) {
  return middy<unknown, unknown, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(() => sweepRetention(deps));
}

export const handler = makeHandler(makeDeps());

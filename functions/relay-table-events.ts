import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventPublisherFromEnv } from '../shared/adapters/eventbridge-publisher';
import { relayBatch } from '../shared/events/relay-batch';
import { logger } from '../shared/logger';
import type { EventPublisher } from '../shared/ports/events';

/**
 * The table's change stream (records of the families with event mappers) → domain events on the
 * EventBridge bus, with partial batch failures.
 */
export const makeHandler = (deps: { publisher: EventPublisher }) =>
  middy<DynamoDBStreamEvent, DynamoDBBatchResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => relayBatch(deps, event.Records));

export const handler = makeHandler({ publisher: eventPublisherFromEnv() });

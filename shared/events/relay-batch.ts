import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { logger } from '../logger';
import type { EventPublisher } from '../ports/events';
import { eventsOfRecord } from './relay';
import type { DomainEvent } from './types';

/**
 * One batch of the table's stream: the events of its records, in order, on the bus. If the bus
 * refuses some, the batch reports the first record not fully published, so the stream hands that
 * record and the following ones again (their events keep their ids: receivers deduplicate).
 * Nothing of an image is logged: images hold personal data.
 */
export async function relayBatch(
  deps: { readonly publisher: EventPublisher },
  records: readonly DynamoDBRecord[],
): Promise<DynamoDBBatchResponse> {
  const events: DomainEvent[] = [];
  const recordOf: number[] = [];
  records.forEach((record, index) => {
    for (const event of eventsOfRecord(record)) {
      events.push(event);
      recordOf.push(index);
    }
  });
  if (events.length === 0) return { batchItemFailures: [] };
  const accepted = await deps.publisher.publish(events);
  if (accepted >= events.length) {
    logger.info('events published', {
      events: events.length,
      types: [...new Set(events.map((e) => e.type))],
    });
    return { batchItemFailures: [] };
  }
  const failed = records[recordOf[accepted] ?? 0];
  logger.warn('the bus refused events; the stream will hand the records again', {
    published: accepted,
    events: events.length,
  });
  const sequenceNumber = failed?.dynamodb?.SequenceNumber;
  return { batchItemFailures: sequenceNumber ? [{ itemIdentifier: sequenceNumber }] : [] };
}

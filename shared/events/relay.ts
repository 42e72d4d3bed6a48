import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { familyOfKey, KEY_FAMILIES, TABLE_SCHEMA } from '../keys';
import { EVENT_MAPPERS, relayedFamilies } from './mappers';
import type { DomainEvent, ItemChange } from './types';

/*
 * From one record of the table's change stream to the domain events it means: the record's
 * images, its family's mappers, a stable id and the time of the change. Pure, so the relay
 * function (AWS) and `npm run dev` (DynamoDB Local's stream) run the same code.
 */

/** The `source` of every domain event on the bus. */
export const EVENT_SOURCE = 'pos.onboarding';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `value` in `length` Crockford base32 digits (most significant first). */
function base32(value: bigint, length: number): string {
  let text = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    text = CROCKFORD.charAt(Number(rest & 31n)) + text;
    rest >>= 5n;
  }
  return text;
}

/**
 * The id of the `index`-th event of a stream record: spelled like a ULID (26 characters), its
 * first 10 the time of the change (so ids sort by time), the other 16 a hash of the record's own
 * id. The stream may deliver a record more than once; its events keep their ids, which is what a
 * webhook receiver deduplicates on (`Webhook-Id`).
 */
export function eventIdOf(streamRecordId: string, index: number, changedAt: Date): string {
  const hash = createHash('sha256').update(`${streamRecordId}#${index}`).digest('hex').slice(0, 20);
  return base32(BigInt(changedAt.getTime()), 10) + base32(BigInt(`0x${hash}`), 16);
}

/** When the record's change happened: the stream's approximate creation time (seconds, or ms). */
function changedAtOf(record: DynamoDBRecord): Date {
  const approximate = record.dynamodb?.ApproximateCreationDateTime;
  if (approximate === undefined) return new Date();
  // DynamoDB Streams gives epoch seconds; values past year 2200 in seconds are milliseconds.
  return new Date(approximate > 7_258_118_400 ? approximate : approximate * 1000);
}

/** The images of a record, unmarshalled (`undefined` where the record has none). */
function imageOf(image: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return image === undefined ? undefined : unmarshall(image as Record<string, AttributeValue>);
}

/** The item change a stream record reports, or `undefined` for an item of no mapped family. */
export function itemChangeOf(record: DynamoDBRecord): ItemChange | undefined {
  const key = record.dynamodb?.Keys?.[TABLE_SCHEMA.partitionKey]?.S;
  const family = key === undefined ? undefined : familyOfKey(key);
  if (family === undefined || EVENT_MAPPERS[family].length === 0) return undefined;
  return {
    family,
    oldImage: imageOf(record.dynamodb?.OldImage),
    newImage: imageOf(record.dynamodb?.NewImage),
  };
}

/** The domain events one stream record means (usually none). */
export function eventsOfRecord(record: DynamoDBRecord): DomainEvent[] {
  const change = itemChangeOf(record);
  if (change === undefined) return [];
  const changedAt = changedAtOf(record);
  const createdAt = changedAt.toISOString();
  const recordId = record.eventID ?? record.dynamodb?.SequenceNumber ?? '';
  return EVENT_MAPPERS[change.family]
    .flatMap((mapper) => mapper(change))
    .map((event, index) => ({ id: eventIdOf(recordId, index, changedAt), createdAt, ...event }));
}

/**
 * The event source mapping's filter: only records whose partition key starts with the prefix of a
 * family with mappers (others would invoke the relay for nothing). One pattern per family.
 */
export function streamFilterPatterns(): string[] {
  return relayedFamilies().map((family) =>
    JSON.stringify({
      dynamodb: { Keys: { [TABLE_SCHEMA.partitionKey]: { S: [{ prefix: KEY_FAMILIES[family] }] } } },
    }),
  );
}

/** Whether a stream record passes {@link streamFilterPatterns} (the local stream poller's filter). */
export function passesStreamFilter(record: DynamoDBRecord): boolean {
  const key = record.dynamodb?.Keys?.[TABLE_SCHEMA.partitionKey]?.S;
  return key !== undefined && relayedFamilies().some((family) => key.startsWith(KEY_FAMILIES[family]));
}

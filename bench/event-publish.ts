import type { IntegrationParts } from '../local/stack';
import { EVENT_SOURCE } from '../shared/events/relay';
import type { DomainEvent } from '../shared/events/types';
import { DELIVER_WEBHOOKS, RELAY_TABLE_EVENTS } from '../shared/manifest/integration';
import { capacityOf, type FunctionCapacity } from './capacity';
import {
  ASSUMED_LAMBDA,
  type CostBreakdown,
  type PublishUsage,
  perThousand,
  publishCostOf,
  relayBilledMs,
} from './prices';
import { type FigureInput, formatNumber } from './report';

/*
 * What publishing domain events adds to an onboarding (part of the cost part of `npm run bench`),
 * counted on the real local path: DynamoDB Local's change stream, polled by the local stack, the
 * relay function (functions/relay-table-events.ts) invoked with each batch, PutEvents on the local
 * bus. Webhook delivery (the bus rule's queue and the delivery function) is left out: what it
 * costs depends on how many endpoints an acquirer registers, not on publishing.
 */

/** Issue target: publishing adds at most this many write units per state change. */
export const PUBLISH_WRITE_UNITS_MAX = 1;
/** Issue target: publishing adds at most this share (%) to the cost per 1,000 onboardings. */
export const PUBLISH_SHARE_MAX_PERCENT = 5;

/** EventBridge bills each started 64 KB of a PutEvents entry as one event. */
const EVENT_CHUNK_BYTES = 64 * 1024;
/** PutEvents counts a `Time` field as 14 bytes in an entry's size. */
const TIME_BYTES = 14;

/**
 * Waits until every change committed to the table before the call has been handed to the relay
 * and its events put on the bus: the stream's polls run one after the other, so the second poll
 * to finish after the call started after it and read every shard to its end.
 */
export async function allRelayed(stream: IntegrationParts['stream'], timeoutMs = 60_000): Promise<void> {
  const target = stream.pollsFinished + 2;
  const deadline = Date.now() + timeoutMs;
  while (stream.pollsFinished < target) {
    if (Date.now() > deadline) throw new Error('the table stream was not read to its end in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The publishing counters of a local stack at one moment. */
export interface PublishCounters {
  readonly putEntries: number;
  readonly relayInvocations: number;
  readonly relayMs: number;
  readonly relayedRecords: number;
  /** DynamoDB requests and units of the relay function's invocations. */
  readonly relay: FunctionCapacity;
  /** The same for the webhook delivery function (left out of publishing, taken out of the onboarding). */
  readonly delivery: FunctionCapacity;
}

/** Reads the counters (call {@link allRelayed} first). */
export function publishCounters(parts: IntegrationParts): PublishCounters {
  return {
    putEntries: parts.bus.put,
    relayInvocations: parts.stream.invocations,
    relayMs: parts.stream.invocationMs,
    relayedRecords: parts.stream.relayedRecords,
    relay: capacityOf(RELAY_TABLE_EVENTS.name),
    delivery: capacityOf(DELIVER_WEBHOOKS.name),
  };
}

/** What publishing did between two readings of the counters. */
export interface PublishObserved {
  /** The domain events the local bus received, oldest first. */
  readonly events: readonly DomainEvent[];
  readonly putEntries: number;
  readonly relayInvocations: number;
  /** Time spent in relay invocations (ms, summed). */
  readonly relayMs: number;
  /** Stream records the filter passed to the relay. */
  readonly relayedRecords: number;
  readonly relay: FunctionCapacity;
  readonly delivery: FunctionCapacity;
}

function capacityDifference(after: FunctionCapacity, before: FunctionCapacity): FunctionCapacity {
  return {
    requests: after.requests - before.requests,
    reads: after.reads - before.reads,
    readUnits: after.readUnits - before.readUnits,
    writes: after.writes - before.writes,
    writeUnits: after.writeUnits - before.writeUnits,
  };
}

/** The differences since `before`, with the events the bus received meanwhile (call {@link allRelayed} first). */
export function publishObserved(parts: IntegrationParts, before: PublishCounters): PublishObserved {
  const after = publishCounters(parts);
  const putEntries = after.putEntries - before.putEntries;
  // Only the relay puts entries on the bus, and the bus keeps the last 1,000 of them.
  const kept = parts.bus.events();
  if (putEntries > kept.length) throw new Error(`the bus kept ${kept.length} of ${putEntries} events`);
  return {
    events: kept.slice(kept.length - putEntries),
    putEntries,
    relayInvocations: after.relayInvocations - before.relayInvocations,
    relayMs: after.relayMs - before.relayMs,
    relayedRecords: after.relayedRecords - before.relayedRecords,
    relay: capacityDifference(after.relay, before.relay),
    delivery: capacityDifference(after.delivery, before.delivery),
  };
}

/** Bytes of the PutEvents entry the relay's publisher builds for an event (as EventBridge sizes it). */
function entryBytes(event: DomainEvent): number {
  return (
    TIME_BYTES +
    Buffer.byteLength(EVENT_SOURCE) +
    Buffer.byteLength(event.type) +
    Buffer.byteLength(JSON.stringify(event))
  );
}

/** The priced usage of what was observed. */
export function publishUsageOf(observed: PublishObserved): PublishUsage {
  return {
    relayInvocations: observed.relayInvocations,
    relayMeanMs: observed.relayInvocations > 0 ? observed.relayMs / observed.relayInvocations : 0,
    busEvents: observed.events.reduce(
      (sum, event) => sum + Math.ceil(entryBytes(event) / EVENT_CHUNK_BYTES),
      0,
    ),
    dynamoReadUnits: observed.relay.readUnits,
    dynamoWriteUnits: observed.relay.writeUnits,
  };
}

/** `{type: count}` of the events, in order of first appearance. */
export function countByType(events: readonly DomainEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) counts[event.type] = (counts[event.type] ?? 0) + 1;
  return counts;
}

/**
 * The figures of publishing for one scenario: two judged (write units per state change, share of
 * the cost per 1,000 onboardings), the counts behind them reported. Each event is one state change
 * (spec 9: every state change is published once).
 */
export function publishFigures(
  label: string,
  observed: PublishObserved,
  onboarding: CostBreakdown,
): FigureInput[] {
  const usage = publishUsageOf(observed);
  const cost = publishCostOf(usage);
  const stateChanges = observed.events.length;
  const byType = countByType(observed.events);
  const typesText = Object.entries(byType)
    .map(([type, count]) => `${type} ${count}`)
    .join(', ');
  const section = 'cost' as const;
  const name = (what: string) => `${label} · event publish: ${what}`;
  const info = (what: string, value: number, unit: string, why: string): FigureInput => ({
    section,
    name: name(what),
    value,
    unit,
    target: { kind: 'none' },
    why,
  });
  const billedMs = relayBilledMs(usage);
  // The same at the relay's measured duration alone (Lambda bills by the millisecond).
  const measuredCost = publishCostOf(usage, { minimumBilledMs: 1 });
  const usd = (value: number) => perThousand(value).toFixed(4);
  const dollars = `USD per 1,000: relay Lambda ${usd(cost.lambda)}, EventBridge ${usd(cost.eventBridge)}, DynamoDB ${usd(cost.dynamodb)}; stream reads by the Lambda trigger are free`;
  const share = (of: number, amount = cost.total) => (of > 0 ? (100 * amount) / of : Number.NaN);
  const atMeasured = (of: number) =>
    `${formatNumber(share(of, measuredCost.total))} % with the relay priced at its measured ${Math.ceil(usage.relayMeanMs)} ms instead of ${billedMs} ms`;
  const batches = `${observed.relayInvocations} relay invocations for ${stateChanges} events: the stream filter passes every change of an item of a family with events, most of which change no state`;
  return [
    {
      section,
      name: name('write units per state change'),
      // No state change seen is a failed measurement, not a pass.
      value: stateChanges > 0 ? usage.dynamoWriteUnits / stateChanges : Number.NaN,
      unit: 'WRU',
      target: { kind: 'value-max', max: PUBLISH_WRITE_UNITS_MAX, unit: 'WRU' },
      why: `${usage.dynamoWriteUnits} WRU over ${stateChanges} state changes: the relay made ${observed.relay.requests} DynamoDB requests (it reads the stream, which costs no table unit)`,
      details: { relayCapacity: observed.relay },
    },
    {
      section,
      name: name('share of the cost per 1,000 onboardings'),
      value: share(onboarding.total),
      unit: '%',
      target: { kind: 'value-max', max: PUBLISH_SHARE_MAX_PERCENT, unit: '%' },
      why: `${perThousand(cost.total).toFixed(4)} USD over ${perThousand(onboarding.total).toFixed(2)} USD per 1,000 onboardings (${atMeasured(onboarding.total)}); ${dollars}`,
      details: {
        usage,
        perThousand: Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, perThousand(v)])),
      },
    },
    info(
      'share of the cost without email and SMS',
      share(onboarding.withoutMessages),
      '%',
      `${perThousand(cost.total).toFixed(4)} USD over ${perThousand(onboarding.withoutMessages).toFixed(3)} USD per 1,000 onboardings without email and SMS (${atMeasured(onboarding.withoutMessages)}); ${batches}`,
    ),
    info('USD per 1,000 onboardings', perThousand(cost.total), 'USD', dollars),
    info('domain events (state changes)', stateChanges, '', typesText || 'none'),
    info(
      'relay invocations (batches)',
      observed.relayInvocations,
      '',
      `${observed.relayedRecords} stream records passed the filter; ${usage.relayMeanMs.toFixed(1)} ms per invocation locally, priced at ${billedMs} ms × ${ASSUMED_LAMBDA.memoryMb} MB`,
    ),
    info(
      'PutEvents entries',
      observed.putEntries,
      '',
      `${usage.busEvents} billed EventBridge events (one per started 64 KB of an entry)`,
    ),
  ];
}

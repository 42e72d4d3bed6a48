import { describe, expect, it } from 'vitest';
import { type PublishObserved, publishFigures, publishUsageOf } from '../../../bench/event-publish';
import { costOf, PRICES, publishCostOf, type UsageCounts } from '../../../bench/prices';
import { judge } from '../../../bench/report';
import type { DomainEvent } from '../../../shared/events/types';

const noCapacity = { requests: 0, reads: 0, readUnits: 0, writes: 0, writeUnits: 0 };

const event = (type: DomainEvent['type'], index: number): DomainEvent => ({
  id: `01J${String(index).padStart(23, '0')}`,
  type,
  createdAt: '2026-01-01T00:00:00.000Z',
  data: { applicationId: 'APP1', status: 'SUBMITTED' },
});

const observed = (overrides: Partial<PublishObserved> = {}): PublishObserved => ({
  events: [event('application.submitted', 1), event('application.approved', 2), event('terminal.bound', 3)],
  putEntries: 3,
  relayInvocations: 10,
  relayMs: 70,
  relayedRecords: 15,
  relay: noCapacity,
  delivery: noCapacity,
  ...overrides,
});

const onboarding: UsageCounts = {
  stateTransitions: 4,
  apiRequests: 12,
  taskInvocations: 4,
  dynamoReadUnits: 30,
  dynamoWriteUnits: 80,
  s3PutRequests: 4,
  s3GetRequests: 12,
  emails: 3,
  smsParts: 3,
};

describe('bench event publish prices', () => {
  it('prices EventBridge custom events at USD 1.00 per million and the relay like the other invocations', () => {
    const cost = publishCostOf({
      relayInvocations: 1,
      relayMeanMs: 7,
      busEvents: 1_000_000,
      dynamoReadUnits: 0,
      dynamoWriteUnits: 0,
    });
    expect(cost.eventBridge).toBeCloseTo(1, 9);
    // A relay faster than the assumed 100 ms is priced at 100 ms × 512 MB, like every invocation.
    expect(cost.lambda).toBeCloseTo(PRICES.lambdaRequest + 0.05 * PRICES.lambdaArmGbSecond, 12);
    expect(cost.total).toBeCloseTo(cost.lambda + cost.eventBridge, 12);
  });

  it('prices a slower relay at its measured duration, and at it alone when asked', () => {
    const usage = {
      relayInvocations: 2,
      relayMeanMs: 250.2,
      busEvents: 0,
      dynamoReadUnits: 0,
      dynamoWriteUnits: 0,
    };
    expect(publishCostOf(usage).lambda).toBeCloseTo(
      2 * (PRICES.lambdaRequest + 0.251 * 0.5 * PRICES.lambdaArmGbSecond),
      12,
    );
    const fast = { ...usage, relayMeanMs: 6.2 };
    expect(publishCostOf(fast, { minimumBilledMs: 1 }).lambda).toBeCloseTo(
      2 * (PRICES.lambdaRequest + 0.007 * 0.5 * PRICES.lambdaArmGbSecond),
      12,
    );
  });

  it('prices the table units the relay itself uses', () => {
    const cost = publishCostOf({
      relayInvocations: 0,
      relayMeanMs: 0,
      busEvents: 0,
      dynamoReadUnits: 1_000_000,
      dynamoWriteUnits: 1_000_000,
    });
    expect(cost.dynamodb).toBeCloseTo(0.625 + 0.125, 9);
  });

  it('bills one event per started 64 KB of an entry and the relay’s own units', () => {
    const big = { ...event('application.approved', 4), data: { note: 'x'.repeat(70_000) } };
    const usage = publishUsageOf(
      observed({
        events: [event('application.submitted', 1), big],
        relay: { ...noCapacity, requests: 1, writes: 1, writeUnits: 2 },
      }),
    );
    expect(usage.busEvents).toBe(3);
    expect(usage.relayMeanMs).toBe(7);
    expect(usage.dynamoWriteUnits).toBe(2);
  });
});

describe('bench event publish figures', () => {
  const byName = (figures: ReturnType<typeof publishFigures>, suffix: string) => {
    const figure = figures.find((candidate) => candidate.name.endsWith(suffix));
    if (!figure) throw new Error(`no figure ${suffix}`);
    return judge(figure);
  };

  it('judges write units per state change against 1 and the share of the cost against 5 %', () => {
    const figures = publishFigures('happy path', observed(), costOf(onboarding));
    const writes = byName(figures, 'event publish: write units per state change');
    expect(writes.value).toBe(0);
    expect(writes.pass).toBe(true);
    const share = byName(figures, 'event publish: share of the cost per 1,000 onboardings');
    const expected = (100 * publishCostOf(publishUsageOf(observed())).total) / costOf(onboarding).total;
    expect(share.value).toBeCloseTo(expected, 9);
    expect(share.pass).toBe(true);
    expect(byName(figures, 'event publish: domain events (state changes)').why).toBe(
      'application.submitted 1, application.approved 1, terminal.bound 1',
    );
  });

  it('fails a relay that writes more than a unit per state change, and a run that saw no event', () => {
    const writing = publishFigures(
      'happy path',
      observed({ relay: { ...noCapacity, requests: 3, writes: 3, writeUnits: 6 } }),
      costOf(onboarding),
    );
    expect(byName(writing, 'write units per state change').value).toBe(2);
    expect(byName(writing, 'write units per state change').pass).toBe(false);
    const silent = publishFigures('happy path', observed({ events: [], putEntries: 0 }), costOf(onboarding));
    expect(byName(silent, 'write units per state change').pass).toBe(false);
  });

  it('fails a publishing cost above 5 % of the onboarding', () => {
    const cheap = costOf({ ...none(), stateTransitions: 1 });
    const figures = publishFigures('happy path', observed(), cheap);
    expect(byName(figures, 'share of the cost per 1,000 onboardings').pass).toBe(false);
  });
});

function none(): UsageCounts {
  return {
    stateTransitions: 0,
    apiRequests: 0,
    taskInvocations: 0,
    dynamoReadUnits: 0,
    dynamoWriteUnits: 0,
    s3PutRequests: 0,
    s3GetRequests: 0,
    emails: 0,
    smsParts: 0,
  };
}

import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { EVENT_MAPPERS, relayedFamilies } from '../../../shared/events/mappers';
import {
  eventIdOf,
  eventsOfRecord,
  passesStreamFilter,
  streamFilterPatterns,
} from '../../../shared/events/relay';
import { relayBatch } from '../../../shared/events/relay-batch';
import { DOMAIN_EVENT_TYPES, type DomainEvent } from '../../../shared/events/types';
import * as keys from '../../../shared/keys';

/*
 * Item changes → domain events: one event per state change, ids stable per stream record, only ids
 * and statuses in the data, and a batch the bus refuses in part handed again from the first record
 * not fully published.
 */

let sequence = 0;

function record(
  key: { pk: string; sk: string },
  oldImage: Record<string, unknown> | undefined,
  newImage: Record<string, unknown> | undefined,
): DynamoDBRecord {
  sequence += 1;
  const image = (value: Record<string, unknown> | undefined) =>
    value === undefined
      ? undefined
      : (marshall({ ...key, ...value }, { removeUndefinedValues: true }) as never);
  return {
    eventID: `record-${sequence}`,
    eventName: newImage === undefined ? 'REMOVE' : oldImage === undefined ? 'INSERT' : 'MODIFY',
    dynamodb: {
      ApproximateCreationDateTime: 1_795_165_200,
      Keys: marshall(key) as never,
      SequenceNumber: String(sequence).padStart(21, '0'),
      ...(image(oldImage) ? { OldImage: image(oldImage) } : {}),
      ...(image(newImage) ? { NewImage: image(newImage) } : {}),
    },
  };
}

const PII = {
  body: { legalPerson: { idNumber: '11010519491231002X', phone: '13800138000' } },
  contact: { email: 'zhangsan@example.com' },
};

describe('event mappers', () => {
  it('publishes one event per application state entered, none for other writes', () => {
    const key = keys.application('A1');
    const at = (status: string, extra: Record<string, unknown> = {}) => ({
      applicationId: 'A1',
      status,
      ...PII,
      ...extra,
    });
    expect(eventsOfRecord(record(key, undefined, at('DRAFT')))).toEqual([]);
    expect(eventsOfRecord(record(key, at('DRAFT'), at('DRAFT', { revision: 2 })))).toEqual([]);
    const [submitted] = eventsOfRecord(record(key, at('DRAFT'), at('SUBMITTED')));
    expect(submitted).toMatchObject({
      type: 'application.submitted',
      createdAt: '2026-11-20T09:00:00.000Z',
      data: { applicationId: 'A1', status: 'SUBMITTED', previousStatus: 'DRAFT' },
    });
    const approved = eventsOfRecord(
      record(
        key,
        at('PENDING_REVIEW'),
        at('APPROVED', { merchantNo: '102110154110007', terminalId: '00000042' }),
      ),
    );
    expect(approved.map((event) => event.data)).toEqual([
      {
        applicationId: 'A1',
        status: 'APPROVED',
        previousStatus: 'PENDING_REVIEW',
        merchantNo: '102110154110007',
        terminalId: '00000042',
      },
    ]);
    for (const [from, to, type] of [
      ['PENDING_REVIEW', 'NEEDS_CHANGES', 'application.needs_changes'],
      ['PENDING_REVIEW', 'REJECTED', 'application.rejected'],
      ['NEEDS_CHANGES', 'EXPIRED', 'application.expired'],
      ['DRAFT', 'WITHDRAWN', 'application.withdrawn'],
    ] as const)
      expect(eventsOfRecord(record(key, at(from), at(to))).map((event) => event.type)).toEqual([type]);
    expect(JSON.stringify(approved)).not.toMatch(/11010519491231002X|13800138000|zhangsan/);
  });

  it('tells bindings, unbindings, transfers and activation of a terminal apart', () => {
    const key = keys.terminal('SN1');
    const types = (oldImage?: Record<string, unknown>, newImage?: Record<string, unknown>) =>
      eventsOfRecord(record(key, oldImage, newImage)).map((event) => [event.type, event.data.merchantNo]);
    const stock = { serialNumber: 'SN1', status: 'IN_STOCK' };
    const bound = (merchantNo: string, status = 'BOUND') => ({
      serialNumber: 'SN1',
      status,
      merchantNo,
      terminalId: '1',
    });
    expect(types(undefined, stock)).toEqual([]);
    expect(types(stock, bound('M1'))).toEqual([['terminal.bound', 'M1']]);
    expect(types(bound('M1'), bound('M1', 'ACTIVATED'))).toEqual([['terminal.activated', 'M1']]);
    expect(types(bound('M1', 'ACTIVATED'), bound('M1', 'VERIFIED'))).toEqual([]);
    expect(types(bound('M1', 'VERIFIED'), stock)).toEqual([['terminal.unbound', 'M1']]);
    expect(types(bound('M1', 'VERIFIED'), bound('M2'))).toEqual([
      ['terminal.unbound', 'M1'],
      ['terminal.bound', 'M2'],
    ]);
    // History entries of the same partition publish nothing.
    expect(
      eventsOfRecord(record(keys.terminalHistory('SN1', 'x', 'e'), undefined, { action: 'BOUND' })),
    ).toEqual([]);
  });

  it('maps merchants, transfers and change requests, and skips items of families without mappers', () => {
    const merchant = keys.merchant('M1');
    expect(
      eventsOfRecord(
        record(
          merchant,
          { merchantNo: 'M1', status: 'PENDING_ACTIVATION' },
          { merchantNo: 'M1', status: 'ACTIVE' },
        ),
      )[0]?.type,
    ).toBe('merchant.activated');
    expect(
      eventsOfRecord(
        record(merchant, { merchantNo: 'M1', status: 'ACTIVE' }, { merchantNo: 'M1', status: 'SUSPENDED' }),
      )[0]?.type,
    ).toBe('merchant.suspended');
    expect(eventsOfRecord(record(keys.merchantVersion('M1', 2), undefined, { status: 'ACTIVE' }))).toEqual(
      [],
    );
    const transfer = eventsOfRecord(
      record(
        keys.transferRequest('X1'),
        { status: 'PENDING_REVIEW' },
        {
          transferRequestId: 'X1',
          status: 'COMPLETED',
          serialNumber: 'SN1',
          fromMerchantNo: 'M1',
          toMerchantNo: 'M2',
          toTerminalId: '00000043',
        },
      ),
    );
    expect(transfer[0]).toMatchObject({
      type: 'transfer.completed',
      data: { terminalId: '00000043', toMerchantNo: 'M2' },
    });
    const change = (status: string) => ({
      changeRequestId: 'C1',
      merchantNo: 'M1',
      status,
      fields: ['contact.phone'],
      appliedVersion: 2,
    });
    expect(
      eventsOfRecord(record(keys.changeRequest('C1'), change('PENDING_REVIEW'), change('APPLIED')))[0],
    ).toMatchObject({
      type: 'change_request.applied',
      data: { fields: 'contact.phone', appliedVersion: 2 },
    });
    for (const status of ['REJECTED', 'STALE'])
      expect(
        eventsOfRecord(record(keys.changeRequest('C1'), change('PENDING_REVIEW'), change(status)))[0]?.type,
      ).toBe(`change_request.${status.toLowerCase()}`);
    expect(
      eventsOfRecord(record(keys.sendRecord('A1', 'RECEIVED', 'SMS'), undefined, { status: 'SENT' })),
    ).toEqual([]);
  });

  it('publishes agreement.signed with the plan it puts in force, nothing for a version waiting, superseded, the head or a fee plan', () => {
    const version = (status: string) => ({
      agreementId: 'AGR-M1-2',
      merchantNo: 'M1',
      version: 2,
      status,
      settlementCycle: 'T1',
      feePlan: { code: 'RETAIL-STD', version: 3, name: '标准零售', rates: {}, t0SurchargeBps: 0 },
      signature: { sourceIp: '203.0.113.7', userAgent: 'Mobile Safari', sha256: 'ab' },
    });
    const key = keys.agreementVersion('M1', 2);
    const [signed, ...more] = eventsOfRecord(record(key, version('AWAITING_SIGNATURE'), version('SIGNED')));
    expect(more).toEqual([]);
    expect(signed).toMatchObject({
      type: 'agreement.signed',
      data: {
        merchantNo: 'M1',
        agreementId: 'AGR-M1-2',
        version: 2,
        feePlanCode: 'RETAIL-STD',
        feePlanVersion: 3,
        settlementCycle: 'T1',
        status: 'SIGNED',
      },
    });
    // The signature's evidence (address, browser) is no event data.
    expect(JSON.stringify(signed)).not.toMatch(/203\.0\.113|Safari/);
    expect(eventsOfRecord(record(key, undefined, version('AWAITING_SIGNATURE')))).toEqual([]);
    expect(eventsOfRecord(record(key, version('SIGNED'), version('SUPERSEDED')))).toEqual([]);
    expect(
      eventsOfRecord(
        record(keys.agreementHead('M1'), { status: 'X' }, { status: 'SIGNED', signedVersion: 2 }),
      ),
    ).toEqual([]);
    expect(
      eventsOfRecord(record(keys.feePlanCurrent('RETAIL-STD'), { status: 'ACTIVE' }, { status: 'RETIRED' })),
    ).toEqual([]);
  });

  it('publishes nothing for verified contacts, sign-ins, codes, quotas, waits, replays or erasure', () => {
    const key = keys.application('A1');
    const draft = { applicationId: 'A1', status: 'DRAFT', revision: 1 };
    // Contact verification and a sign-in write the application without changing its state.
    expect(
      eventsOfRecord(
        record(key, draft, { ...draft, revision: 2, contactVerifications: { SMS: '2026-11-20T09:00:00Z' } }),
      ),
    ).toEqual([]);
    // The retention sweep's audit stub stores a long-expired draft as EXPIRED: no late event.
    expect(
      eventsOfRecord(
        record(key, draft, { ...draft, status: 'EXPIRED', revision: 2, purgedAt: '2027-06-01T19:00:00Z' }),
      ),
    ).toEqual([]);
    // A first operator's rebinding request leaves the terminal in stock: not a binding.
    const stock = { serialNumber: 'SN1', status: 'IN_STOCK', lastUnboundFrom: 'M1' };
    expect(eventsOfRecord(record(keys.terminal('SN1'), stock, { ...stock, rebindMerchantNo: 'M2' }))).toEqual(
      [],
    );
    const unmapped = [
      keys.oneTimeCode('contact-verification', 'A1', 'SMS'),
      keys.sendQuota('SMS', 'h', '2026-11-20T09'),
      keys.reviewWait('A1-1'),
      keys.tokenReplay('A1'),
      keys.retentionProgress(),
    ];
    for (const unmappedKey of unmapped) {
      const changed = record(unmappedKey, { status: 'A' }, { status: 'B' });
      expect(passesStreamFilter(changed), unmappedKey.pk).toBe(false);
      expect(eventsOfRecord(changed), unmappedKey.pk).toEqual([]);
    }
    for (const family of ['oneTimeCode', 'sendQuota', 'reviewWait', 'tokenReplay', 'retention'] as const)
      expect(EVENT_MAPPERS[family], family).toEqual([]);
  });

  it('gives each event a stable, time-ordered id and only known types', () => {
    const at = new Date('2026-11-20T09:00:00Z');
    expect(eventIdOf('r1', 0, at)).toBe(eventIdOf('r1', 0, at));
    expect(eventIdOf('r1', 1, at)).not.toBe(eventIdOf('r1', 0, at));
    expect(eventIdOf('r1', 0, at)).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(eventIdOf('r9', 0, new Date('2026-11-20T09:00:01Z')) > eventIdOf('r1', 0, at)).toBe(true);
    const key = keys.application('A1');
    const once = record(
      key,
      { applicationId: 'A1', status: 'DRAFT' },
      { applicationId: 'A1', status: 'SUBMITTED' },
    );
    expect(eventsOfRecord(once)).toEqual(eventsOfRecord(once));
    for (const family of relayedFamilies()) expect(EVENT_MAPPERS[family].length).toBeGreaterThan(0);
    expect(DOMAIN_EVENT_TYPES).toContain('application.approved');
  });

  it('filters the stream to the families with mappers, as the event source mapping does', () => {
    expect(streamFilterPatterns().map((pattern) => JSON.parse(pattern))).toContainEqual({
      dynamodb: { Keys: { pk: { S: [{ prefix: 'APP#' }] } } },
    });
    expect(passesStreamFilter(record(keys.application('A1'), undefined, {}))).toBe(true);
    expect(passesStreamFilter(record(keys.webhookDelivery('E1', 'V1'), undefined, {}))).toBe(false);
    expect(passesStreamFilter(record(keys.sendRecord('A', 'T', 'SMS'), undefined, {}))).toBe(false);
  });
});

describe('the relay', () => {
  const key = keys.application('A1');
  const change = (from: string, to: string) =>
    record(key, { applicationId: 'A1', status: from }, { applicationId: 'A1', status: to });

  it('publishes every event of a batch in order', async () => {
    const published: DomainEvent[] = [];
    const batch = [
      change('DRAFT', 'SUBMITTED'),
      change('SUBMITTED', 'SUBMITTED'),
      change('PENDING_REVIEW', 'APPROVED'),
    ];
    const answer = await relayBatch(
      {
        publisher: {
          publish: async (events) => {
            published.push(...events);
            return events.length;
          },
        },
      },
      batch,
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(published.map((event) => event.type)).toEqual(['application.submitted', 'application.approved']);
  });

  it('hands the batch again from the first record whose events the bus refused', async () => {
    const batch = [
      change('DRAFT', 'SUBMITTED'),
      change('PENDING_REVIEW', 'NEEDS_CHANGES'),
      change('NEEDS_CHANGES', 'SUBMITTED'),
    ];
    const answer = await relayBatch({ publisher: { publish: async () => 1 } }, batch);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: batch[1]?.dynamodb?.SequenceNumber }] });
  });
});

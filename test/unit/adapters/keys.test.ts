import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../infra/house-function';
import * as keys from '../../../shared/keys';
import { KEY_FAMILIES, REVIEW_QUEUE_PENDING, type TableKey } from '../../../shared/keys';

/** Every key builder called with sample arguments. */
const SAMPLES: Record<string, TableKey | { pk: string }> = {
  application: keys.application('A1'),
  tokenReplay: keys.tokenReplay('A1'),
  idempotency: keys.idempotency('h'),
  reviewTask: keys.reviewTask('T1'),
  reviewWait: keys.reviewWait('T1'),
  retentionProgress: keys.retentionProgress(),
  merchant: keys.merchant('M1'),
  merchantTerminal: keys.merchantTerminal('M1', 'SN1'),
  merchantTerminalsPrefix: keys.merchantTerminalsPrefix('M1'),
  merchantSequence: keys.merchantSequence('1023100'),
  terminalSequence: keys.terminalSequence(),
  uniqueness: keys.uniqueness('LICENSE', 'h'),
  uniquenessMarker: keys.uniquenessMarker('UNIQ#ID#h'),
  terminal: keys.terminal('SN1'),
  terminalHistory: keys.terminalHistory('SN1', '2026-01-01T00:00:00Z', 'e1'),
  terminalHistoryPrefix: keys.terminalHistoryPrefix('SN1'),
  sendRecord: keys.sendRecord('A1', 'RECEIVED', 'SMS'),
  blocklist: keys.blocklist('ACCOUNT', 'h'),
  changeRequest: keys.changeRequest('C1'),
  merchantOpenChangeRequest: keys.merchantOpenChangeRequest('M1'),
  merchantVersion: keys.merchantVersion('M1', 7),
  merchantVersionsPrefix: keys.merchantVersionsPrefix('M1'),
  transferRequest: keys.transferRequest('X1'),
  suppression: keys.suppression('EMAIL', 'h'),
  oneTimeCode: keys.oneTimeCode('session', 'A1', 'SMS'),
  sendQuota: keys.sendQuota('SMS', 'h', '2026-11-23T08'),
  feePlanVersion: keys.feePlanVersion('RETAIL-STD', 2),
  feePlanCurrent: keys.feePlanCurrent('RETAIL-STD'),
  feePlanList: keys.feePlanList(),
  agreementVersion: keys.agreementVersion('M1', 2),
  agreementVersionsPrefix: keys.agreementVersionsPrefix('M1'),
  agreementHead: keys.agreementHead('M1'),
  webhookEndpoints: keys.webhookEndpoints(),
  webhookEndpoint: keys.webhookEndpoint('E1'),
  webhookDeliveries: keys.webhookDeliveries('E1'),
  webhookDelivery: keys.webhookDelivery('E1', 'V1'),
  event: keys.event('V1'),
  transaction: keys.transaction('T1'),
  usageDay: keys.usageDay('M1', '2026-12-06'),
  usageMonth: keys.usageMonth('M1', '2026-12'),
  dailySummary: keys.dailySummary('M1', '2026-12-06'),
  limits: keys.limits('M1'),
  limitAudit: keys.limitAudit('M1', '2026-12-06T00:00:00.000Z', 'A1'),
  limitAuditPrefix: keys.limitAuditPrefix('M1'),
  openLimitRequest: keys.openLimitRequest('M1', 'DEBIT'),
  terminalWindow: keys.terminalWindow('SN1'),
  activity: keys.activity('2026-12-06', 3, 'M1'),
  activityShard: keys.activityShard('2026-12-06', 3),
  dormancy: keys.dormancy('2026-12-06', 3, 'SN1'),
  dormancyShard: keys.dormancyShard('2026-12-06', 3),
  dailyRun: keys.dailyRun('2026-12-06'),
  dailyRunPage: keys.dailyRunPage('2026-12-06', 3, 2),
  rejectedRecord: keys.rejectedRecord('2026-12-06', 'shardId-000000000000', '4960'),
  reviewQueueCounts: keys.reviewQueueCounts(),
  reviewDay: keys.reviewDay('2026-12-01'),
};

describe('shared/keys.ts', () => {
  it('starts every partition key with the prefix of a key family', () => {
    const prefixes = Object.values(KEY_FAMILIES);
    for (const [name, key] of Object.entries(SAMPLES)) {
      expect(
        prefixes.some((prefix) => key.pk.startsWith(prefix)),
        name,
      ).toBe(true);
    }
    expect(REVIEW_QUEUE_PENDING.startsWith(KEY_FAMILIES.reviewQueue)).toBe(true);
    expect(keys.retentionPartition('CLOSED', '2026-12-01').startsWith(KEY_FAMILIES.retention)).toBe(true);
    expect(keys.reviewKindQueuePartition('APPLICATION').startsWith(KEY_FAMILIES.reviewKindQueue)).toBe(true);
    expect(keys.reviewKindQueueEntry('APPLICATION', '2026-12-01T00:00:00.000Z', 'T1')).toEqual({
      gsi2pk: keys.reviewKindQueuePartition('APPLICATION'),
      gsi2sk: '2026-12-01T00:00:00.000Z#T1',
    });
    expect(keys.reviewEscalatedQueuePartition().startsWith(KEY_FAMILIES.reviewEscalatedQueue)).toBe(true);
    expect(keys.reviewEscalatedQueueEntry('2026-12-01T00:00:00.000Z', 'T1')).toEqual({
      gsi3pk: keys.reviewEscalatedQueuePartition(),
      gsi3sk: '2026-12-01T00:00:00.000Z#T1',
    });
    // A task leaving the pending queue loses the attributes of every queue index.
    expect([...keys.REVIEW_QUEUE_ATTRIBUTES].sort()).toEqual(
      [
        ...Object.keys(keys.reviewQueueEntry('t', 'T1')),
        ...Object.keys(keys.reviewKindQueueEntry('APPLICATION', 't', 'T1')),
        ...Object.keys(keys.reviewEscalatedQueueEntry('t', 'T1')),
      ].sort(),
    );
    expect(keys.retentionIndexEntry('DRAFT', '2026-12-01', 'A1')).toEqual({
      gsi2pk: keys.retentionPartition('DRAFT', '2026-12-01'),
      gsi2sk: 'A1',
    });
    expect(Object.keys(SAMPLES).sort()).toEqual(
      // Every builder: the module's functions but the helpers and index entries that build no table key.
      Object.entries(keys)
        .filter(([, value]) => typeof value === 'function')
        .map(([name]) => name)
        .filter(
          (name) =>
            ![
              'familyOfKey',
              'indexShardOf',
              'reviewQueueEntry',
              'reviewKindQueueEntry',
              'reviewKindQueuePartition',
              'reviewEscalatedQueueEntry',
              'reviewEscalatedQueuePartition',
              'merchantVersionNumber',
              'retentionPartition',
              'retentionIndexEntry',
            ].includes(name),
        )
        .sort(),
    );
  });

  it('builds both sequences whole, and reads a version back from its sort key', () => {
    expect(keys.merchantSequence('1023100')).toEqual({ pk: 'SEQ#MERCHANT#1023100', sk: 'SEQ' });
    expect(keys.terminalSequence()).toEqual({ pk: 'SEQ#TERMINAL', sk: 'SEQ' });
    expect(keys.merchantVersionNumber(keys.merchantVersion('M1', 42).sk)).toBe(42);
  });

  it('lists every partition-key pattern in its access-pattern table', () => {
    const table = readFileSync(join(PROJECT_ROOT, 'shared/keys.ts'), 'utf8');
    for (const pattern of ['SEQ#MERCHANT#', 'SEQ#TERMINAL', ...Object.values(KEY_FAMILIES)])
      expect(table, pattern).toContain(`pk = ${pattern}`.replace('pk = REVIEWQ#', 'gsi1pk = REVIEWQ#'));
  });

  it('is the only place that builds a key: no adapter writes a pk or sk from a literal', () => {
    const dir = join(PROJECT_ROOT, 'shared/adapters');
    for (const file of readdirSync(dir).filter((name) => name.startsWith('dynamodb-'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      expect(source, file).not.toMatch(/\b(?:pk|sk):\s*[`'"]/);
      expect(source, file).not.toMatch(
        /[`'"](?:APP|IDEM|TASK|MER|SEQ|UNIQ|TERM|SEND|BLOCK|CHANGE|TRANSFER|SUPPRESS|SMSQ|FEEPLAN|AGR)#/,
      );
    }
  });
});

import { describe, expect, it } from 'vitest';
import { findMcc, mccTable } from '../../../shared/reference/mcc';
import { mccRiskCodes, mccRiskLevel } from '../../../shared/reference/mcc-risk';

describe('mccTable', () => {
  it('has about 40 entries, each keyed by its own four-digit code with both descriptions', () => {
    expect(mccTable().size).toBeGreaterThanOrEqual(35);
    for (const [key, entry] of mccTable()) {
      expect(entry.mcc).toBe(key);
      expect(key).toMatch(/^\d{4}$/);
      expect(entry.description.trim()).not.toBe('');
      expect(entry.descriptionZh.trim()).not.toBe('');
      expect(['LOW', 'HIGH', 'PROHIBITED']).toContain(entry.riskLevel);
      expect(Object.isFrozen(entry)).toBe(true);
    }
  });

  it('names exactly the codes that have a risk level, each at one level', () => {
    const codes = mccRiskCodes();
    expect(new Set(codes).size).toBe(codes.length);
    expect([...mccTable().keys()].sort()).toEqual([...codes].sort());
    for (const [code, entry] of mccTable()) expect(mccRiskLevel(code), code).toBe(entry.riskLevel);
  });

  it('uses every risk level', () => {
    const levels = new Set([...mccTable().values()].map((e) => e.riskLevel));
    expect(levels).toEqual(new Set(['LOW', 'HIGH', 'PROHIBITED']));
  });

  it('prohibits betting, quasi-cash and the other categories the spec rules out', () => {
    for (const mcc of ['7995', '6051', '5967', '6211', '9754']) {
      expect(findMcc(mcc)?.riskLevel, mcc).toBe('PROHIBITED');
    }
  });

  it('marks categories needing a site inspection as HIGH', () => {
    for (const mcc of ['7011', '4722', '5944', '5094', '5961', '5993', '4829', '6012', '5933']) {
      expect(findMcc(mcc)?.riskLevel, mcc).toBe('HIGH');
    }
  });

  it('marks everyday retail and services as LOW', () => {
    for (const mcc of [
      '5411',
      '5812',
      '5814',
      '5311',
      '5331',
      '5399',
      '5499',
      '5691',
      '5651',
      '5732',
      '5912',
      '7230',
    ]) {
      expect(findMcc(mcc)?.riskLevel, mcc).toBe('LOW');
    }
  });
});

describe('findMcc', () => {
  it('finds the spec example', () => {
    expect(findMcc('5411')).toMatchObject({ mcc: '5411', riskLevel: 'LOW' });
  });

  it('returns undefined for unknown or malformed codes', () => {
    for (const code of ['0000', '9999', '541', '54111', ' 5411', '5411 ', '', 'abcd']) {
      expect(findMcc(code), code).toBeUndefined();
    }
  });
});

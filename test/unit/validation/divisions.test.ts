import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDivisionCode,
  isValidProvincePrefix,
  provincePrefixes,
} from '../../../shared/reference/divisions';

// Written out independently of the module under test, so a typo there cannot hide here.
const REAL_PREFIXES = [
  ...'11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42'.split(' '),
  ...'43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '),
];

describe('provincePrefixes', () => {
  it('lists exactly the 34 GB/T 2260 province-level divisions', () => {
    expect(Object.keys(provincePrefixes()).sort()).toEqual(REAL_PREFIXES);
    expect(provincePrefixes()['11']).toBe('北京市');
    expect(provincePrefixes()['44']).toBe('广东省');
    expect(provincePrefixes()['71']).toBe('台湾省');
    expect(provincePrefixes()['81']).toBe('香港特别行政区');
    expect(provincePrefixes()['82']).toBe('澳门特别行政区');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(provincePrefixes())).toBe(true);
  });
});

describe('isValidProvincePrefix', () => {
  it('accepts real prefixes and rejects gaps, non-digits and inherited names', () => {
    for (const p of REAL_PREFIXES) expect(isValidProvincePrefix(p), p).toBe(true);
    for (const p of '00 10 16 20 24 30 38 47 55 66 70 72 80 83 99'.split(' ')) {
      expect(isValidProvincePrefix(p), p).toBe(false);
    }
    for (const p of ['', '1', '110', 'constructor', '__proto__', ' 11', '１１']) {
      expect(isValidProvincePrefix(p), p).toBe(false);
    }
  });

  it('agrees with the list for every two-digit string', () => {
    for (let n = 0; n <= 99; n += 1) {
      const p = String(n).padStart(2, '0');
      expect(isValidProvincePrefix(p), p).toBe(REAL_PREFIXES.includes(p));
    }
  });
});

describe('checkDivisionCode', () => {
  it('accepts the spec example and other real codes', () => {
    expect(checkDivisionCode('110105')).toBeUndefined();
    expect(checkDivisionCode('440300')).toBeUndefined();
    expect(checkDivisionCode('820000')).toBeUndefined();
  });

  it('rejects codes that are not six ASCII digits as INVALID_FORMAT', () => {
    for (const bad of ['', '11010', '1101050', '11010a', ' 110105', '１１0105']) {
      expect(checkDivisionCode(bad), bad).toBe('INVALID_FORMAT');
    }
  });

  it('rejects unknown province prefixes as INVALID_PROVINCE', () => {
    expect(checkDivisionCode('000000')).toBe('INVALID_PROVINCE');
    expect(checkDivisionCode('100000')).toBe('INVALID_PROVINCE');
    expect(checkDivisionCode('990101')).toBe('INVALID_PROVINCE');
  });

  it('accepts any six digits behind a real prefix', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REAL_PREFIXES), fc.stringMatching(/^\d{4}$/), (p, rest) => {
        expect(checkDivisionCode(`${p}${rest}`)).toBeUndefined();
      }),
    );
  });
});

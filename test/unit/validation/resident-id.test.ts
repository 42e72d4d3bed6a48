import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { provincePrefixes } from '../../../shared/reference/divisions';
import {
  birthDateOfResidentId,
  checkResidentId,
  residentIdCheckCharacter,
} from '../../../shared/validation/resident-id';

// A fixed reference date keeps every age-dependent assertion reproducible.
const TODAY = new Date(Date.UTC(2025, 5, 15));

/** Builds a well-formed ID from its parts, with the computed check character. */
function makeId(prefix6: string, birth8: string, sequence3: string): string {
  const first17 = `${prefix6}${birth8}${sequence3}`;
  return `${first17}${residentIdCheckCharacter(first17)}`;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const birth8Of = (d: Date): string =>
  `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;

/** Valid IDs: a real province, any 4 further digits, an adult birth date, any sequence number. */
const validId = fc
  .record({
    province: fc.constantFrom(...Object.keys(provincePrefixes())),
    area: fc.stringMatching(/^\d{4}$/),
    birth: fc.date({
      min: new Date(Date.UTC(1900, 0, 1)),
      // The latest birth date that is 18 today: 2007-06-15.
      max: new Date(Date.UTC(2007, 5, 15)),
      noInvalidDate: true,
    }),
    sequence: fc.stringMatching(/^\d{3}$/),
  })
  .map(({ province, area, birth, sequence }) => makeId(`${province}${area}`, birth8Of(birth), sequence));

const swapAt = (s: string, i: number): string =>
  `${s.slice(0, i)}${s.charAt(i + 1)}${s.charAt(i)}${s.slice(i + 2)}`;

describe('residentIdCheckCharacter', () => {
  it('computes the check characters of the GB 11643-1999 examples', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
  });

  it('throws on anything but 17 digits', () => {
    expect(() => residentIdCheckCharacter('1101051949123100')).toThrow(RangeError);
    expect(() => residentIdCheckCharacter('1101051949123100X')).toThrow(RangeError);
    expect(() => residentIdCheckCharacter('110105194912310021')).toThrow(RangeError);
  });
});

describe('checkResidentId — examples', () => {
  it('accepts the spec example and other well-formed adult IDs', () => {
    expect(checkResidentId('11010519491231002X', TODAY)).toBeUndefined();
    expect(checkResidentId('110101199003074477', TODAY)).toBeUndefined();
  });

  it('rejects a lower-case x, wrong lengths, spaces and non-ASCII digits as INVALID_FORMAT', () => {
    for (const bad of [
      '11010519491231002x',
      '11010519491231002',
      '11010519491231002X0',
      ' 11010519491231002X',
      '1101051949123100 X',
      '１１010519491231002X',
      '',
    ]) {
      expect(checkResidentId(bad, TODAY), bad).toBe('INVALID_FORMAT');
    }
  });

  it('rejects prefixes that are not provinces', () => {
    expect(checkResidentId(makeId('000000', '19900101', '123'), TODAY)).toBe('INVALID_PROVINCE');
    expect(checkResidentId(makeId('100000', '19900101', '123'), TODAY)).toBe('INVALID_PROVINCE');
    expect(checkResidentId(makeId('830000', '19900101', '123'), TODAY)).toBe('INVALID_PROVINCE');
  });

  it('rejects impossible calendar dates', () => {
    for (const birth of [
      '19901301',
      '19900001',
      '19900100',
      '19900431',
      '19900230',
      '20070229',
      '19000229',
    ]) {
      expect(checkResidentId(makeId('110105', birth, '123'), TODAY), birth).toBe('INVALID_DATE');
    }
  });

  it('rejects birth years before 1900, even the GB 11643 example born in 1880', () => {
    expect(checkResidentId('440524188001010014', TODAY)).toBe('INVALID_DATE');
    expect(checkResidentId(makeId('110105', '18991231', '123'), TODAY)).toBe('INVALID_DATE');
    expect(checkResidentId(makeId('110105', '19000101', '123'), TODAY)).toBeUndefined();
  });

  it('rejects a wrong check character', () => {
    expect(checkResidentId('110105194912310021', TODAY)).toBe('INVALID_CHECKSUM');
  });

  it('reports problems in the order format, province, date, checksum, age', () => {
    // Bad province, date and checksum at once: the province wins.
    expect(checkResidentId('000000199013010000', TODAY)).toBe('INVALID_PROVINCE');
    // Bad date and checksum: the date wins.
    expect(checkResidentId('110105199013010000', TODAY)).toBe('INVALID_DATE');
    // Underage with a wrong checksum: the checksum wins.
    const minor = makeId('110105', '20100101', '123');
    const wrongCheck = minor.endsWith('0') ? `${minor.slice(0, 17)}1` : `${minor.slice(0, 17)}0`;
    expect(checkResidentId(wrongCheck, TODAY)).toBe('INVALID_CHECKSUM');
    expect(checkResidentId(minor, TODAY)).toBe('UNDERAGE');
  });

  it('throws on an invalid reference date', () => {
    expect(() => checkResidentId('11010519491231002X', new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('checkResidentId — dates and age', () => {
  it('accepts someone who turns 18 today and rejects someone who turns 18 tomorrow', () => {
    expect(checkResidentId(makeId('110105', '20070615', '123'), TODAY)).toBeUndefined();
    expect(checkResidentId(makeId('110105', '20070616', '123'), TODAY)).toBe('UNDERAGE');
  });

  it('rejects a birth date after today as INVALID_DATE, but a birth today as UNDERAGE', () => {
    expect(checkResidentId(makeId('110105', '20250616', '123'), TODAY)).toBe('INVALID_DATE');
    expect(checkResidentId(makeId('110105', '20300101', '123'), TODAY)).toBe('INVALID_DATE');
    expect(checkResidentId(makeId('110105', '20250615', '123'), TODAY)).toBe('UNDERAGE');
  });

  it('treats someone born on 29 February as 18 on 1 March of a common year', () => {
    const leapling = makeId('110105', '20080229', '123');
    expect(checkResidentId(leapling, new Date(Date.UTC(2026, 1, 28)))).toBe('UNDERAGE');
    expect(checkResidentId(leapling, new Date(Date.UTC(2026, 2, 1)))).toBeUndefined();
    // Old enough in any case by the next 29 February.
    expect(checkResidentId(leapling, new Date(Date.UTC(2028, 1, 29)))).toBeUndefined();
  });

  it('accepts 29 February in a leap year, including the 400-year rule for 2000', () => {
    expect(checkResidentId(makeId('110105', '20000229', '123'), TODAY)).toBeUndefined();
    expect(checkResidentId(makeId('110105', '19960229', '123'), TODAY)).toBeUndefined();
  });

  it('uses the UTC calendar date of today, whatever the time of day', () => {
    const id = makeId('110105', '20070615', '123');
    // 01:00 UTC on the 15th is still the 14th in New York; the UTC date decides.
    expect(checkResidentId(id, new Date('2025-06-14T21:00:00-04:00'))).toBeUndefined();
    // 23:59 UTC on the 14th is already the 15th in Beijing; still the UTC date decides.
    expect(checkResidentId(id, new Date('2025-06-15T07:59:00+08:00'))).toBe('UNDERAGE');
  });
});

describe('birthDateOfResidentId', () => {
  it('formats the encoded birth date as YYYY-MM-DD', () => {
    expect(birthDateOfResidentId('11010519491231002X')).toBe('1949-12-31');
  });

  it('throws on something that is not shaped like an ID', () => {
    expect(() => birthDateOfResidentId('1101051949')).toThrow(RangeError);
  });
});

describe('checkResidentId — properties', () => {
  it('accepts every generated valid ID and recovers its birth date', () => {
    fc.assert(
      fc.property(validId, (id) => {
        expect(checkResidentId(id, TODAY)).toBeUndefined();
        expect(birthDateOfResidentId(id)).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any single-character substitution', () => {
    // A change of digit value by δ ≠ 0 at position i shifts the sum by δ·w_i; every w_i and every
    // |δ| ≤ 10 is non-zero mod the prime 11, so the MOD 11-2 check always notices.
    fc.assert(
      fc.property(
        validId,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (id, i, replacement) => {
          fc.pre(id.charAt(i) !== replacement);
          const mutated = `${id.slice(0, i)}${replacement}${id.slice(i + 1)}`;
          expect(checkResidentId(mutated, TODAY)).not.toBeUndefined();
          if (/^\d{17}$/.test(mutated.slice(0, 17))) {
            // The checksum alone catches it, whatever the other checks say.
            expect(residentIdCheckCharacter(mutated.slice(0, 17))).not.toBe(mutated.charAt(17));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects any adjacent transposition of two different characters', () => {
    // Swapping a≠b at positions i, i+1 shifts the sum by (a−b)(w_i − w_{i+1}). Since
    // w_i = 2·w_{i+1} mod 11, the factor w_i − w_{i+1} ≡ w_{i+1} ≢ 0, and |a−b| ≤ 10 < 11, so the
    // shift is never 0 mod 11: MOD 11-2 has no transposition blind spot, including the swap of
    // position 17 (weight 2) with the check character (weight 1). So no fc.pre beyond "different".
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 16 }), (id, i) => {
        fc.pre(id.charAt(i) !== id.charAt(i + 1));
        const swapped = swapAt(id, i);
        expect(checkResidentId(swapped, TODAY)).not.toBeUndefined();
        if (/^\d{17}$/.test(swapped.slice(0, 17))) {
          expect(residentIdCheckCharacter(swapped.slice(0, 17))).not.toBe(swapped.charAt(17));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('exhaustively: every swap of two different digits at every adjacent position changes the check', () => {
    // The property above samples; this walks every (position, a, b) over a fixed background. The
    // other positions only add a constant to the sum, so this covers every ID.
    const base = '11010519491231002';
    for (let i = 0; i < 16; i += 1) {
      for (let a = 0; a <= 9; a += 1) {
        for (let b = 0; b <= 9; b += 1) {
          if (a === b) continue;
          const s = `${base.slice(0, i)}${a}${b}${base.slice(i + 2)}`;
          const t = `${base.slice(0, i)}${b}${a}${base.slice(i + 2)}`;
          expect(residentIdCheckCharacter(t), `${i}: ${a}${b}`).not.toBe(residentIdCheckCharacter(s));
        }
      }
    }
    // Position 17 against the check character itself, over enough backgrounds to hit every check.
    const seen = new Set<string>();
    for (let prev = 0; prev <= 9; prev += 1) {
      for (let last = 0; last <= 9; last += 1) {
        const first17 = `${base.slice(0, 15)}${prev}${last}`;
        const check = residentIdCheckCharacter(first17);
        seen.add(check);
        if (check === 'X' || check === String(last)) continue;
        const swapped17 = `${first17.slice(0, 16)}${check}`;
        expect(residentIdCheckCharacter(swapped17)).not.toBe(String(last));
      }
    }
    expect(seen.size).toBe(11);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckCharacter } from '../../../shared/validation/credit-code';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const AUTHORITIES = '123456789ANY';

/** The characters GB 32100 allows at each position (0-based): authority, category, division, body. */
const allowedAt = (i: number): string => {
  if (i === 0) return AUTHORITIES;
  if (i >= 2 && i <= 7) return '0123456789';
  return CHARSET;
};

const charsetChar = fc.constantFrom(...CHARSET);

/** Valid codes: any authority, category and body characters, any six-digit division code. */
const validCode = fc
  .tuple(
    fc.constantFrom(...AUTHORITIES),
    charsetChar,
    fc.stringMatching(/^\d{6}$/),
    fc.array(charsetChar, { minLength: 9, maxLength: 9 }),
  )
  .map(([authority, category, division, body]) => {
    const first17 = `${authority}${category}${division}${body.join('')}`;
    return `${first17}${creditCodeCheckCharacter(first17)}`;
  });

const swapAt = (s: string, i: number): string =>
  `${s.slice(0, i)}${s.charAt(i + 1)}${s.charAt(i)}${s.slice(i + 2)}`;

describe('creditCodeCheckCharacter', () => {
  it('computes the check character of the spec example', () => {
    expect(creditCodeCheckCharacter('91110000600037341')).toBe('L');
  });

  it('throws on a wrong length or a character outside the charset', () => {
    expect(() => creditCodeCheckCharacter('9111000060003734')).toThrow(RangeError);
    expect(() => creditCodeCheckCharacter('9111000060003734I')).toThrow(RangeError);
    expect(() => creditCodeCheckCharacter('9111000060003734a')).toThrow(RangeError);
  });
});

describe('checkCreditCode — examples', () => {
  it('accepts the spec example and other codes with correct check characters', () => {
    expect(checkCreditCode('91110000600037341L')).toBeUndefined();
    expect(checkCreditCode('914403001922038216')).toBeUndefined();
    expect(checkCreditCode('91330100716105852F')).toBeUndefined();
    // National-level division code 100000 is not a province prefix, and still valid.
    const national = '91100000MA0000000';
    expect(checkCreditCode(`${national}${creditCodeCheckCharacter(national)}`)).toBeUndefined();
  });

  it('rejects a wrong check character', () => {
    expect(checkCreditCode('91110000600037341M')).toBe('INVALID_CHECKSUM');
    expect(checkCreditCode('911100006000373410')).toBe('INVALID_CHECKSUM');
  });

  it('rejects bad shapes as INVALID_FORMAT', () => {
    for (const bad of [
      '91110000600037341l', // lower case
      '91110000600037341', // 17 characters
      '91110000600037341LL', // 19 characters
      '91110000600037341I', // I is not in the charset
      '9111000060003734OL', // nor O
      '911100006000373S1L', // nor S
      '9111000060003734VL', // nor V
      '9111000060003734ZL', // nor Z
      'B1110000600037341L', // B is not a registration-authority code
      '01110000600037341L', // nor 0
      '911A0000600037341L', // division code must be digits
      ' 91110000600037341L',
      '',
    ]) {
      expect(checkCreditCode(bad), bad).toBe('INVALID_FORMAT');
    }
  });

  it('accepts every registration-authority code', () => {
    for (const authority of AUTHORITIES) {
      const first17 = `${authority}1110000600037341`;
      expect(checkCreditCode(`${first17}${creditCodeCheckCharacter(first17)}`), authority).toBeUndefined();
    }
  });
});

describe('checkCreditCode — properties', () => {
  it('accepts every generated valid code', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        expect(checkCreditCode(code)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any single-character substitution within the charset', () => {
    // Changing a value by δ (0 < |δ| ≤ 30) at position i shifts the sum by δ·w_i; every weight
    // 3^(i−1) is a unit mod the prime 31, so the shift is never 0 mod 31.
    fc.assert(
      fc.property(validCode, fc.integer({ min: 0, max: 17 }), charsetChar, (code, i, replacement) => {
        fc.pre(code.charAt(i) !== replacement);
        const mutated = `${code.slice(0, i)}${replacement}${code.slice(i + 1)}`;
        // Characters the position allows can only be caught by the checksum.
        const expected = allowedAt(i).includes(replacement) ? 'INVALID_CHECKSUM' : 'INVALID_FORMAT';
        expect(checkCreditCode(mutated)).toBe(expected);
        expect(creditCodeCheckCharacter(mutated.slice(0, 17))).not.toBe(mutated.charAt(17));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects any adjacent transposition of two different characters', () => {
    // Swapping a≠b at positions i, i+1 shifts the sum by (a−b)(w_i − w_{i+1}). For i < 17,
    // w_{i+1} = 3·w_i so the factor is −2·w_i ≢ 0 mod 31; the check character acts with weight 1
    // against w_17 = 28, factor 27 ≢ 0. With |a−b| ≤ 30 < 31 there is no blind spot, so the only
    // precondition is that the two characters differ.
    fc.assert(
      fc.property(validCode, fc.integer({ min: 0, max: 16 }), (code, i) => {
        fc.pre(code.charAt(i) !== code.charAt(i + 1));
        const swapped = swapAt(code, i);
        expect(checkCreditCode(swapped)).not.toBeUndefined();
        expect(creditCodeCheckCharacter(swapped.slice(0, 17))).not.toBe(swapped.charAt(17));
      }),
      { numRuns: 500 },
    );
  });

  it('exhaustively: every adjacent swap of two different characters changes the check', () => {
    const base = '91110000600037341';
    // Collected rather than asserted one by one: 16 × 31 × 30 expect() calls are needlessly slow.
    const undetected: string[] = [];
    for (let i = 0; i < 16; i += 1) {
      for (const a of CHARSET) {
        for (const b of CHARSET) {
          if (a === b) continue;
          const s = `${base.slice(0, i)}${a}${b}${base.slice(i + 2)}`;
          const t = `${base.slice(0, i)}${b}${a}${base.slice(i + 2)}`;
          if (creditCodeCheckCharacter(t) === creditCodeCheckCharacter(s)) undetected.push(`${i}:${a}${b}`);
        }
      }
    }
    expect(undetected).toEqual([]);
    // Position 17 against the check character, over backgrounds that reach every check value.
    const seen = new Set<string>();
    for (const prev of CHARSET) {
      for (const last of CHARSET) {
        const first17 = `${base.slice(0, 15)}${prev}${last}`;
        const check = creditCodeCheckCharacter(first17);
        seen.add(check);
        if (check === last) continue;
        expect(creditCodeCheckCharacter(`${first17.slice(0, 16)}${check}`)).not.toBe(last);
      }
    }
    expect(seen.size).toBe(CHARSET.length);
  });
});

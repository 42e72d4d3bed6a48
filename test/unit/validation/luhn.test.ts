import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLuhnValid, luhnCheckDigit } from '../../../shared/validation/luhn';

/** Valid numbers of 16–19 digits, the length range of personal bank cards. */
const validNumber = fc
  .integer({ min: 15, max: 18 })
  .chain((payloadLength) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: payloadLength, maxLength: payloadLength }),
  )
  .map((digits) => {
    const payload = digits.join('');
    return `${payload}${luhnCheckDigit(payload)}`;
  });

const swapAt = (s: string, i: number): string =>
  `${s.slice(0, i)}${s.charAt(i + 1)}${s.charAt(i)}${s.slice(i + 2)}`;

describe('luhnCheckDigit', () => {
  it('computes known check digits', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    expect(luhnCheckDigit('622202020000000000')).toBe('6');
    expect(luhnCheckDigit('0')).toBe('0');
  });

  it('throws on an empty or non-digit payload', () => {
    expect(() => luhnCheckDigit('')).toThrow(RangeError);
    expect(() => luhnCheckDigit('12a4')).toThrow(RangeError);
  });
});

describe('isLuhnValid — examples', () => {
  it('accepts known valid numbers', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('4111111111111111')).toBe(true);
    // A 19-digit ICBC-style (622202) debit card number with a correct check digit.
    expect(isLuhnValid('6222020200000000006')).toBe(true);
  });

  it('rejects the spec example account number, whose check digit is wrong', () => {
    // 6222020200000000000 fails Luhn; the valid completion of its first 18 digits ends in 6.
    expect(isLuhnValid('6222020200000000000')).toBe(false);
    expect(isLuhnValid('79927398710')).toBe(false);
  });

  it('rejects anything but two or more ASCII digits', () => {
    for (const bad of ['', '0', '4111 1111 1111 1111', '4111-1111-1111-1111', '411111111111111a', '７９']) {
      expect(isLuhnValid(bad), bad).toBe(false);
    }
    expect(isLuhnValid('00')).toBe(true);
  });
});

describe('isLuhnValid — properties', () => {
  it('accepts every generated valid number', () => {
    fc.assert(
      fc.property(validNumber, (n) => {
        expect(isLuhnValid(n)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any single-digit substitution', () => {
    // Undoubled digits shift the sum by δ; doubled ones map 0–9 onto 0,2,4,6,8,1,3,5,7,9, a
    // permutation mod 10, so a different digit always changes the sum mod 10.
    fc.assert(
      fc.property(validNumber, fc.nat(), fc.integer({ min: 1, max: 9 }), (n, at, delta) => {
        const i = at % n.length;
        const replacement = String((Number(n.charAt(i)) + delta) % 10);
        expect(isLuhnValid(`${n.slice(0, i)}${replacement}${n.slice(i + 1)}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects any adjacent transposition of two different digits except 0↔9', () => {
    // Of two adjacent digits exactly one is doubled, so swapping a and b shifts the sum by
    // f(a) − f(b) with f(x) = x for x ≤ 4 and x − 9 otherwise. f(0) = f(9) = 0 and f is otherwise
    // injective mod 10, so "09" ↔ "90" is Luhn's one (well-known) blind spot and must be excluded.
    fc.assert(
      fc.property(validNumber, fc.nat(), (n, at) => {
        const i = at % (n.length - 1);
        const pair = n.slice(i, i + 2);
        fc.pre(pair.charAt(0) !== pair.charAt(1) && pair !== '09' && pair !== '90');
        expect(isLuhnValid(swapAt(n, i))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('does not detect a 0↔9 swap (the documented blind spot)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{0,8}$/),
        fc.constantFrom('09', '90'),
        fc.stringMatching(/^\d{0,8}$/),
        (before, pair, after) => {
          const payload = `${before}${pair}${after}`;
          const n = `${payload}${luhnCheckDigit(payload)}`;
          expect(isLuhnValid(swapAt(n, before.length))).toBe(true);
        },
      ),
    );
  });

  it('exhaustively: 0↔9 is the only adjacent transposition Luhn misses, at either parity', () => {
    const undetected = new Set<string>();
    for (const background of ['123456789012345', '12345678901234']) {
      for (let i = 0; i < background.length - 1; i += 1) {
        for (let a = 0; a <= 9; a += 1) {
          for (let b = 0; b <= 9; b += 1) {
            if (a === b) continue;
            const payload = `${background.slice(0, i)}${a}${b}${background.slice(i + 2)}`;
            const n = `${payload}${luhnCheckDigit(payload)}`;
            if (isLuhnValid(swapAt(n, i))) undetected.add(`${a}${b}`);
          }
        }
      }
    }
    expect([...undetected].sort()).toEqual(['09', '90']);
  });
});

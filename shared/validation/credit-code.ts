/** Problems {@link checkCreditCode} can report. */
export type CreditCodeProblem = 'INVALID_FORMAT' | 'INVALID_CHECKSUM';

/**
 * GB 32100-2015 character set; a character's value is its index. I, O, Z, S and V are left out
 * because they are easily confused with 1, 0, 2, 5 and U.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights 3^(i-1) mod 31 for positions i = 1..17. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Position 1 a registration-authority code (1–9 for the departments listed in GB 32100-2015, 9
 * being market regulation; A for the Central Military Commission's organisation office; N for
 * agriculture; Y for others), position 2 an organisation category, positions 3–8 the six-digit
 * GB/T 2260 division code, positions 9–17 the organisation code body, position 18 the check
 * character; all from the charset, upper case only.
 */
const FORMAT = /^[1-9ANY][0-9A-HJ-NP-RT-UW-Y]\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}$/;

/**
 * Computes the GB 32100-2015 check character of a unified social credit code's first 17 characters.
 *
 * @param first17 - exactly 17 characters from the GB 32100 charset
 * @returns the check character, `(31 - Σ value × weight mod 31) mod 31` mapped through the charset
 * @throws RangeError when `first17` is not 17 charset characters (a programming error)
 */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== WEIGHTS.length) {
    throw new RangeError('creditCodeCheckCharacter expects exactly 17 characters');
  }
  let sum = 0;
  for (const [i, weight] of WEIGHTS.entries()) {
    const value = CHARSET.indexOf(first17.charAt(i));
    if (value < 0) {
      throw new RangeError('creditCodeCheckCharacter expects GB 32100 charset characters only');
    }
    sum += value * weight;
  }
  return CHARSET.charAt((31 - (sum % 31)) % 31);
}

/**
 * Validates an 18-character GB 32100-2015 unified social credit code, e.g. `'91110000600037341L'`.
 *
 * The division code in positions 3–8 is only checked to be six digits: national-level bodies use
 * `100000`, which is not a province prefix.
 *
 * @param value - the code as entered (no trimming or case folding is done)
 * @returns `undefined` when valid; `'INVALID_FORMAT'` for a wrong length, case, character or
 *   authority code; `'INVALID_CHECKSUM'` when the 18th character does not match
 */
export function checkCreditCode(value: string): CreditCodeProblem | undefined {
  if (!FORMAT.test(value)) {
    return 'INVALID_FORMAT';
  }
  return creditCodeCheckCharacter(value.slice(0, 17)) === value.charAt(17) ? undefined : 'INVALID_CHECKSUM';
}

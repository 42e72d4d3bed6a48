/** Digits only; Luhn is defined over decimal digits and anything else is a format error. */
const DIGITS = /^\d+$/;

/**
 * Computes the Luhn (ISO/IEC 7812-1 mod 10) check digit to append to `payload`.
 *
 * @param payload - one or more ASCII digits, without the check digit
 * @returns the single check digit `'0'`–`'9'`
 * @throws RangeError when `payload` is empty or contains a non-digit (a programming error)
 */
export function luhnCheckDigit(payload: string): string {
  if (!DIGITS.test(payload)) {
    throw new RangeError('luhnCheckDigit expects one or more digits');
  }
  // The check digit will sit in the rightmost, undoubled position, so the payload's last digit
  // is the first one doubled.
  const sum = luhnSum(payload, true);
  return String((10 - (sum % 10)) % 10);
}

/**
 * Whether `digits` (check digit last) passes the Luhn mod 10 check.
 *
 * Length limits such as 16–19 for personal bank cards are the caller's business.
 *
 * @param digits - the full number including its check digit
 * @returns `false` for anything other than two or more ASCII digits
 */
export function isLuhnValid(digits: string): boolean {
  if (digits.length < 2 || !DIGITS.test(digits)) {
    return false;
  }
  return luhnSum(digits, false) % 10 === 0;
}

/** Luhn sum from the right, doubling every other digit starting with the rightmost if asked. */
function luhnSum(digits: string, doubleRightmost: boolean): number {
  let sum = 0;
  let double = doubleRightmost;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = Number(digits.charAt(i));
    if (double) {
      d *= 2;
      // Adding the two digits of a product 10..18 is the same as subtracting 9.
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    double = !double;
  }
  return sum;
}

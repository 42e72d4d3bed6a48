import { isValidProvincePrefix } from '../reference/divisions';

/** Problems {@link checkResidentId} can report, in the order they are checked. */
export type ResidentIdProblem =
  | 'INVALID_FORMAT'
  | 'INVALID_PROVINCE'
  | 'INVALID_DATE'
  | 'INVALID_CHECKSUM'
  | 'UNDERAGE';

/** GB 11643-1999 weights: 2^(17-i) mod 11 for positions i = 1..17. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Check character indexed by (weighted sum mod 11); 'X' stands for the value 10. */
const CHECK_CHARACTERS = '10X98765432';

/** 17 digits then a digit or an upper-case X; a lower-case x is a data-entry error to surface. */
const FORMAT = /^\d{17}[\dX]$/;

/** The legal age of majority, which a legal person must have reached. */
const ADULT_AGE = 18;

/** Birth years before this are treated as typing errors rather than living people. */
const MIN_BIRTH_YEAR = 1900;

/**
 * Computes the GB 11643-1999 ISO 7064 MOD 11-2 check character of an ID's first 17 digits.
 *
 * @param first17 - exactly 17 ASCII digits
 * @returns a digit `'0'`–`'9'`, or `'X'` for the value 10
 * @throws RangeError when `first17` is not exactly 17 digits (a programming error, not user input)
 */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError('residentIdCheckCharacter expects exactly 17 digits');
  }
  let sum = 0;
  for (const [i, weight] of WEIGHTS.entries()) {
    sum += Number(first17.charAt(i)) * weight;
  }
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/**
 * Validates an 18-character GB 11643-1999 resident ID number for a legal person.
 *
 * Checks, in order: format, province prefix, birth date (a real calendar date, year ≥ 1900 and
 * not after `today`), MOD 11-2 check character, then age ≥ 18 on `today`. Someone whose 18th
 * birthday is `today` passes. Dates are compared on `today`'s UTC calendar fields so the result
 * does not depend on the host's time zone.
 *
 * @param value - the ID number as entered (no trimming or case folding is done)
 * @param today - the reference date for the future-date and age checks
 * @returns `undefined` when valid, otherwise the first problem found
 * @throws RangeError when `today` is an invalid Date
 */
export function checkResidentId(value: string, today: Date): ResidentIdProblem | undefined {
  if (Number.isNaN(today.getTime())) {
    throw new RangeError('checkResidentId needs a valid reference date');
  }
  if (!FORMAT.test(value)) {
    return 'INVALID_FORMAT';
  }
  if (!isValidProvincePrefix(value.slice(0, 2))) {
    return 'INVALID_PROVINCE';
  }
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const ty = today.getUTCFullYear();
  const tm = today.getUTCMonth() + 1;
  const td = today.getUTCDate();
  if (
    year < MIN_BIRTH_YEAR ||
    !isCalendarDate(year, month, day) ||
    compareDates(year, month, day, ty, tm, td) > 0
  ) {
    return 'INVALID_DATE';
  }
  if (residentIdCheckCharacter(value.slice(0, 17)) !== value.charAt(17)) {
    return 'INVALID_CHECKSUM';
  }
  // Completed years. Comparing (month, day) means someone born on 29 February turns 18 on 1 March
  // of a common year: on 28 February their birthday has not yet come round.
  const hadBirthdayThisYear = tm > month || (tm === month && td >= day);
  const age = ty - year - (hadBirthdayThisYear ? 0 : 1);
  return age >= ADULT_AGE ? undefined : 'UNDERAGE';
}

/**
 * Extracts the birth date encoded in positions 7–14 of a resident ID.
 *
 * Call it only on an ID {@link checkResidentId} accepted; it does not re-validate the date.
 *
 * @param value - a valid 18-character resident ID
 * @returns the birth date as `'YYYY-MM-DD'`
 * @throws RangeError when `value` is not even shaped like a resident ID
 */
export function birthDateOfResidentId(value: string): string {
  if (!FORMAT.test(value)) {
    throw new RangeError('birthDateOfResidentId expects an 18-character resident ID');
  }
  return `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
}

/** Whether year/month/day name a real proleptic Gregorian date. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) {
    return false;
  }
  // Day 0 of the next month is the last day of this one; UTC avoids DST gaps. Callers have
  // already ruled out years below 100, which Date.UTC would map to 19xx.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** Orders two calendar dates: negative, zero or positive like a sort comparator. */
function compareDates(y1: number, m1: number, d1: number, y2: number, m2: number, d2: number): number {
  return (y1 - y2) * 10_000 + (m1 - m2) * 100 + (d1 - d2);
}

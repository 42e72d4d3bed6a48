/*
 * What each input format looks like, in words a client can act on. Error messages quote these
 * descriptions, so a 400 says how to fix the value ("an 11-digit mainland mobile number without
 * +86 ..."), never just that it is wrong. Plain strings only: no zod, no lookup tables, so any
 * module may import them without growing its bundle.
 */

/** Descriptions of the product's input formats, each a noun phrase that follows "Expected". */
export const FORMATS = {
  mobile: 'an 11-digit mainland mobile number without +86, spaces or dashes, e.g. 13912345678',
  email: 'an email address such as zhangsan@example.com (ASCII, one @, a domain with a dot)',
  residentId:
    'an 18-character resident ID number (GB 11643): a 6-digit region code, the birth date as YYYYMMDD, a 3-digit sequence and a check character 0-9 or capital X',
  creditCode:
    'an 18-character unified social credit code (GB 32100): digits and capital letters except I, O, S, V and Z, e.g. 91110000600037341L',
  divisionCode: 'a 6-digit administrative division code (GB/T 2260), e.g. 110105',
  mcc: 'a 4-digit merchant category code from the MCC table, e.g. 5411 (grocery stores)',
  personalAccount: '16 to 19 digits (a personal bank card number, Luhn-checked)',
  corporateAccount: '8 to 30 digits (a corporate bank account number)',
  serialNumber:
    '6 to 32 characters of capital letters, digits and hyphens, starting with a letter or digit, e.g. LKL00012345',
  merchantNo: 'a 15-digit merchant number, e.g. 102110154110007',
  activationCode: 'the 6-digit activation code from the SMS, e.g. 384917',
  terminalId: 'an 8-digit terminal ID, e.g. 00000042',
  id: '26 characters of Crockford base32 (digits and capital letters except I, L, O, U), e.g. 01JD8X4ZQ3M6T0V7W9Y2B5C8EF',
  pageLimit: 'a whole number from 1 to 100',
  feePlanCode: '2 to 32 capital letters, digits and hyphens, starting with a letter, e.g. RETAIL-STD',
  sha256:
    'the 64 lower-case hex digits of the SHA-256 digest of the agreement PDF (sha256 of GET …/agreement)',
  signatureCode: 'the 6-digit signature code from the SMS to the legal person, e.g. 384917',
  transactionId: "1 to 64 letters, digits, underscores or hyphens (the payment host's transaction id)",
  plainText: 'text without control characters or invisible formatting characters (such as U+202E)',
} as const;

/** A format's name. */
export type FormatName = keyof typeof FORMATS;

/**
 * The regular expressions of the request schemas, by their `toString()` (what a zod issue reports
 * as `pattern`), and the format each one checks. A schema may use a literal equal to one of these;
 * a test keeps this list complete for every `z.regex` under shared/.
 */
const PATTERN_FORMATS: Readonly<Record<string, FormatName>> = {
  '/^[A-Z0-9][A-Z0-9-]{5,31}$/': 'serialNumber',
  '/^\\d{15}$/': 'merchantNo',
  '/^\\d{6}$/': 'activationCode',
  '/^\\d{8}$/': 'terminalId',
  '/^[0-9A-HJKMNP-TV-Z]{26}$/': 'id',
  '/^(?:[1-9]|[1-9]\\d|100)$/': 'pageLimit',
  '/^[A-Z][A-Z0-9-]{1,31}$/': 'feePlanCode',
  '/^[0-9a-f]{64}$/': 'sha256',
  '/^[0-9]{6}$/': 'signatureCode',
  '/^[A-Za-z0-9_-]{1,64}$/': 'transactionId',
  '/^[^\\p{Cc}\\p{Cf}]*$/u': 'plainText',
};

/** The format a schema's regular expression checks, from the `pattern` of a zod issue. */
export function formatOfPattern(pattern: string | undefined): FormatName | undefined {
  return pattern === undefined ? undefined : PATTERN_FORMATS[pattern];
}

/** "Expected <description>", the message of an INVALID_FORMAT problem. */
export function expectedFormat(format: FormatName): string {
  return `Expected ${FORMATS[format]}`;
}

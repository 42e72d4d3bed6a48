import { Logger } from '@aws-lambda-powertools/logger';

/*
 * Log redaction, by one mechanism: every record the logger prints is serialized with
 * `redactLogValue` as its JSON replacer (Powertools calls it for every key and value, including the
 * fields of formatted errors and nested objects), so no call site has to remember to mask. Values
 * under personal-data keys are dropped whole; strings shaped like personal data are masked
 * wherever they appear (messages, error messages and stacks, nested values).
 */

/** What replaces a value under a personal-data key. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values never reach a log, compared in lower case without separators and matched as a
 * suffix (`legalPersonIdNumber`, `contact_phone`, `x-access-token` all match).
 */
const PII_KEY_SUFFIXES = [
  'idnumber',
  'accountnumber',
  'licensenumber',
  'phone',
  'mobile',
  'email',
  'token',
  'authorization',
  'activationcode',
  'password',
  'secret',
  'cookie',
  'apikey',
  'credentials',
] as const;

/** True when values under `key` are personal data or credentials. */
export function isPiiKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return normalized.length > 0 && PII_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

/** Patterns of personal data and credentials in free text, most specific first. */
const PII_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Bearer credentials (merchant tokens and staff JWTs in an Authorization header).
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [TOKEN]'],
  // JWTs anywhere.
  [/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[TOKEN]'],
  // Merchant access tokens: <ULID>.<base64url secret>.
  [/[0-9A-HJKMNP-TV-Z]{26}\.[A-Za-z0-9_-]{43,}/g, '[TOKEN]'],
  // Email addresses, with every character RFC 5322 allows in a local part.
  [/[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z0-9-]{2,}/g, '[EMAIL]'],
  // Resident ID numbers (17 digits + check character) and account numbers (16-19 digits): every
  // run of 16 or more digits, so an ID or account glued to other digits is masked with them.
  // 15-digit merchant numbers and 13-digit epoch milliseconds stay readable.
  [/\d{16,}[Xx]?/g, '[NUMBER]'],
  // IDs and accounts written in groups (6-8-4, or 4-4-4-4[-3]).
  [/(?<!\d)\d{6}[ -]\d{8}[ -]\d{3}[\dXx](?![\dA-Za-z])/g, '[NUMBER]'],
  [/(?<!\d)\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)/g, '[NUMBER]'],
  // Mainland mobiles, with or without +86, plain or grouped 3-4-4.
  [/(?<!\d)(?:\+?86[ -]?)?1[3-9]\d{9}(?!\d)/g, '[PHONE]'],
  [/(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]\d{4}[ -]\d{4}(?!\d)/g, '[PHONE]'],
];

/** `text` with every personal-data-shaped substring masked. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PII_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * The JSON replacer of every log record: drops values under personal-data keys and masks
 * personal-data-shaped strings (and numbers, e.g. a phone logged as a number).
 */
export function redactLogValue(key: string, value: unknown): unknown {
  if (key !== '' && isPiiKey(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    const redacted = redactText(text);
    return redacted === text ? value : redacted;
  }
  return value;
}

/**
 * A deep copy of `value` as it would be logged (the same replacer, errors as name/message/stack),
 * for the few places that print outside the logger (the local stack's console).
 */
export function redactForLog(value: unknown): unknown {
  const json = JSON.stringify(value, (key, inner: unknown) =>
    redactLogValue(
      key,
      inner instanceof Error ? { name: inner.name, message: inner.message, stack: inner.stack } : inner,
    ),
  );
  return json === undefined ? undefined : JSON.parse(json);
}

/**
 * The one logger of every function. Call sites log ids and error codes; whatever else reaches it
 * (an error's message, a nested object) is redacted by {@link redactLogValue}.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pos-onboarding',
  jsonReplacerFn: redactLogValue,
});

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPiiKey, logger, PII_PATTERNS, REDACTED, redactForLog, redactText } from '../../shared/logger';
import { luhnCheckDigit } from '../../shared/validation/luhn';
import { residentIdCheckCharacter } from '../../shared/validation/resident-id';

/*
 * The one logger redacts structurally: personal data generated at random (valid ID numbers,
 * account numbers, mobiles, emails, tokens) and hidden at random places in random log records
 * never reaches the printed output.
 */

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** Valid GB 11643 resident ID numbers (any area, birth 1940-2009, checksum right; X included). */
const residentId = fc
  .tuple(
    digits(6, 6),
    fc.date({ min: new Date('1940-01-01'), max: new Date('2009-12-31'), noInvalidDate: true }),
    digits(3, 3),
  )
  .map(([area, birth, sequence]) => {
    const first17 = `${area}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${sequence}`;
    return first17 + residentIdCheckCharacter(first17);
  });

/** Luhn-valid account numbers of 16-19 digits. */
const accountNumber = fc
  .integer({ min: 15, max: 18 })
  .chain((length) => digits(length, length))
  .map((payload) => payload + luhnCheckDigit(payload));

/** Mainland mobiles, sometimes with +86 or grouped 3-4-4. */
const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9, 9), fc.constantFrom('plain', '+86', 'grouped'))
  .map(([second, rest, style]) => {
    const number = `1${second}${rest}`;
    if (style === '+86') return `+86${number}`;
    if (style === 'grouped') return `${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`;
    return number;
  });

const email = fc.emailAddress();

const base64url = fc
  .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), {
    minLength: 43,
    maxLength: 60,
  })
  .map((c) => c.join(''));
const ulid = fc
  .array(fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'), { minLength: 26, maxLength: 26 })
  .map((c) => c.join(''));
const merchantToken = fc.tuple(ulid, base64url).map(([id, secret]) => `${id}.${secret}`);
const jwt = fc.tuple(base64url, base64url, base64url).map(([h, p, s]) => `eyJ${h}.eyJ${p}.${s}`);
const bearer = fc.oneof(merchantToken, jwt).map((token) => `Bearer ${token}`);

/** Personal data found by its shape, wherever it is. */
const shaped = fc.oneof(residentId, accountNumber, mobile, email, merchantToken, jwt, bearer);

/** Text that cannot glue digits onto a value (a mobile next to digits is just a longer number). */
const filler = fc.string({ maxLength: 12 }).map((text) => text.replace(/[0-9+@._-]/g, ''));
const separator = fc.constantFrom(' ', ': ', '=', '，', '(', ')', '"', '\n', '/', '；');

/** A value embedded in free text: filler, separator, value, separator, filler. */
const embedded = (value: fc.Arbitrary<string>) =>
  fc.tuple(filler, separator, value, separator, filler).map(([before, open, secret, close, after]) => ({
    text: `${before}${open}${secret}${close}${after}`,
    secret,
  }));

const neutralKey = fc
  .string({ minLength: 1, maxLength: 10 })
  .filter((key) => !isPiiKey(key) && !['__proto__', 'constructor', 'prototype'].includes(key));

/** A random object with the text planted at a random depth under random (non-personal) keys. */
const planted = (text: string) =>
  fc
    .tuple(fc.array(neutralKey, { minLength: 0, maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), fc.boolean())
    .map(([path, noise, inArray]) => {
      let value: unknown = inArray ? [noise, text] : text;
      for (const key of [...path].reverse()) value = { [key]: value, noise };
      return value;
    });

/** A keyed value: personal data under a key the redactor knows, with any spelling of the key. */
const piiKey = fc
  .tuple(
    fc.constantFrom(
      'idNumber',
      'accountNumber',
      'phone',
      'mobile',
      'email',
      'accessToken',
      'authorization',
      'activationCode',
      'taskToken',
    ),
    fc.constantFrom('', 'legalPerson', 'new_', 'x-', 'CONTACT'),
    fc.boolean(),
  )
  .map(([key, prefix, upper]) => (upper ? `${prefix}${key}`.toUpperCase() : `${prefix}${key}`));

let written: string[] = [];
const originals = { out: process.stdout.write, err: process.stderr.write };

beforeEach(() => {
  written = [];
  logger.setLogLevel('DEBUG');
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
});

afterEach(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
});

describe('the logger', () => {
  it('never prints personal data planted in messages, nested objects, arrays and errors', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        embedded(shaped).chain(({ text, secret }) =>
          fc.record({ text: fc.constant(text), secret: fc.constant(secret), object: planted(text) }),
        ),
        fc.constantFrom('message', 'extra', 'error', 'errorCause', 'appended'),
        ({ text, secret, object }, where) => {
          written = [];
          if (where === 'message') logger.info(text);
          else if (where === 'extra') logger.warn('request failed', { detail: object });
          else if (where === 'error') logger.error('failed', new Error(text));
          else if (where === 'errorCause')
            logger.error('failed', { error: new Error('outer', { cause: object }) });
          else {
            logger.appendKeys({ context: object });
            logger.debug('with context');
            logger.removeKeys(['context']);
          }
          const output = written.join('');
          expect(output.length).toBeGreaterThan(0);
          // The planted value is really in what was logged (so the check below could fail)...
          expect(JSON.stringify({ text, object })).toContain(secret.slice(-8));
          // ...and never in what was printed.
          expect(output).not.toContain(secret);
          checked += 1;
        },
      ),
      { numRuns: 1500 },
    );
    expect(checked).toBe(1500);
  });

  it('drops whatever is logged under a personal-data key, however the key is spelled', () => {
    fc.assert(
      fc.property(
        piiKey,
        fc.oneof(fc.string({ minLength: 6 }), fc.integer({ min: 100_000, max: 999_999 }).map(String)),
        (key, value) => {
          written = [];
          logger.info('keyed', { nested: { [key]: value }, list: [{ [key]: value }] });
          const record = JSON.parse(written.join('')) as { nested: Record<string, unknown> };
          expect(record.nested[key]).toBe(REDACTED);
          expect(written.join('')).not.toContain(`"${value}"`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps what operators need: ids, merchant numbers, terminal ids, timestamps, status codes', () => {
    logger.info('merchant provisioned', {
      applicationId: '01J9Z3K4M5N6P7Q8R9S0T1V2W3',
      merchantNo: '102110554110001',
      terminalId: '00000042',
      statusCode: 409,
      at: 1_767_225_600_000,
      tokenHash: 'a'.repeat(64),
    });
    const record = JSON.parse(written.join(''));
    expect(record).toMatchObject({
      message: 'merchant provisioned',
      applicationId: '01J9Z3K4M5N6P7Q8R9S0T1V2W3',
      merchantNo: '102110554110001',
      terminalId: '00000042',
      statusCode: 409,
      at: 1_767_225_600_000,
      tokenHash: 'a'.repeat(64),
    });
  });
});

describe('the patterns redactText skips', () => {
  it('skips a pattern only where it cannot match: its need is in every text it matches', () => {
    // Text dense in what the patterns look for: digit runs, separators, @, dots, eyJ, Bearer.
    const unit = fc.constantFrom(...'0123456789 -+.@xX', 'eyJ', 'Bearer ', 'ab', '1', '13', '86');
    const text = fc.oneof(
      fc.string({ unit, maxLength: 60 }),
      fc
        .tuple(fc.string({ unit, maxLength: 8 }), shaped, fc.string({ unit, maxLength: 8 }))
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (sample) => {
        for (const { pattern, needs } of PII_PATTERNS) {
          const matches = new RegExp(pattern.source, pattern.flags.replace('g', '')).test(sample);
          if (matches) expect(needs.test(sample), `${pattern} in ${JSON.stringify(sample)}`).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('redactText / redactForLog (the local stack console)', () => {
  it('masks the spec walkthrough’s values and redacts nested keys and errors', () => {
    expect(
      redactText('id 11010519491231002X acct 6222020200000000006 tel +8613800138000 zhangsan@example.com'),
    ).toBe('id [NUMBER] acct [NUMBER] tel [PHONE] [EMAIL]');
    const copy = redactForLog({ a: [{ phone: 13800138000 }], e: new Error('card 6222020200000000006') });
    expect(JSON.stringify(copy)).not.toMatch(/13800138000|6222020200000000006/);
    expect(copy).toMatchObject({ a: [{ phone: REDACTED }], e: { message: 'card [NUMBER]' } });
  });
});

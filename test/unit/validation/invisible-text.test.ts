import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../../shared/validation/application-schema';
import { individualApplication } from '../../support/fixtures';

/*
 * Regression found while fuzzing the routes (issue 6): free-text fields accepted NUL, bidi
 * overrides (U+202E) and zero-width characters, so a merchant name could read reversed or look
 * empty to reviewers and in emails/SMS. Every free-text field now refuses control and format
 * characters with INVALID_FORMAT.
 */

type Body = ReturnType<typeof individualApplication>;
const TEXT_FIELDS: [string, (body: Body, value: string) => void][] = [
  [
    'business.name',
    (b, v) => {
      b.business.name = v;
    },
  ],
  [
    'business.shortName',
    (b, v) => {
      b.business.shortName = v;
    },
  ],
  [
    'business.address.detail',
    (b, v) => {
      b.business.address.detail = v;
    },
  ],
  [
    'legalPerson.name',
    (b, v) => {
      b.legalPerson.name = v;
    },
  ],
  [
    'contact.name',
    (b, v) => {
      b.contact.name = v;
    },
  ],
  [
    'settlement.accountName',
    (b, v) => {
      b.settlement.accountName = v;
    },
  ],
  [
    'settlement.bankName',
    (b, v) => {
      b.settlement.bankName = v;
    },
  ],
];
const INVISIBLE = [
  '\u0000',
  '\u0007',
  '\u001B',
  '\u007F',
  '\u200B',
  '\u200D',
  '\u200E',
  '\u202E',
  '\u2066',
  '\u2060',
  '\u00AD',
];
const today = new Date('2026-11-22T00:00:00Z');

function problemsOf(body: unknown): { field: string; code: string }[] {
  try {
    parseApplication(body, today);
    return [];
  } catch (error) {
    return (error as { fields: { field: string; code: string }[] }).fields;
  }
}

describe('free text without control or invisible characters', () => {
  it('rejects a control or format character anywhere in any free-text field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEXT_FIELDS),
        fc.constantFrom(...INVISIBLE),
        fc.nat(),
        ([field, set], char, at) => {
          const body = individualApplication();
          const value = '张三便利店';
          const i = (at % (value.length - 1)) + 1;
          set(body, value.slice(0, i) + char + value.slice(i));
          expect(problemsOf(body)).toContainEqual(expect.objectContaining({ field, code: 'INVALID_FORMAT' }));
        },
      ),
    );
  });

  it('rejects a name made only of zero-width characters', () => {
    const body = individualApplication();
    body.business.name = '\u200B\u200C\u200D';
    expect(problemsOf(body)).toContainEqual(expect.objectContaining({ field: 'business.name' }));
  });

  it('still accepts ordinary Chinese and Latin text with spaces and punctuation', () => {
    const body = individualApplication();
    body.business.name = '张三便利店（朝阳店） Zhang San Store No.1';
    body.business.address.detail = '朝阳区建国路88号 A座-1201';
    expect(problemsOf(body)).toEqual([]);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { AppError, type FieldProblem } from '../../../shared/errors';
import { parseApplication } from '../../../shared/validation/application-schema';
import { parseChangeRequestBody } from '../../../shared/validation/change-request-schema';
import { formatOfPattern } from '../../../shared/validation/formats';
import { zodProblems } from '../../../shared/validation/problems';
import { individualApplication, validResidentId } from '../../support/fixtures';

/*
 * Every 400 says how to fix the value: the format, the allowed values, the expected type, the
 * limits. These tests pin the words that make a message actionable, not whole sentences.
 */

const TODAY = new Date('2026-01-15T00:00:00Z');

/** The field problems of a body parseApplication refuses. */
function applicationProblems(body: unknown): FieldProblem[] {
  try {
    parseApplication(body, TODAY);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return [...((error as AppError).fields ?? [])];
  }
  throw new Error('the body was accepted');
}

function problemAt(problems: readonly FieldProblem[], field: string): FieldProblem {
  const found = problems.find((p) => p.field === field);
  if (!found) throw new Error(`no problem at ${field}: ${JSON.stringify(problems)}`);
  return found;
}

/** A valid body with one change made by `edit`. */
function withChange(edit: (body: ReturnType<typeof individualApplication>) => void): unknown {
  const body = individualApplication({ idNumber: validResidentId(4242) });
  edit(body);
  return body;
}

describe('INVALID_FORMAT states the format', () => {
  it('a phone with +86 is told the mainland mobile format', () => {
    const p = problemAt(
      applicationProblems(
        withChange((b) => {
          b.contact.phone = '+8613700137000';
        }),
      ),
      'contact.phone',
    );
    expect(p.code).toBe('INVALID_FORMAT');
    expect(p.message).toMatch(/11-digit mainland mobile number without \+86/);
    expect(p.message).toContain('e.g. 13912345678');
    expect(p.message).not.toContain('13700137000');
  });

  it('a short ID number is told what an ID number looks like', () => {
    const p = problemAt(
      applicationProblems(
        withChange((b) => {
          b.legalPerson.idNumber = '1101';
        }),
      ),
      'legalPerson.idNumber',
    );
    expect(p.code).toBe('INVALID_FORMAT');
    expect(p.message).toMatch(/18-character resident ID number/);
    expect(p.message).toMatch(
      /birth date as YYYYMMDD, a 3-digit sequence and a check character 0-9 or capital X/,
    );
  });

  it('a licence number is told the USCC length and alphabet; a wrong check character says so', () => {
    const body = withChange((b) => {
      (b as { type: string }).type = 'ENTERPRISE';
      (b.business as Record<string, unknown>).licenseNumber = '9111000060003734';
    });
    const format = problemAt(applicationProblems(body), 'business.licenseNumber');
    expect(format.code).toBe('INVALID_FORMAT');
    expect(format.message).toMatch(/18-character unified social credit code/);
    expect(format.message).toMatch(/except I, O, S, V and Z/);
    const checksum = problemAt(
      applicationProblems(
        withChange((b) => {
          (b as { type: string }).type = 'ENTERPRISE';
          (b.business as Record<string, unknown>).licenseNumber = '91110000600037341M';
        }),
      ),
      'business.licenseNumber',
    );
    expect(checksum.code).toBe('INVALID_CHECKSUM');
    expect(checksum.message).toMatch(/check character/);
    const missing = problemAt(
      applicationProblems(
        withChange((b) => {
          (b as { type: string }).type = 'ENTERPRISE';
        }),
      ),
      'business.licenseNumber',
    );
    expect(missing.code).toBe('REQUIRED');
    expect(missing.message).toMatch(/ENTERPRISE needs its licence number: an 18-character/);
  });

  it('email, division code, MCC and account numbers name their formats', () => {
    const problems = applicationProblems(
      withChange((b) => {
        b.contact.email = 'not an address';
        b.business.address.divisionCode = '1101';
        b.business.mcc = '0000';
        b.settlement.accountNumber = '1234';
      }),
    );
    expect(problemAt(problems, 'contact.email').message).toMatch(/email address such as/);
    expect(problemAt(problems, 'business.address.divisionCode').message).toMatch(/6-digit/);
    expect(problemAt(problems, 'business.mcc')).toMatchObject({ code: 'UNKNOWN_MCC' });
    expect(problemAt(problems, 'business.mcc').message).toMatch(/4-digit merchant category code/);
    expect(problemAt(problems, 'settlement.accountNumber').message).toMatch(/16 to 19 digits/);
  });

  it('a CORPORATE account of an INDIVIDUAL says which type to use', () => {
    const p = problemAt(
      applicationProblems(
        withChange((b) => {
          b.settlement.accountType = 'CORPORATE';
        }),
      ),
      'settlement.accountType',
    );
    expect(p).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(p.message).toMatch(/ENTERPRISE merchants only: use PERSONAL/);
  });

  it('a name with an invisible formatting character is told which characters are refused', () => {
    const p = problemAt(
      applicationProblems(
        withChange((b) => {
          b.business.name = '张三\u202e便利店';
        }),
      ),
      'business.name',
    );
    expect(p.code).toBe('INVALID_FORMAT');
    expect(p.message).toMatch(/without control characters or invisible formatting characters/);
  });

  it('a serial number of the wrong shape gets the SN format', () => {
    const p = problemAt(
      applicationProblems(
        withChange((b) => {
          (b as Record<string, unknown>).terminal = { serialNumber: 'lkl-1', model: 'A8' };
        }),
      ),
      'terminal.serialNumber',
    );
    expect(p.code).toBe('INVALID_FORMAT');
    expect(p.message).toMatch(/6 to 32 characters of capital letters, digits and hyphens/);
  });
});

describe('INVALID_VALUE lists the allowed values', () => {
  it('type, locale and settlement cycle', () => {
    const problems = applicationProblems(
      withChange((b) => {
        (b as { type: string }).type = 'individual';
        (b as { locale: string }).locale = 'fr';
        b.settlement.cycle = 'T2';
      }),
    );
    expect(problemAt(problems, 'type')).toEqual({
      field: 'type',
      code: 'INVALID_VALUE',
      message: 'Must be one of: INDIVIDUAL, ENTERPRISE',
    });
    expect(problemAt(problems, 'locale').message).toBe('Must be one of: zh-CN, en');
    expect(problemAt(problems, 'settlement.cycle').message).toBe('Must be one of: T1, T0');
  });

  it('a missing enum is REQUIRED and still lists the values', () => {
    const p = problemAt(
      applicationProblems(
        withChange((b) => {
          delete (b as Partial<typeof b>).type;
        }),
      ),
      'type',
    );
    expect(p.code).toBe('REQUIRED');
    expect(p.message).toMatch(/INDIVIDUAL, ENTERPRISE/);
  });
});

describe('types: a wrong type is not called missing', () => {
  it('a string where an object is expected says "expected an object"', () => {
    const p = problemAt(
      applicationProblems(
        withChange((b) => {
          (b as Record<string, unknown>).contact = 'zhangsan';
        }),
      ),
      'contact',
    );
    expect(p).toEqual({
      field: 'contact',
      code: 'INVALID_TYPE',
      message: 'Expected an object, received a string',
    });
  });

  it('a missing section is REQUIRED and names the type', () => {
    const p = problemAt(
      applicationProblems(
        withChange((b) => {
          delete (b as Partial<typeof b>).contact;
        }),
      ),
      'contact',
    );
    expect(p).toEqual({ field: 'contact', code: 'REQUIRED', message: 'This field is required: an object' });
  });

  it('a body that is not an object says a JSON object is expected', () => {
    expect(applicationProblems([1, 2])).toEqual([
      { field: 'body', code: 'INVALID_TYPE', message: 'Expected a JSON object, received an array' },
    ]);
  });

  it('null, numbers and booleans are named by their JSON type, never by their value', () => {
    const problems = applicationProblems(
      withChange((b) => {
        (b.legalPerson as Record<string, unknown>).name = null;
        (b.legalPerson as Record<string, unknown>).idNumber = 110105194912310;
        (b.contact as Record<string, unknown>).email = true;
      }),
    );
    expect(problemAt(problems, 'legalPerson.name').message).toBe('Expected a string, received null');
    expect(problemAt(problems, 'legalPerson.idNumber').message).toBe(
      'Expected a string, received a whole number',
    );
    expect(problemAt(problems, 'contact.email').message).toBe('Expected a string, received true or false');
    expect(JSON.stringify(problems)).not.toContain('110105194912310');
  });

  it('an empty or blank text is REQUIRED; an unknown key says to remove it', () => {
    const problems = applicationProblems(
      withChange((b) => {
        b.business.name = '   ';
        (b as Record<string, unknown>).status = 'APPROVED';
      }),
    );
    expect(problemAt(problems, 'business.name')).toMatchObject({ code: 'REQUIRED' });
    expect(problemAt(problems, 'business.name').message).toMatch(/must not be empty/);
    expect(problemAt(problems, 'status')).toEqual({
      field: 'status',
      code: 'UNKNOWN_FIELD',
      message: 'This field is not allowed here: remove it',
    });
  });

  it('lengths state the limit', () => {
    const problems = applicationProblems(
      withChange((b) => {
        b.business.name = '店'.repeat(101);
      }),
    );
    expect(problemAt(problems, 'business.name')).toEqual({
      field: 'business.name',
      code: 'TOO_LONG',
      message: 'Must be at most 100 characters long',
    });
  });

  it('change requests: a wrong type under changes is INVALID_TYPE, an unchangeable key says what can change', () => {
    let fields: readonly FieldProblem[] = [];
    try {
      parseChangeRequestBody({ changes: { contact: 'x', mcc: '5411' }, reason: 'r', expectedVersion: 0 });
    } catch (error) {
      fields = (error as AppError).fields ?? [];
    }
    expect(problemAt(fields, 'changes.contact')).toMatchObject({
      code: 'INVALID_TYPE',
      message: 'Expected an object, received a string',
    });
    expect(problemAt(fields, 'changes.mcc')).toMatchObject({ code: 'NOT_CHANGEABLE' });
    expect(problemAt(fields, 'changes.mcc').message).toMatch(/business\.name/);
    expect(problemAt(fields, 'expectedVersion')).toEqual({
      field: 'expectedVersion',
      code: 'TOO_SHORT',
      message: 'Must be at least 1',
    });
  });
});

describe('zodProblems on the small schemas of the routes', () => {
  const schema = z.strictObject({
    merchantNo: z.string().check(z.regex(/^\d{15}$/)),
    activationCode: z.optional(z.string().check(z.regex(/^\d{6}$/))),
    limit: z.optional(z.string().check(z.regex(/^(?:[1-9]|[1-9]\d|100)$/))),
    reasons: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(2))),
    other: z.optional(z.string().check(z.regex(/^ab$/))),
  });

  function problemsOf(input: unknown, withInput = true): FieldProblem[] {
    const parsed = z.safeParse(schema, input);
    if (parsed.success) throw new Error('accepted');
    return zodProblems(parsed.error.issues, '', withInput ? { input } : undefined);
  }

  it('known patterns are described, unknown ones quoted', () => {
    const problems = problemsOf({ merchantNo: '1', activationCode: '12', limit: '0', other: 'x' });
    expect(problemAt(problems, 'merchantNo').message).toBe(
      'Expected a 15-digit merchant number, e.g. 102110154110007',
    );
    expect(problemAt(problems, 'activationCode').message).toMatch(/6-digit activation code/);
    expect(problemAt(problems, 'limit').message).toBe('Expected a whole number from 1 to 100');
    expect(problemAt(problems, 'other').message).toBe('Must match the pattern /^ab$/');
  });

  it('array sizes are counted in items', () => {
    expect(problemAt(problemsOf({ merchantNo: '102110154110007', reasons: [] }), 'reasons').message).toBe(
      'Must be at least 1 item long',
    );
    expect(
      problemAt(problemsOf({ merchantNo: '102110154110007', reasons: ['a', 'b', 'c'] }), 'reasons').message,
    ).toBe('Must be at most 2 items long');
  });

  it('without the input, a type problem says it is missing or of another type', () => {
    expect(problemAt(problemsOf({ merchantNo: 5 }, false), 'merchantNo')).toEqual({
      field: 'merchantNo',
      code: 'REQUIRED',
      message: 'Expected a string (the field is missing or has another type)',
    });
  });
});

describe('every pattern of the request schemas has a description', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return path.endsWith('.ts') ? [path] : [];
    });
  }

  it('each z.regex literal under shared/ is in the format table', () => {
    const literals: string[] = [];
    for (const file of sources('shared')) {
      for (const match of readFileSync(file, 'utf8').matchAll(/z\.regex\((\/.+?\/[a-z]*)\)/g))
        if (match[1]) literals.push(match[1]);
    }
    expect(literals.length).toBeGreaterThan(3);
    const missing = literals.filter((literal) => formatOfPattern(literal) === undefined);
    expect(missing).toEqual([]);
  });
});

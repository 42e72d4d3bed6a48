import type * as z from 'zod/mini';
import type { FieldProblem } from '../errors';
import { expectedFormat, formatOfPattern } from './formats';

/*
 * Field problems with stable codes, and the mapping of zod's issues to them. Every message says
 * how to fix the value: the expected type, format, length or allowed values. Messages quote the
 * schema (types, limits, enum values), never the input: an input may be personal data. No zod at
 * runtime (the import is for types only): routes that map issues of their own small schemas do
 * not pay for the application schema's module.
 */

/** Messages of codes whose problem carries no detail of its own. */
const MESSAGES: Record<string, string> = {
  REQUIRED: 'This field is required',
  UNKNOWN_FIELD: 'This field is not allowed here: remove it',
  INVALID_TYPE: 'This field has the wrong type',
  INVALID_VALUE: 'This value is not one of the allowed values',
  TOO_SHORT: 'This value is too short',
  TOO_LONG: 'This value is too long',
  INVALID_FORMAT: 'This value does not have the expected format',
  INVALID_CHECKSUM: 'The check character does not match the rest: look for a typing mistake',
  INVALID_DATE: 'The birth date is not a real date',
  INVALID_PROVINCE: 'The first two digits are not a province-level division code, e.g. 11 (Beijing)',
  UNDERAGE: 'The legal person must be at least 18 years old',
  UNKNOWN_MCC: 'This MCC is not in the MCC table',
  NOT_ALLOWED: 'This value is not allowed for this merchant type',
};

/** A problem with the given message, or the default message of its code. */
export function problem(field: string, code: string, message?: string): FieldProblem {
  return { field, code, message: message ?? MESSAGES[code] ?? 'This value is not valid' };
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((part) => part !== '').join('.');
}

/** What is found at a path of the input: nothing (the key is absent), or a value. */
type Found = { readonly present: false } | { readonly present: true; readonly value: unknown };

function valueAt(input: unknown, path: readonly PropertyKey[]): Found {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      return { present: false };
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current === undefined ? { present: false } : { present: true, value: current };
}

const TYPE_NOUNS: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function typeNoun(expected: string): string {
  return TYPE_NOUNS[expected] ?? expected;
}

/** The JSON type of a value, for "received ..." (never the value itself). */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function unit(origin: string | undefined, count: number | bigint): string {
  const n = Number(count);
  if (origin === 'string') return `${count} character${n === 1 ? '' : 's'}`;
  if (origin === 'array' || origin === 'set') return `${count} item${n === 1 ? '' : 's'}`;
  return String(count);
}

function allowedValues(values: readonly unknown[]): string {
  const shown = values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  return shown.length === 1 ? `Must be ${shown[0]}` : `Must be one of: ${shown.join(', ')}`;
}

/** What the caller knows of the parsed input. */
export interface ZodProblemOptions {
  /**
   * The value that was parsed. With it a missing field (REQUIRED) is told from a present one of
   * the wrong type (INVALID_TYPE): zod reports neither the input nor which of the two it was.
   */
  readonly input?: unknown;
}

/**
 * Maps zod issues to field problems with stable codes and messages that say how to fix the value
 * (never echoing the input).
 *
 * @param issues - the issues of a failed `safeParse`
 * @param prefix - a path prefix for every field, e.g. `query`
 * @param options - pass `{ input }` (the parsed value) so that wrong types are not called missing
 */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  prefix = '',
  options?: ZodProblemOptions,
): FieldProblem[] {
  const knowsInput = options !== undefined && 'input' in options;
  /** What was at the issue's path: from the input when given, else from the issue when zod reported it. */
  const found = (issue: z.core.$ZodIssue): Found | undefined => {
    if (knowsInput) return valueAt(options.input, issue.path);
    if ('input' in issue)
      return issue.input === undefined ? { present: false } : { present: true, value: issue.input };
    return undefined;
  };
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    const field = joinPath(prefix, issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) problems.push(problem(joinPath(field, [key]), 'UNKNOWN_FIELD'));
        break;
      case 'invalid_type': {
        const at = found(issue);
        const noun =
          issue.path.length === 0 && issue.expected === 'object' ? 'a JSON object' : typeNoun(issue.expected);
        if (at?.present) {
          problems.push(
            problem(field || 'body', 'INVALID_TYPE', `Expected ${noun}, received ${jsonTypeOf(at.value)}`),
          );
        } else if (at) {
          problems.push(problem(field || 'body', 'REQUIRED', `This field is required: ${noun}`));
        } else {
          // Without the input a missing field cannot be told from a wrong type: say both.
          problems.push(
            problem(
              field || 'body',
              'REQUIRED',
              `Expected ${noun} (the field is missing or has another type)`,
            ),
          );
        }
        break;
      }
      case 'invalid_value': {
        const at = found(issue);
        if (at && !at.present)
          problems.push(problem(field, 'REQUIRED', `This field is required. ${allowedValues(issue.values)}`));
        else problems.push(problem(field, 'INVALID_VALUE', allowedValues(issue.values)));
        break;
      }
      case 'too_small': {
        // A string shorter than 1 character (after trimming, where the schema trims) is empty.
        if (issue.origin === 'string' && Number(issue.minimum) <= 1)
          problems.push(problem(field, 'REQUIRED', 'This field is required: it must not be empty'));
        else if (issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set')
          problems.push(
            problem(field, 'TOO_SHORT', `Must be at least ${unit(issue.origin, issue.minimum)} long`),
          );
        else problems.push(problem(field, 'TOO_SHORT', `Must be at least ${issue.minimum}`));
        break;
      }
      case 'too_big':
        if (issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set')
          problems.push(
            problem(field, 'TOO_LONG', `Must be at most ${unit(issue.origin, issue.maximum)} long`),
          );
        else problems.push(problem(field, 'TOO_LONG', `Must be at most ${issue.maximum}`));
        break;
      case 'invalid_format': {
        const format = issue.format === 'regex' ? formatOfPattern(issue.pattern) : undefined;
        problems.push(
          problem(
            field || 'body',
            'INVALID_FORMAT',
            format ? expectedFormat(format) : `Must match the pattern ${issue.pattern ?? issue.format}`,
          ),
        );
        break;
      }
      default:
        problems.push(problem(field || 'body', 'INVALID_FORMAT'));
    }
  }
  return problems;
}

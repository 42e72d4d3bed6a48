import type * as z from 'zod/mini';
import type { FieldProblem } from '../errors';

/*
 * Field problems with stable codes, and the mapping of zod's issues to them. No zod at runtime
 * (the import is for types only): routes that map issues of their own small schemas do not pay
 * for the application schema's module.
 */

const MESSAGES: Record<string, string> = {
  REQUIRED: 'This field is required',
  UNKNOWN_FIELD: 'This field is not allowed',
  INVALID_TYPE: 'This field has the wrong type',
  INVALID_VALUE: 'This value is not one of the allowed values',
  TOO_SHORT: 'This value is too short',
  TOO_LONG: 'This value is too long',
  INVALID_FORMAT: 'This value does not have the expected format',
  INVALID_CHECKSUM: 'The check character does not match',
  INVALID_DATE: 'The birth date is not a real date',
  INVALID_PROVINCE: 'The province prefix is not a real one',
  UNDERAGE: 'The legal person must be at least 18 years old',
  UNKNOWN_MCC: 'This MCC is not in the MCC table',
  NOT_ALLOWED: 'This value is not allowed for this merchant type',
};

/** A problem with the message of its code. */
export function problem(field: string, code: string): FieldProblem {
  return { field, code, message: MESSAGES[code] ?? 'This value is not valid' };
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((part) => part !== '').join('.');
}

/** Maps zod issues to field problems with stable codes (never echoing the input). */
export function zodProblems(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    const field = joinPath(prefix, issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) problems.push(problem(joinPath(field, [key]), 'UNKNOWN_FIELD'));
        break;
      case 'invalid_type':
        problems.push(problem(field || 'body', issue.input === undefined ? 'REQUIRED' : 'INVALID_TYPE'));
        break;
      case 'invalid_value':
        problems.push(problem(field, 'INVALID_VALUE'));
        break;
      case 'too_small':
        problems.push(problem(field, issue.input === '' ? 'REQUIRED' : 'TOO_SHORT'));
        break;
      case 'too_big':
        problems.push(problem(field, 'TOO_LONG'));
        break;
      default:
        problems.push(problem(field || 'body', 'INVALID_FORMAT'));
    }
  }
  return problems;
}

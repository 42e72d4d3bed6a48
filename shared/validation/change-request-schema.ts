import * as z from 'zod/mini';
import { CHANGEABLE_KEYS, type ChangeSet, changeKeysOf } from '../domain/change-request';
import { type FieldProblem, validationFailed } from '../errors';
import {
  addressProblems,
  applicationSchemas,
  contactProblems,
  type MerchantType,
  settlementProblems,
} from './application-schema';
import { lazy } from './lazy';
import { zodProblems } from './problems';

/*
 * The change-request body of spec 4.1. The new values are checked by the intake's own section
 * schemas and rule functions (imported, never copied), with field paths under `changes.`. Built on
 * first use, like the intake's (cold start of every function importing this module).
 */

function buildSchemas() {
  const intake = applicationSchemas();
  /** `changes`: only the four changeable keys, each with the intake's schema for that section. */
  const changes = z.strictObject({
    'business.name': z.optional(intake.businessName),
    'business.address': z.optional(intake.address),
    contact: z.optional(intake.contact),
    settlement: z.optional(intake.settlement),
  });
  /** The whole `POST /v1/merchants/{merchantNo}/change-requests` body. */
  const changeRequest = z.strictObject({
    changes,
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
    expectedVersion: z.int().check(z.minimum(1)),
  });
  return { changes, changeRequest };
}

/** The change-request schemas, built once on first use. */
export const changeRequestSchemas = /* @__PURE__ */ lazy(buildSchemas);

/** A structurally valid change-request body. */
export type ChangeRequestBody = z.infer<ReturnType<typeof buildSchemas>['changeRequest']>;

const NOT_CHANGEABLE_MESSAGE = `Only ${CHANGEABLE_KEYS.join(', ')} can be changed`;

/**
 * zod's problems, except that a key directly under `changes` that is not changeable (such as
 * `merchantNo`, `status`, `mcc` or a fee) says so with its own code rather than UNKNOWN_FIELD.
 */
function structureProblems(issues: readonly z.core.$ZodIssue[], input: unknown): FieldProblem[] {
  return zodProblems(issues, '', { input }).map((problem) =>
    problem.code === 'UNKNOWN_FIELD' && /^changes\.[^.]+$/.test(problem.field)
      ? { field: problem.field, code: 'NOT_CHANGEABLE', message: NOT_CHANGEABLE_MESSAGE }
      : problem,
  );
}

/** Business rules of the new values (the intake's rules; settlement rules depend on the merchant type). */
export function changeRuleProblems(
  changes: ChangeSet,
  type: MerchantType,
  prefix = 'changes',
): FieldProblem[] {
  if (changeKeysOf(changes).length === 0) {
    return [
      { field: prefix, code: 'REQUIRED', message: `Change at least one of ${CHANGEABLE_KEYS.join(', ')}` },
    ];
  }
  return [
    ...(changes['business.address']
      ? addressProblems(changes['business.address'], `${prefix}.business.address`)
      : []),
    ...(changes.contact ? contactProblems(changes.contact, `${prefix}.contact`) : []),
    ...(changes.settlement ? settlementProblems(changes.settlement, type, `${prefix}.settlement`) : []),
  ];
}

/** Parses the body's structure; throws a 400 naming every problem's field path. */
export function parseChangeRequestBody(input: unknown): ChangeRequestBody {
  const parsed = z.safeParse(changeRequestSchemas().changeRequest, input);
  if (!parsed.success) throw validationFailed(structureProblems(parsed.error.issues, input));
  return parsed.data;
}

/** Structure and rules of stored changes again (the workflow's validation check); the problems found. */
export function storedChangeProblems(changes: unknown, type: MerchantType): FieldProblem[] {
  const parsed = z.safeParse(changeRequestSchemas().changes, changes);
  if (!parsed.success)
    return structureProblems(
      parsed.error.issues.map((i) => ({ ...i, path: ['changes', ...i.path] })),
      { changes },
    );
  return changeRuleProblems(parsed.data, type);
}

import * as z from 'zod/mini';
import type { FieldProblem } from '../errors';
import { validationFailed } from '../errors';
import { checkDivisionCode } from '../reference/divisions';
import { mccRiskLevel } from '../reference/mcc-risk';
import { isEmailAddress, isMainlandMobile } from './contact';
import { type CreditCodeProblem, checkCreditCode } from './credit-code';
import { expectedFormat, FORMATS } from './formats';
import { lazy } from './lazy';
import { isLuhnValid } from './luhn';
import { problem, zodProblems } from './problems';
import { checkResidentId, type ResidentIdProblem } from './resident-id';

/** Re-exported for existing callers; new code imports it from `./problems` (no zod at runtime). */
export { zodProblems };

/** No control or invisible format characters (described in `./formats` for the messages). */
const PLAIN_TEXT = /^[^\p{Cc}\p{Cf}]*$/u;

/*
 * The application body of spec 4.1. Structure (types, required keys, unknown keys, lengths) is
 * checked with zod/mini — classic zod costs ~450 KB and ~30 ms of cold start per bundle, zod/mini
 * ~14 KB — and the business rules (checksums, dates, cross-field rules) by plain functions below
 * so that each problem gets a stable code and a field path. Change requests reuse the section
 * schemas and rule functions (one definition, not a copy).
 */

/**
 * Free text without control or invisible format characters (NUL, bidi overrides such as U+202E,
 * zero-width spaces): they would make a name read differently, or look empty, to reviewers and in
 * messages (found by the route fuzz, issue 6).
 */
const text = (max: number) =>
  z.string().check(z.trim(), z.minLength(1), z.maxLength(max), z.regex(PLAIN_TEXT));

/**
 * The section schemas and the whole body, built on first use: module scope runs in every cold
 * start of every function importing this module (~10 ms for these schemas), most of which never
 * parse an application body.
 */
function buildSchemas() {
  /** `business.address` */
  const address = z.strictObject({
    divisionCode: z.string(),
    detail: text(200),
  });
  /** `contact` */
  const contact = z.strictObject({
    name: text(50),
    phone: z.string(),
    email: z.string().check(z.maxLength(254)),
  });
  /** `settlement` */
  const settlement = z.strictObject({
    accountType: z.enum(['PERSONAL', 'CORPORATE']),
    accountName: text(100),
    accountNumber: z.string(),
    bankName: text(100),
    cycle: z.enum(['T1', 'T0']),
  });
  /** `business.name` */
  const businessName = text(100);
  /** The whole application body (create and PUT). */
  const application = z.strictObject({
    type: z.enum(['INDIVIDUAL', 'ENTERPRISE']),
    business: z.strictObject({
      name: businessName,
      shortName: z.optional(text(40)),
      licenseNumber: z.optional(z.string()),
      mcc: z.string(),
      address,
    }),
    legalPerson: z.strictObject({
      name: text(50),
      idNumber: z.string(),
      phone: z.string(),
    }),
    contact,
    settlement,
    terminal: z.optional(
      z.strictObject({
        serialNumber: z.string().check(z.regex(/^[A-Z0-9][A-Z0-9-]{5,31}$/)),
        model: text(40),
      }),
    ),
    locale: z.optional(z.enum(['zh-CN', 'en'])),
  });
  return { address, contact, settlement, businessName, application };
}

/** The application body's schemas (section schemas are reused by change requests), built once. */
export const applicationSchemas = /* @__PURE__ */ lazy(buildSchemas);

type Schemas = ReturnType<typeof buildSchemas>;
/** A parsed, structurally valid application body. */
export type ApplicationBody = z.infer<Schemas['application']>;
export type Address = z.infer<Schemas['address']>;
export type Contact = z.infer<Schemas['contact']>;
export type Settlement = z.infer<Schemas['settlement']>;
export type MerchantType = ApplicationBody['type'];

const DIVISION_PREFIX_MESSAGE = 'The first two digits must be a province-level division code';

/** How to fix each problem of a unified social credit code (`business.licenseNumber`). */
const CREDIT_CODE_MESSAGES: Record<CreditCodeProblem, string> = {
  INVALID_FORMAT: expectedFormat('creditCode'),
  INVALID_CHECKSUM:
    'The 18th character is not the GB 32100 check character of the first 17: look for a typing mistake',
};

/** How to fix each problem of a resident ID number (`legalPerson.idNumber`). */
const RESIDENT_ID_MESSAGES: Record<ResidentIdProblem, string> = {
  INVALID_FORMAT: expectedFormat('residentId'),
  INVALID_PROVINCE: `${DIVISION_PREFIX_MESSAGE}, e.g. 11 (Beijing)`,
  INVALID_DATE: 'Characters 7 to 14 must be a real birth date (YYYYMMDD) that is not in the future',
  INVALID_CHECKSUM:
    'The 18th character is not the GB 11643 check character of the first 17 digits: look for a typing mistake',
  UNDERAGE: 'The legal person must be at least 18 years old',
};

/** Mobile number rule (`1[3-9]\d{9}`). */
export function phoneProblems(phone: string, field: string): FieldProblem[] {
  return isMainlandMobile(phone) ? [] : [problem(field, 'INVALID_FORMAT', expectedFormat('mobile'))];
}

/** Rules of `contact`. */
export function contactProblems(contact: Contact, prefix = 'contact'): FieldProblem[] {
  return [
    ...phoneProblems(contact.phone, `${prefix}.phone`),
    ...(isEmailAddress(contact.email)
      ? []
      : [problem(`${prefix}.email`, 'INVALID_FORMAT', expectedFormat('email'))]),
  ];
}

/** Rules of `business.address`. */
export function addressProblems(address: Address, prefix = 'business.address'): FieldProblem[] {
  const code = checkDivisionCode(address.divisionCode);
  if (!code) return [];
  const field = `${prefix}.divisionCode`;
  return [
    code === 'INVALID_FORMAT'
      ? problem(field, code, expectedFormat('divisionCode'))
      : problem(field, code, `${DIVISION_PREFIX_MESSAGE}, e.g. 110105 (Beijing, Chaoyang)`),
  ];
}

/** Rules of `settlement`, which depend on the merchant type. */
export function settlementProblems(
  settlement: Settlement,
  type: MerchantType,
  prefix = 'settlement',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const number = settlement.accountNumber;
  if (settlement.accountType === 'CORPORATE') {
    if (type !== 'ENTERPRISE')
      problems.push(
        problem(
          `${prefix}.accountType`,
          'NOT_ALLOWED',
          'CORPORATE accounts are for ENTERPRISE merchants only: use PERSONAL',
        ),
      );
    if (!/^\d{8,30}$/.test(number))
      problems.push(problem(`${prefix}.accountNumber`, 'INVALID_FORMAT', expectedFormat('corporateAccount')));
  } else if (!/^\d{16,19}$/.test(number)) {
    problems.push(problem(`${prefix}.accountNumber`, 'INVALID_FORMAT', expectedFormat('personalAccount')));
  } else if (!isLuhnValid(number)) {
    problems.push(
      problem(
        `${prefix}.accountNumber`,
        'INVALID_CHECKSUM',
        'The last digit is not the Luhn check digit of the others: look for a typing mistake',
      ),
    );
  }
  return problems;
}

/** Every business rule of spec 4.1 over a structurally valid body. */
export function applicationRuleProblems(body: ApplicationBody, today: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const license = body.business.licenseNumber;
  if (license === undefined || license === '') {
    if (body.type === 'ENTERPRISE')
      problems.push(
        problem(
          'business.licenseNumber',
          'REQUIRED',
          `An ENTERPRISE needs its licence number: ${FORMATS.creditCode}`,
        ),
      );
  } else {
    const code = checkCreditCode(license);
    if (code) problems.push(problem('business.licenseNumber', code, CREDIT_CODE_MESSAGES[code]));
  }
  if (!mccRiskLevel(body.business.mcc))
    problems.push(problem('business.mcc', 'UNKNOWN_MCC', expectedFormat('mcc')));
  problems.push(...addressProblems(body.business.address));
  const idCode = checkResidentId(body.legalPerson.idNumber, today);
  if (idCode) problems.push(problem('legalPerson.idNumber', idCode, RESIDENT_ID_MESSAGES[idCode]));
  problems.push(...phoneProblems(body.legalPerson.phone, 'legalPerson.phone'));
  problems.push(...contactProblems(body.contact));
  problems.push(...settlementProblems(body.settlement, body.type));
  return problems;
}

/**
 * Parses and validates an application body; throws a 400 listing every problem with its field
 * path. Normalises `licenseNumber: ""` to absent and the locale to its default.
 */
export function parseApplication(input: unknown, today: Date): ApplicationBody & { locale: 'zh-CN' | 'en' } {
  const parsed = z.safeParse(applicationSchemas().application, input);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input }));
  const problems = applicationRuleProblems(parsed.data, today);
  if (problems.length > 0) throw validationFailed(problems);
  const body = parsed.data;
  const { licenseNumber, ...business } = body.business;
  return {
    ...body,
    business: licenseNumber ? { ...business, licenseNumber } : business,
    locale: body.locale ?? 'zh-CN',
  };
}

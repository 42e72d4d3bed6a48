import * as z from 'zod/mini';
import type { FieldProblem } from '../../../shared/errors';
import {
  type ApplicationBody,
  applicationRuleProblems,
  applicationSchemas,
} from '../../../shared/validation/application-schema';
import { problem, zodProblems } from '../../../shared/validation/problems';
import type { ApplicationView } from '../../common/api';
import type { Lang } from '../../common/i18n';

/*
 * The application form's values, keyed by the API's field paths (so a problem's `field` names the
 * input it belongs to), and its checks: the API's own schema and rule functions from
 * shared/validation, compiled into the page — not a second copy of the rules.
 */

/** The text inputs, in form order. */
export const TEXT_FIELDS = [
  'business.name',
  'business.shortName',
  'business.licenseNumber',
  'business.mcc',
  'business.address.divisionCode',
  'business.address.detail',
  'legalPerson.name',
  'legalPerson.idNumber',
  'legalPerson.phone',
  'contact.name',
  'contact.phone',
  'contact.email',
  'settlement.accountName',
  'settlement.accountNumber',
  'settlement.bankName',
  'terminal.serialNumber',
  'terminal.model',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** Every input: the text fields and the three choices. */
export type FieldPath = TextField | 'type' | 'settlement.accountType' | 'settlement.cycle';

/** The form's values. */
export type FormValues = Record<TextField, string> & {
  type: ApplicationBody['type'];
  'settlement.accountType': ApplicationBody['settlement']['accountType'];
  'settlement.cycle': ApplicationBody['settlement']['cycle'];
};

/** Fields the API keeps masked in its answers (a correction asks for them again unless this tab has them). */
export const MASKED_FIELDS: readonly TextField[] = [
  'business.licenseNumber',
  'legalPerson.idNumber',
  'legalPerson.phone',
  'contact.phone',
  'contact.email',
  'settlement.accountNumber',
];

/** Fields that may stay empty. */
const OPTIONAL: ReadonlySet<FieldPath> = new Set([
  'business.shortName',
  'terminal.serialNumber',
  'terminal.model',
]);

export function emptyForm(): FormValues {
  const values = Object.fromEntries(TEXT_FIELDS.map((field) => [field, ''])) as Record<TextField, string>;
  return { ...values, type: 'INDIVIDUAL', 'settlement.accountType': 'PERSONAL', 'settlement.cycle': 'T1' };
}

/** Whether a field is required for these values (the licence for enterprises; the model with a serial number). */
export function isRequired(field: FieldPath, values: FormValues): boolean {
  if (field === 'business.licenseNumber') return values.type === 'ENTERPRISE';
  if (field === 'terminal.model') return values['terminal.serialNumber'].trim() !== '';
  return !OPTIONAL.has(field);
}

/** The request body of these values (what create and PUT send). */
export function toBody(values: FormValues, lang: Lang): ApplicationBody {
  const v = (field: TextField) => values[field].trim();
  const serialNumber = v('terminal.serialNumber').toUpperCase();
  const model = v('terminal.model');
  return {
    type: values.type,
    business: {
      name: v('business.name'),
      ...(v('business.shortName') ? { shortName: v('business.shortName') } : {}),
      ...(v('business.licenseNumber') ? { licenseNumber: v('business.licenseNumber').toUpperCase() } : {}),
      mcc: v('business.mcc'),
      address: { divisionCode: v('business.address.divisionCode'), detail: v('business.address.detail') },
    },
    legalPerson: {
      name: v('legalPerson.name'),
      idNumber: v('legalPerson.idNumber').toUpperCase(),
      phone: v('legalPerson.phone'),
    },
    contact: { name: v('contact.name'), phone: v('contact.phone'), email: v('contact.email') },
    settlement: {
      accountType: values['settlement.accountType'],
      accountName: v('settlement.accountName'),
      accountNumber: v('settlement.accountNumber').replace(/\s+/g, ''),
      bankName: v('settlement.bankName'),
      cycle: values['settlement.cycle'],
    },
    ...(serialNumber || model ? { terminal: { serialNumber, model } } : {}),
    locale: lang,
  };
}

/**
 * Every problem of these values, one per field: an empty required field is `REQUIRED`; otherwise the
 * API's structural check (zod schema) first, then its business rules (checksums, dates, cross-field
 * rules), with the API's codes and messages.
 */
export function validate(values: FormValues, lang: Lang, today = new Date()): Map<string, FieldProblem> {
  const body = toBody(values, lang);
  const found = new Map<string, FieldProblem>();
  for (const field of TEXT_FIELDS) {
    if (values[field].trim() === '' && isRequired(field, values))
      found.set(field, problem(field, 'REQUIRED'));
  }
  const parsed = z.safeParse(applicationSchemas().application, body);
  const structural = parsed.success ? [] : zodProblems(parsed.error.issues);
  // The form's values are all strings, so the rule functions can run on a body that failed structure.
  for (const each of [...structural, ...applicationRuleProblems(body, today)]) {
    if (!found.has(each.field)) found.set(each.field, each);
  }
  return found;
}

/** Values for a correction: the answer's fields, with masked ones from this tab's draft (else empty). */
export function valuesFromView(view: ApplicationView, draft: FormValues | undefined): FormValues {
  const values = emptyForm();
  const read = (path: string): unknown =>
    path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key], view);
  for (const field of TEXT_FIELDS) {
    const answer = read(field);
    const text = typeof answer === 'string' ? answer : '';
    values[field] = MASKED_FIELDS.includes(field) && text.includes('*') ? (draft?.[field] ?? '') : text;
  }
  values.type = view.type;
  values['settlement.accountType'] = view.settlement.accountType;
  values['settlement.cycle'] = view.settlement.cycle;
  return values;
}

/** `business.address.divisionCode` → `business-address-divisionCode` (an element id). */
export const idOf = (field: string) => `f-${field.replace(/\./g, '-')}`;

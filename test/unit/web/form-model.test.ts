import { describe, expect, it } from 'vitest';
import type { FieldProblem } from '../../../shared/errors';
import { AppError } from '../../../shared/errors';
import { parseApplication } from '../../../shared/validation/application-schema';
import { emptyForm, type FormValues, toBody, validate } from '../../../web/merchant/src/form-model';
import { validPersonalAccount, validResidentId } from '../../support/fixtures';

const TODAY = new Date('2026-12-01T00:00:00Z');

function filled(overrides: Partial<FormValues> = {}): FormValues {
  return {
    ...emptyForm(),
    'business.name': '张三便利店',
    'business.mcc': '5411',
    'business.address.divisionCode': '110105',
    'business.address.detail': '朝阳区建国路88号',
    'legalPerson.name': '张三',
    'legalPerson.idNumber': validResidentId(77),
    'legalPerson.phone': '13800138000',
    'contact.name': '张三',
    'contact.phone': '13800138000',
    'contact.email': 'zhangsan@example.com',
    'settlement.accountName': '张三',
    'settlement.accountNumber': validPersonalAccount(77),
    'settlement.bankName': '中国工商银行',
    ...overrides,
  };
}

/** What the API answers for the same body: its field problems, or none. */
function apiProblems(values: FormValues): FieldProblem[] {
  try {
    parseApplication(toBody(values, 'en'), TODAY);
    return [];
  } catch (error) {
    if (error instanceof AppError) return [...(error.fields ?? [])];
    throw error;
  }
}

describe('the merchant form’s checks are the API’s', () => {
  it('accepts a complete form, whose body the API accepts too', () => {
    const values = filled({ 'terminal.serialNumber': 'lkl00012345', 'terminal.model': 'A8' });
    expect([...validate(values, 'en', TODAY).values()]).toEqual([]);
    expect(apiProblems(values)).toEqual([]);
    expect(toBody(values, 'en').terminal).toEqual({ serialNumber: 'LKL00012345', model: 'A8' });
  });

  const cases: [string, Partial<FormValues>][] = [
    ['ID check character', { 'legalPerson.idNumber': `${validResidentId(78).slice(0, 17)}0` }],
    ['ID birth date', { 'legalPerson.idNumber': '110105199902300016' }],
    ['under 18', { 'legalPerson.idNumber': validResidentId(78).replace(/^(\d{6})\d{4}/, '$12020') }],
    ['mobile', { 'contact.phone': '12800138000' }],
    ['email', { 'contact.email': 'zhangsan@' }],
    ['division province', { 'business.address.divisionCode': '990105' }],
    ['MCC', { 'business.mcc': '0000' }],
    ['licence check character', { type: 'ENTERPRISE', 'business.licenseNumber': '91110000600037341X' }],
    ['account Luhn', { 'settlement.accountNumber': '6222020200000000001' }],
    ['corporate account for an individual', { 'settlement.accountType': 'CORPORATE' }],
    ['serial number format', { 'terminal.serialNumber': 'AB-1', 'terminal.model': 'A8' }],
    ['text too long', { 'business.name': '店'.repeat(101) }],
  ];

  it.each(cases)('reports %s with the API’s field, code and message', (_name, overrides) => {
    const values = filled(overrides);
    const api = apiProblems(values);
    expect(api.length).toBeGreaterThan(0);
    const form = validate(values, 'en', TODAY);
    for (const problem of api) expect(form.get(problem.field)).toEqual(problem);
  });

  // The one deliberate difference: an empty required field is "required" in the form, where the API
  // names the empty value by the rule it breaks (an empty ID number has the wrong format).
  it('names an empty required field REQUIRED (the enterprise licence too), and an empty optional one not at all', () => {
    const problems = validate(filled({ type: 'ENTERPRISE', 'business.name': '' }), 'en', TODAY);
    expect(problems.get('business.name')?.code).toBe('REQUIRED');
    expect(problems.get('business.licenseNumber')?.code).toBe('REQUIRED');
    expect(problems.has('business.shortName')).toBe(false);
    expect(problems.has('terminal.serialNumber')).toBe(false);
    const model = validate(filled({ 'terminal.serialNumber': 'LKL00012345' }), 'en', TODAY);
    expect(model.get('terminal.model')?.code).toBe('REQUIRED');
    expect(apiProblems(filled({ 'terminal.serialNumber': 'LKL00012345' })).map((p) => p.field)).toEqual([
      'terminal.model',
    ]);
  });
});

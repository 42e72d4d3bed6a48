import { luhnCheckDigit } from '../../shared/validation/luhn';
import { residentIdCheckCharacter } from '../../shared/validation/resident-id';

let counter = 0;

/** A valid resident ID (born 1990-01-01 + n days, Beijing Chaoyang), unique per call. */
export function validResidentId(seed = ++counter): string {
  const birth = new Date(Date.UTC(1980, 0, 1) + (seed % 5000) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110105${ymd}${String(seed % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}

/** A valid 19-digit personal account (Luhn), unique per call. */
export function validPersonalAccount(seed = ++counter): string {
  const payload = `622202${String(seed).padStart(12, '0')}`;
  return payload + luhnCheckDigit(payload);
}

/** A valid individual-merchant application body (spec 4.1 example with valid numbers). */
export function individualApplication(
  overrides: {
    idNumber?: string;
    mcc?: string;
    serialNumber?: string;
    email?: string;
    phone?: string;
    businessName?: string;
    locale?: 'zh-CN' | 'en';
  } = {},
) {
  const phone = overrides.phone ?? '13800138000';
  return {
    type: 'INDIVIDUAL',
    business: {
      name: overrides.businessName ?? '张三便利店',
      shortName: '张三便利',
      mcc: overrides.mcc ?? '5411',
      address: { divisionCode: '110105', detail: '朝阳区建国路88号' },
    },
    legalPerson: { name: '张三', idNumber: overrides.idNumber ?? validResidentId(), phone },
    contact: { name: '张三', phone, email: overrides.email ?? 'zhangsan@example.com' },
    settlement: {
      accountType: 'PERSONAL',
      accountName: '张三',
      accountNumber: validPersonalAccount(),
      bankName: '中国工商银行',
      cycle: 'T1',
    },
    ...(overrides.serialNumber ? { terminal: { serialNumber: overrides.serialNumber, model: 'A8' } } : {}),
    locale: overrides.locale ?? 'zh-CN',
  };
}

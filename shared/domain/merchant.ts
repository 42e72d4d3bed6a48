import type { FeePlanRef } from '../fee-plans/plan';
import type { Address, Contact, MerchantType, Settlement } from '../validation/application-schema';

/** Merchant states (spec 4.1). */
export type MerchantStatus = 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'CLOSED';

/** Terminal states (spec 4.2). */
export type TerminalStatus = 'IN_STOCK' | 'BOUND' | 'ACTIVATED' | 'VERIFIED';

/** Most terminals one merchant may hold (一机一码). */
export const MAX_TERMINALS_PER_MERCHANT = 5;

/** The stored merchant. */
export interface MerchantRecord {
  readonly merchantNo: string;
  readonly status: MerchantStatus;
  readonly version: number;
  readonly type: MerchantType;
  readonly business: {
    name: string;
    shortName?: string;
    mcc: string;
    address: Address;
    licenseNumber?: string;
  };
  readonly contact: Contact;
  readonly settlement: Settlement;
  readonly locale: 'zh-CN' | 'en';
  readonly applicationId: string;
  /** The fee plan version approved for the merchant (or set later by an operator). */
  readonly feePlan?: FeePlanRef;
  readonly terminalCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A merchant's terminal as listed on the merchant. */
export interface MerchantTerminalRecord {
  readonly serialNumber: string;
  readonly terminalId: string;
  readonly status: TerminalStatus;
  readonly boundAt: string;
  /** Suspended after a risk alert. */
  readonly suspended?: boolean;
}

/** Builds the 15-digit merchant number: acquirer 3 + area 4 + MCC 4 + sequence 4. */
export function merchantNumber(
  acquirerCode: string,
  divisionCode: string,
  mcc: string,
  sequence: number,
): string {
  if (!/^\d{3}$/.test(acquirerCode)) throw new Error('ACQUIRER_CODE must be 3 digits');
  if (sequence < 1 || sequence > 9999) throw new Error('Merchant-number sequence exhausted for this prefix');
  return `${acquirerCode}${divisionCode.slice(0, 4)}${mcc}${String(sequence).padStart(4, '0')}`;
}

/** The prefix whose sequence numbers a merchant number: acquirer + area + MCC. */
export function merchantNumberPrefix(acquirerCode: string, divisionCode: string, mcc: string): string {
  return `${acquirerCode}${divisionCode.slice(0, 4)}${mcc}`;
}

/** Formats an allocated terminal sequence as an 8-digit terminal ID. */
export function terminalIdOf(sequence: number): string {
  if (sequence < 1 || sequence > 99_999_999) throw new Error('Terminal-ID sequence exhausted');
  return String(sequence).padStart(8, '0');
}

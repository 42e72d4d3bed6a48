/**
 * Masking of personal data in every response (spec 4.1): ID `110***********002X`,
 * account `622202*********0000`, phone `138****8000`. Masks keep the length so people can
 * still recognise their own number, and reveal nothing a support call would not.
 */

function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return value.slice(0, keepStart) + '*'.repeat(value.length - keepStart - keepEnd) + value.slice(-keepEnd);
}

/** Resident ID: first 3 and last 4 characters. */
export const maskIdNumber = (value: string): string => maskMiddle(value, 3, 4);

/** Bank account: first 6 (the bank's BIN) and last 4 digits. */
export const maskAccountNumber = (value: string): string => maskMiddle(value, 6, 4);

/** Mobile: first 3 and last 4 digits. */
export const maskPhone = (value: string): string => maskMiddle(value, 3, 4);

/** Email: first character of the local part and the domain. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskMiddle(value, 1, 0);
  return `${value.charAt(0)}***${value.slice(at)}`;
}

/** Business licence (unified social credit code): first 6 (authority + area) and last 2. */
export const maskLicense = (value: string): string => maskMiddle(value, 6, 2);

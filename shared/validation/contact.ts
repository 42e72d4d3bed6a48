/**
 * Mainland China mobile number: 11 digits, a leading 1 and a second digit 3–9 (the ranges the
 * MIIT has allocated to mobile carriers). No country code, spaces or dashes. Deliberately without
 * the `g` or `y` flag, so sharing it is safe: `test()` keeps no `lastIndex` state.
 */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** RFC 5321 limits: the whole address fits a 256-octet path minus the angle brackets. */
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

/**
 * RFC 5322 dot-atom local part: runs of atext separated by single dots, so no leading, trailing
 * or doubled dot. Quoted local parts are deliberately unsupported; real mailboxes rarely use them.
 */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** RFC 1123 letter-digit-hyphen label: alphanumeric at both ends, hyphens only inside. */
const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** A top-level domain of letters only, which rules out IP literals and bare numbers. */
const TLD = /^[A-Za-z]{2,}$/;

/**
 * Whether `v` is a mainland China mobile number matching {@link MAINLAND_MOBILE}.
 *
 * @param v - the number as entered
 * @returns `true` for e.g. `'13800138000'`
 */
export function isMainlandMobile(v: string): boolean {
  return MAINLAND_MOBILE.test(v);
}

/**
 * A practical e-mail address check: good enough to catch typing mistakes before a message is
 * sent, without accepting the exotic forms (quoted local parts, comments, IP literals) that
 * RFC 5322 permits but mail providers reject.
 *
 * Accepts at most 254 characters with exactly one `@`; a local part of at most 64 atext characters
 * and non-adjacent inner dots; a domain of dot-separated LDH labels (each 1–63 characters) whose
 * last label is at least two letters. ASCII only, so no spaces or control characters.
 *
 * @param v - the address as entered (no trimming is done)
 * @returns `true` for e.g. `'zhangsan@example.com'`
 */
export function isEmailAddress(v: string): boolean {
  if (v.length > MAX_ADDRESS_LENGTH) {
    return false;
  }
  const parts = v.split('@');
  if (parts.length !== 2) {
    return false;
  }
  const [local = '', domain = ''] = parts;
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local)) {
    return false;
  }
  const labels = domain.split('.');
  const tld = labels.at(-1) ?? '';
  if (labels.length < 2 || !TLD.test(tld)) {
    return false;
  }
  return labels.every((label) => label.length <= MAX_LABEL_LENGTH && LDH_LABEL.test(label));
}

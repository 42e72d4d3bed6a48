import { lazy } from '../validation/lazy';

/**
 * Province-level administrative division prefixes of GB/T 2260 (the first two digits of a
 * six-digit division code, and therefore also of a resident ID number), mapped to the
 * division's official Chinese name.
 *
 * Only the first two digits are checked anywhere in the project: county-level codes are
 * revised every year and resident IDs keep the code that was current at registration, so a
 * full county list would reject long-standing, perfectly valid IDs. Built on first use rather
 * than at import (cold start of every function that imports the validation rules).
 */
export const provincePrefixes: () => Readonly<Record<string, string>> = /* @__PURE__ */ lazy(() =>
  Object.freeze({
    '11': '北京市',
    '12': '天津市',
    '13': '河北省',
    '14': '山西省',
    '15': '内蒙古自治区',
    '21': '辽宁省',
    '22': '吉林省',
    '23': '黑龙江省',
    '31': '上海市',
    '32': '江苏省',
    '33': '浙江省',
    '34': '安徽省',
    '35': '福建省',
    '36': '江西省',
    '37': '山东省',
    '41': '河南省',
    '42': '湖北省',
    '43': '湖南省',
    '44': '广东省',
    '45': '广西壮族自治区',
    '46': '海南省',
    '50': '重庆市',
    '51': '四川省',
    '52': '贵州省',
    '53': '云南省',
    '54': '西藏自治区',
    '61': '陕西省',
    '62': '甘肃省',
    '63': '青海省',
    '64': '宁夏回族自治区',
    '65': '新疆维吾尔自治区',
    '71': '台湾省',
    '81': '香港特别行政区',
    '82': '澳门特别行政区',
  }),
);

/** Problems {@link checkDivisionCode} can report. */
export type DivisionCodeProblem = 'INVALID_FORMAT' | 'INVALID_PROVINCE';

/**
 * Whether `p` is exactly two digits naming a real GB/T 2260 province-level division.
 *
 * @param p - candidate prefix, e.g. `'11'`
 * @returns `true` for a listed prefix such as `'11'` or `'82'`, `false` otherwise
 */
export function isValidProvincePrefix(p: string): boolean {
  // Object.hasOwn rather than `in`, so inherited names such as 'constructor' never count.
  return /^\d{2}$/.test(p) && Object.hasOwn(provincePrefixes(), p);
}

/**
 * Checks a six-digit GB/T 2260 division code such as `'110105'`.
 *
 * @param code - the candidate division code
 * @returns `undefined` when valid; `'INVALID_FORMAT'` unless exactly six ASCII digits;
 *   `'INVALID_PROVINCE'` when the first two digits are not a real province-level prefix
 */
export function checkDivisionCode(code: string): DivisionCodeProblem | undefined {
  if (!/^\d{6}$/.test(code)) {
    return 'INVALID_FORMAT';
  }
  return isValidProvincePrefix(code.slice(0, 2)) ? undefined : 'INVALID_PROVINCE';
}

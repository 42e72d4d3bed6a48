import { createI18nContext, type Lang } from '../../common/i18n';
import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';

/** The merchant pages' catalogue type. */
export type Strings = typeof zhCN;

/** One catalogue per language. */
export const CATALOGUES: Readonly<Record<Lang, Strings>> = { 'zh-CN': zhCN, en };

const i18n = createI18nContext<Strings>({ lang: 'zh-CN', t: zhCN, setLang: () => {} });
/** Provides the catalogue at the root. */
export const I18nProvider = i18n.Provider;
/** The current language and catalogue. */
export const useI18n = i18n.use;

/**
 * The text of a field problem: in English the API's own message for its code (the validation code
 * and its messages are the API's, shared/validation), in Chinese the catalogue's text for that code.
 */
export function problemText(t: Strings, lang: Lang, problem: { code: string; message: string }): string {
  return lang === 'en' ? problem.message : (t.problems[problem.code] ?? problem.message);
}

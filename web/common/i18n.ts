import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/**
 * Languages of both apps: zh-CN by default, English with `?lang=en` or the switch on the page. Each
 * app keeps one catalogue per language (`<app>/src/i18n/zh-CN.ts`, `en.ts`), the English one typed
 * after the Chinese one so a missing string fails the type check.
 */
export type Lang = 'zh-CN' | 'en';

/** The language the URL asks for. */
export function langFromUrl(): Lang {
  return new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'zh-CN';
}

/** Puts `lang` into the URL (kept across reloads and shared links) and the document. */
export function applyLang(lang: Lang): void {
  const url = new URL(window.location.href);
  if (lang === 'en') url.searchParams.set('lang', 'en');
  else url.searchParams.delete('lang');
  window.history.replaceState(window.history.state, '', url);
  document.documentElement.lang = lang;
}

/** The current catalogue and language, provided once at each app's root. */
export interface I18n<C> {
  readonly lang: Lang;
  readonly t: C;
  setLang(lang: Lang): void;
}

/** A context for one app's catalogue type. */
export function createI18nContext<C>(fallback: I18n<C>) {
  const context = createContext<I18n<C>>(fallback);
  return { Provider: context.Provider, use: () => useContext(context) };
}

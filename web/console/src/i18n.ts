import { createI18nContext, type Lang } from '../../common/i18n';
import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';

/** The console's catalogue type. */
export type Strings = typeof zhCN;

/** One catalogue per language. */
export const CATALOGUES: Readonly<Record<Lang, Strings>> = { 'zh-CN': zhCN, en };

const i18n = createI18nContext<Strings>({ lang: 'zh-CN', t: zhCN, setLang: () => {} });
/** Provides the catalogue at the root. */
export const I18nProvider = i18n.Provider;
/** The current language and catalogue. */
export const useI18n = i18n.use;

/** A label from a keyed part of the catalogue, or the key itself when it is not listed. */
export function label(map: Readonly<Record<string, string>>, key: string | null | undefined): string {
  if (key === null || key === undefined) return '—';
  return map[key] ?? key;
}

/** An actor as the console says it: `staff:op-1` is "Staff op-1"; a system actor by its name. */
export function actorText(t: Strings, actor: string): string {
  const [kind, who] = actor.split(':');
  return kind === 'staff' ? `${label(t.actors, 'staff')} ${who ?? ''}` : label(t.actors, kind ?? '');
}

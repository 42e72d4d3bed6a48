import type { Lang } from './i18n';

/** Business times are shown in Asia/Shanghai, whatever the device's zone. */
const TIME_ZONE = 'Asia/Shanghai';

// One formatter per language: building an Intl formatter costs far more than using one, and a
// page of the queue formats two times per row.
const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();
const relativeFormats = new Map<Lang, Intl.RelativeTimeFormat>();

function dateTimeFormat(lang: Lang): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
    dateTimeFormats.set(lang, format);
  }
  return format;
}

function relativeFormat(lang: Lang): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(lang);
  if (!format) {
    format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' });
    relativeFormats.set(lang, format);
  }
  return format;
}

/** `2026年11月22日 16:29` / `22 Nov 2026, 16:29`. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat(lang).format(date);
}

/** How long ago: `3 分钟前` / `3 min. ago`. */
export function formatAge(iso: string, now: number, lang: Lang): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = relativeFormat(lang);
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/**
 * `npx tsx scripts/sms-registered-texts.ts`: every SMS text to register with a template-based
 * mainland SMS provider (the China profile's), values as `{1}`, `{2}`, … and without the
 * signature, as the skeleton of the provider secret's `templates` (fill in each template id the
 * provider approves; docs/deploy.md § SMS through Tencent Cloud SMS).
 */
import { pathToFileURL } from 'node:url';
import { TEMPLATE_CATALOG } from '../shared/notifications/catalog';
import { LOCALES } from '../shared/notifications/template-engine';
import { renderSms } from '../shared/notifications/templates';

/** One text to register: our template id, the language, and the text. */
export interface RegisteredSmsText {
  readonly templateId: string;
  readonly locale: string;
  readonly text: string;
}

/**
 * Every registered text the product can send: each SMS template of the catalog in both languages,
 * and the approval without an activation code (sent when no terminal was bound at approval).
 */
export function registeredSmsTexts(): RegisteredSmsText[] {
  const texts = new Map<string, RegisteredSmsText>();
  const add = (templateId: string, locale: string, text: string) => {
    if (!texts.has(text)) texts.set(text, { templateId, locale, text });
  };
  for (const entry of TEMPLATE_CATALOG) {
    for (const locale of LOCALES) {
      const sms = entry.render(locale, '拉卡拉').sms;
      if (sms) add(sms.templateId, locale, sms.registeredText);
    }
  }
  for (const locale of LOCALES) {
    const approved = renderSms(
      'APPLICATION_APPROVED',
      locale,
      { businessName: '', applicationId: '', merchantNo: '102110154110007' },
      '拉卡拉',
    );
    add(approved.templateId, locale, approved.registeredText);
  }
  return [...texts.values()];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const skeleton = Object.fromEntries(registeredSmsTexts().map(({ text }) => [text, '']));
  console.log(JSON.stringify({ secretId: '', secretKey: '', templates: skeleton }, null, 2));
}

/**
 * The one small template engine behind every message of the product (onboarding, terminals,
 * change requests, supervisors). A template is plain code per locale that returns its copy; the
 * engine alone turns copy into an email (subject, text part, HTML part with every value escaped)
 * or an SMS (【signature】 first, one 70-character segment, a registered template id), so the
 * escaping and length rules cannot differ between template families.
 */

/** Languages of the messages (the merchant's `locale`, spec 4.1). */
export type Locale = 'zh-CN' | 'en';

/** Every locale, for exhaustive tests and listings. */
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** Largest SMS that fits one UCS-2 segment (any Chinese character makes the message UCS-2). */
export const SMS_SEGMENT_CHARS = 70;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A paragraph, or a bulleted list (reasons, changed sections). */
export type Block = string | { readonly list: readonly string[] };

/** What a template says in one locale; `sms` is absent for email-only templates. */
export interface MessageCopy {
  readonly subject: string;
  readonly blocks: readonly Block[];
  readonly sms?: string;
}

/** A rendered email. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A rendered SMS and the id it is registered under with the carriers. */
export interface RenderedSms {
  readonly body: string;
  readonly templateId: string;
}

/** A family of templates: copy per locale and template, and the SMS template ids. */
export interface TemplateFamily<T extends string, V> {
  readonly copy: Readonly<Record<Locale, Readonly<Record<T, (values: V) => MessageCopy>>>>;
  /** Mainland SMS needs each template registered; templates without an id are email-only. */
  readonly smsTemplateIds: Readonly<Partial<Record<T, string>>>;
}

// Every email says it is automated: a reply would reach nobody (the sender address is a no-reply).
const FOOTER: Record<Locale, string> = {
  'zh-CN': '此邮件由系统自动发送，请勿直接回复。',
  en: 'This message was sent automatically; please do not reply to it.',
};

/** Subject, text part and HTML part of one copy; every string in the HTML is escaped. */
export function renderEmailCopy(copy: MessageCopy, locale: Locale): RenderedEmail {
  const text = [
    ...copy.blocks.map((block) =>
      typeof block === 'string' ? block : block.list.map((item) => `- ${item}`).join('\n'),
    ),
    '',
    FOOTER[locale],
  ].join('\n');
  const body = copy.blocks
    .map((block) =>
      typeof block === 'string'
        ? `<p>${escapeHtml(block)}</p>`
        : `<ul>${block.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`,
    )
    .join('');
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(copy.subject)}</title></head>` +
    `<body>${body}<p style="color:#888888;font-size:12px">${escapeHtml(FOOTER[locale])}</p></body></html>`;
  return { subject: copy.subject, text: `${text}\n`, html };
}

/** `【signature】text`; throws when it would not fit one segment (a template bug, caught by tests). */
export function renderSmsText(
  text: string,
  signature: string,
  templateId: string,
  name: string,
): RenderedSms {
  const body = `【${signature}】${text}`;
  if ([...body].length > SMS_SEGMENT_CHARS) throw new Error(`SMS ${name} exceeds one segment`);
  return { body, templateId };
}

/** Renders the templates of one family. */
export function templateRenderer<T extends string, V>(family: TemplateFamily<T, V>) {
  return {
    email(template: T, locale: Locale, values: V): RenderedEmail {
      return renderEmailCopy(family.copy[locale][template](values), locale);
    },
    sms(template: T, locale: Locale, values: V, signature: string): RenderedSms {
      const text = family.copy[locale][template](values).sms;
      const templateId = family.smsTemplateIds[template];
      if (text === undefined || templateId === undefined) throw new Error(`No SMS template ${template}`);
      return renderSmsText(text, signature, templateId, `${template}/${locale}`);
    },
  };
}

/** `- field: reason` items of a rejection or a request for changes. */
export function reasonItems(reasons: readonly { field: string; reason: string }[] | undefined): Block[] {
  const items = (reasons ?? []).map((r) => `${r.field}: ${r.reason}`);
  return items.length > 0 ? [{ list: items }] : [];
}

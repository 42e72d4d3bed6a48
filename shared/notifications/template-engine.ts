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
  /** `【signature】text`, as sent whole (End User Messaging SMS, the local outbox). */
  readonly body: string;
  readonly templateId: string;
  /**
   * The text as a template-based provider registers it: the values replaced by `{1}`, `{2}`, … in
   * their order of appearance, without the signature (the provider adds its approved signature).
   */
  readonly registeredText: string;
  /** The values of the placeholders of {@link registeredText}, in order. */
  readonly params: readonly string[];
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
  template: { readonly registeredText: string; readonly params: readonly string[] } = {
    registeredText: text,
    params: [],
  },
): RenderedSms {
  const body = `【${signature}】${text}`;
  if ([...body].length > SMS_SEGMENT_CHARS) throw new Error(`SMS ${name} exceeds one segment`);
  return { body, templateId, ...template };
}

/** Marks a value in the copy rendered by {@link smsParams} (never in a real value: a control character). */
const MARK = '\u0000';

/**
 * The registered form of an SMS: the copy is rendered a second time with every string value
 * replaced by a mark naming it, so whatever a template interpolates, in whatever order, becomes a
 * placeholder with no change to the templates. A template that transforms a value (slices it,
 * formats it) cannot be told apart this way and throws, which the catalog test catches.
 */
function smsParams<V>(
  render: (values: V) => string | undefined,
  values: V,
  text: string,
  name: string,
): { registeredText: string; params: string[] } {
  const marked = Object.fromEntries(
    Object.entries(values as Record<string, unknown>).map(([key, value]) => [
      key,
      typeof value === 'string' ? `${MARK}${key}${MARK}` : value,
    ]),
  ) as V;
  const parts = (render(marked) ?? '').split(MARK);
  const params: string[] = [];
  let registeredText = '';
  for (const [index, part] of parts.entries()) {
    if (index % 2 === 0) registeredText += part;
    else {
      params.push(String((values as Record<string, unknown>)[part]));
      registeredText += `{${params.length}}`;
    }
  }
  const rebuilt = registeredText.replace(/\{(\d+)\}/g, (_match, n: string) => params[Number(n) - 1] ?? '');
  if (rebuilt !== text) throw new Error(`SMS ${name}: its values cannot be told apart from its text`);
  return { registeredText, params };
}

/**
 * Renders the emails of one family. Emails and SMS have a renderer each, which every family
 * creates at module scope in a call marked `@__PURE__`: a bundle that imports a family's module for
 * something else (the onboarding checks only need the agreement page's address) then leaves out
 * the renderers it never calls and the family's copy behind them. A property read of one object
 * holding both (`renderer.email`) would keep them all.
 */
export function emailRenderer<T extends string, V>(family: TemplateFamily<T, V>) {
  return (template: T, locale: Locale, values: V): RenderedEmail =>
    renderEmailCopy(family.copy[locale][template](values), locale);
}

/** Renders the SMS of one family, as registered with the carrier (template id and parameters). */
export function smsRenderer<T extends string, V>(family: TemplateFamily<T, V>) {
  return (template: T, locale: Locale, values: V, signature: string): RenderedSms => {
    const copy = family.copy[locale][template];
    const text = copy(values).sms;
    const templateId = family.smsTemplateIds[template];
    if (text === undefined || templateId === undefined) throw new Error(`No SMS template ${template}`);
    const name = `${template}/${locale}`;
    const registered = smsParams((marked: V) => copy(marked).sms, values, text, name);
    return renderSmsText(text, signature, templateId, name, registered);
  };
}

/** Renders the templates of one family, emails and SMS. */
export function templateRenderer<T extends string, V>(family: TemplateFamily<T, V>) {
  return { email: emailRenderer(family), sms: smsRenderer(family) };
}

/** `- field: reason` items of a rejection or a request for changes. */
export function reasonItems(reasons: readonly { field: string; reason: string }[] | undefined): Block[] {
  const items = (reasons ?? []).map((r) => `${r.field}: ${r.reason}`);
  return items.length > 0 ? [{ list: items }] : [];
}

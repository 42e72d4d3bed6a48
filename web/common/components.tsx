import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Lang } from './i18n';

/** `aria-describedby` of a field: its hint and its error, when present. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** Hint and error lines under a control (the error is announced when it appears). */
export function FieldNotes(props: { id: string; hint?: ComponentChildren; error?: string | undefined }) {
  return (
    <>
      {props.hint ? (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${props.id}-error`} class="field-error">
          {props.error}
        </p>
      ) : null}
    </>
  );
}

/** A labelled text input (or textarea) with its hint and error. */
export function TextField(props: {
  id: string;
  label: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  onBlur?: () => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  type?: 'text' | 'email' | 'tel' | 'search';
  inputMode?: 'text' | 'numeric' | 'tel' | 'email' | 'decimal' | 'search' | 'url' | 'none';
  autoComplete?: string;
  maxLength?: number;
  required?: boolean;
  multiline?: boolean;
  placeholder?: string;
}) {
  const common = {
    id: props.id,
    name: props.id,
    value: props.value,
    required: props.required,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(props.id, props.hint, props.error),
    onBlur: props.onBlur,
  };
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={3} onInput={(e) => props.onValue(e.currentTarget.value)} />
      ) : (
        <input
          {...common}
          // One literal for preact's per-type input typings; the DOM takes any of the four.
          type={(props.type ?? 'text') as 'text'}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete ?? 'off'}
          onInput={(e) => props.onValue(e.currentTarget.value)}
        />
      )}
      <FieldNotes id={props.id} hint={props.hint} error={props.error} />
    </div>
  );
}

/** A labelled select. */
export function SelectField(props: {
  id: string;
  label: ComponentChildren;
  value: string;
  options: readonly { value: string; label: string }[];
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
}) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        name={props.id}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        onChange={(e) => props.onValue(e.currentTarget.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldNotes id={props.id} hint={props.hint} error={props.error} />
    </div>
  );
}

/** Radio buttons in a fieldset whose legend names the choice. */
export function RadioGroup(props: {
  id: string;
  legend: ComponentChildren;
  value: string;
  options: readonly { value: string; label: ComponentChildren }[];
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
}) {
  return (
    <fieldset
      class={props.error ? 'field radios field--error' : 'field radios'}
      aria-describedby={describedBy(props.id, props.hint, props.error)}
    >
      <legend>{props.legend}</legend>
      {props.options.map((option) => (
        <label key={option.value} class="radio">
          <input
            type="radio"
            name={props.id}
            value={option.value}
            checked={props.value === option.value}
            onChange={() => props.onValue(option.value)}
          />
          <span>{option.label}</span>
        </label>
      ))}
      <FieldNotes id={props.id} hint={props.hint} error={props.error} />
    </fieldset>
  );
}

/** An error message for the whole page or form, announced at once. */
export function Alert(props: { children: ComponentChildren }) {
  return (
    <div class="alert" role="alert">
      {props.children}
    </div>
  );
}

/** A polite status line (e.g. "Decision recorded"). */
export function StatusMessage(props: { children: ComponentChildren }) {
  return (
    <p class="status-message" role="status">
      {props.children}
    </p>
  );
}

/** The language switch: a button naming the other language in that language. */
export function LangSwitch(props: { lang: Lang; onSwitch: (lang: Lang) => void }) {
  const other: Lang = props.lang === 'en' ? 'zh-CN' : 'en';
  return (
    <button type="button" class="link-button lang-switch" lang={other} onClick={() => props.onSwitch(other)}>
      {other === 'en' ? 'English' : '中文'}
    </button>
  );
}

/**
 * A question asked in place before an action that cannot be undone from the page (deleting an
 * endpoint, suspending a merchant): the question, the action's button, which takes the focus, and
 * Cancel.
 */
export function ConfirmStep(props: {
  question: ComponentChildren;
  confirmLabel: string;
  cancelLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <div class="confirm">
      <p>{props.question}</p>
      <div class="actions compact">
        <button ref={confirm} type="button" class="danger" disabled={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
      </div>
    </div>
  );
}

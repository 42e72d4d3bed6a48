import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { isValidProvincePrefix, provincePrefixes } from '../../../shared/reference/divisions';
import { findMcc, mccTable } from '../../../shared/reference/mcc';
import { ApiError, type ApplicationBody } from '../../common/api';
import { Alert, RadioGroup, TextField } from '../../common/components';
import { useAction } from '../../common/use-action';
import { Combobox, type ComboOption } from './combobox';
import {
  type FieldPath,
  type FormValues,
  idOf,
  isRequired,
  TEXT_FIELDS,
  type TextField as Text,
  toBody,
  validate,
} from './form-model';
import { problemText, useI18n } from './i18n';

/** The MCC table as picker options, searchable by code and by the Chinese and English names. */
function mccOptions(query: string, lang: 'zh-CN' | 'en'): ComboOption[] {
  const needle = query.trim().toLowerCase();
  return [...mccTable().values()]
    .filter((entry) => entry.riskLevel !== 'PROHIBITED')
    .filter(
      (entry) =>
        needle === '' ||
        entry.mcc.startsWith(needle) ||
        entry.descriptionZh.includes(needle) ||
        entry.description.toLowerCase().includes(needle),
    )
    .map((entry) => ({
      value: entry.mcc,
      label: `${entry.mcc} ${lang === 'en' ? entry.description : entry.descriptionZh}`,
    }));
}

/** Provinces as picker options (`110000 北京市`): picking one fills a valid code to refine. */
function divisionOptions(query: string): ComboOption[] {
  const needle = query.trim();
  return Object.entries(provincePrefixes())
    .filter(
      ([prefix, name]) => needle === '' || name.includes(needle) || prefix.startsWith(needle.slice(0, 2)),
    )
    .map(([prefix, name]) => ({ value: `${prefix}0000`, label: `${prefix}0000 ${name}` }));
}

/**
 * The application form (spec 4.1 body), checked as the merchant types with the API's own rules. Used
 * to create the application, to change a draft, and to correct one that needs changes (then the
 * reviewer's reasons stand next to their fields).
 */
export function ApplicationForm(props: {
  initial: FormValues;
  submitLabel: string;
  onSubmit: (body: ApplicationBody, values: FormValues) => Promise<void>;
  onChange?: (values: FormValues) => void;
  /** Reviewer reasons by field path, shown until the field is changed. */
  reasons?: ReadonlyMap<string, string>;
  /** Masked values on file (`138****8000`) of fields to type again. */
  masked?: Readonly<Partial<Record<Text, string>>>;
  children?: ComponentChildren;
}) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<FormValues>(props.initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverProblems, setServerProblems] = useState<
    ReadonlyMap<string, { code: string; message: string }>
  >(new Map());
  const { busy, error, setError, run } = useAction((caught) => {
    if (!(caught instanceof ApiError)) return t.networkError;
    if (caught.fields.length === 0) return `${caught.message} (${caught.code})`;
    // Each field's problem shows at its input; the alert counts them.
    setServerProblems(new Map(caught.fields.map((p) => [p.field, p])));
    return t.form.fixErrors(caught.fields.length);
  });
  const form = useRef<HTMLFormElement>(null);
  const problems = useMemo(() => validate(values, lang), [values, lang]);

  const update = (field: FieldPath, value: string) => {
    const next = { ...values, [field]: value } as FormValues;
    setValues(next);
    setChanged(new Set(changed).add(field));
    if (serverProblems.has(field)) {
      const rest = new Map(serverProblems);
      rest.delete(field);
      setServerProblems(rest);
    }
    props.onChange?.(next);
  };
  const touch = (field: string) => {
    if (!touched.has(field)) setTouched(new Set(touched).add(field));
  };
  const errorOf = (field: string): string | undefined => {
    const server = serverProblems.get(field);
    if (server) return problemText(t, lang, server);
    const found = problems.get(field);
    return found && (submitted || touched.has(field)) ? problemText(t, lang, found) : undefined;
  };
  const reasonOf = (field: string) => (changed.has(field) ? undefined : props.reasons?.get(field));
  const hintOf = (field: Text, hint?: ComponentChildren): ComponentChildren => {
    const reason = reasonOf(field);
    const masked = props.masked?.[field];
    if (!reason && !masked && !hint) return undefined;
    return (
      <>
        {reason ? (
          <span class="reason">
            {t.status.reasonLabel}: {reason}
          </span>
        ) : null}
        {masked && values[field] === '' ? <span>{t.form.maskedHint(masked)}</span> : null}
        {hint ? <span>{hint}</span> : null}
      </>
    );
  };

  const text = (
    field: Text,
    options: {
      type?: 'text' | 'email' | 'tel';
      inputMode?: 'text' | 'numeric' | 'tel' | 'email';
      autoComplete?: string;
      maxLength?: number;
      hint?: ComponentChildren;
    } = {},
  ) => (
    <TextField
      id={idOf(field)}
      label={t.fields[field] ?? field}
      value={values[field]}
      onValue={(value) => update(field, value)}
      onBlur={() => touch(field)}
      error={errorOf(field)}
      hint={hintOf(field, options.hint)}
      required={isRequired(field, values)}
      type={options.type}
      inputMode={options.inputMode}
      autoComplete={options.autoComplete}
      maxLength={options.maxLength}
    />
  );

  const mcc = findMcc(values['business.mcc'].trim());
  const province = values['business.address.divisionCode'].trim().slice(0, 2);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    setError(undefined);
    if (problems.size > 0) {
      setError(t.form.fixErrors(problems.size));
      const first = TEXT_FIELDS.find((field) => problems.has(field));
      if (first) form.current?.querySelector<HTMLElement>(`#${idOf(first)}`)?.focus();
      return;
    }
    await run(() => props.onSubmit(toBody(values, lang), values));
  };

  return (
    <form ref={form} onSubmit={submit} noValidate class="application-form">
      {error ? <Alert>{error}</Alert> : null}
      <RadioGroup
        id={idOf('type')}
        legend={t.form.type}
        value={values.type}
        onValue={(value) => update('type', value)}
        options={(['INDIVIDUAL', 'ENTERPRISE'] as const).map((value) => ({
          value,
          label: t.form.types[value],
        }))}
        hint={reasonOf('type')}
      />

      <fieldset class="section">
        <legend>{t.form.business}</legend>
        {text('business.name', { maxLength: 100, autoComplete: 'organization' })}
        {text('business.shortName', { maxLength: 40 })}
        {text('business.licenseNumber', {
          maxLength: 18,
          hint: values.type === 'INDIVIDUAL' ? t.licenseHintIndividual : undefined,
        })}
        <Combobox
          id={idOf('business.mcc')}
          label={t.fields['business.mcc']}
          listLabel={t.fields['business.mcc'] ?? ''}
          value={values['business.mcc']}
          search={(query) => mccOptions(query, lang)}
          onValue={(value) => update('business.mcc', value)}
          onBlur={() => touch('business.mcc')}
          error={errorOf('business.mcc')}
          noMatches={t.form.noMatches}
          hint={
            <>
              {hintOf('business.mcc')}
              <span>
                {mcc
                  ? `${mcc.mcc} · ${lang === 'en' ? mcc.description : mcc.descriptionZh}${
                      mcc.riskLevel === 'HIGH' ? ` · ${t.form.mccHigh}` : ''
                    }${mcc.riskLevel === 'PROHIBITED' ? ` · ${t.form.mccProhibited}` : ''}`
                  : t.form.mccHint}
              </span>
            </>
          }
        />
        <Combobox
          id={idOf('business.address.divisionCode')}
          label={t.fields['business.address.divisionCode']}
          listLabel={t.fields['business.address.divisionCode'] ?? ''}
          value={values['business.address.divisionCode']}
          search={divisionOptions}
          onValue={(value) => update('business.address.divisionCode', value)}
          onBlur={() => touch('business.address.divisionCode')}
          error={errorOf('business.address.divisionCode')}
          noMatches={t.form.noMatches}
          inputMode="text"
          hint={
            <>
              {hintOf('business.address.divisionCode')}
              <span>
                {isValidProvincePrefix(province)
                  ? t.form.divisionProvince(provincePrefixes()[province] ?? '')
                  : t.form.divisionHint}
              </span>
            </>
          }
        />
        {text('business.address.detail', { maxLength: 200, autoComplete: 'street-address' })}
      </fieldset>

      <fieldset class="section">
        <legend>{t.form.legalPerson}</legend>
        {text('legalPerson.name', { maxLength: 50 })}
        {text('legalPerson.idNumber', { maxLength: 18 })}
        {text('legalPerson.phone', {
          type: 'tel',
          inputMode: 'tel',
          maxLength: 11,
          autoComplete: 'tel-national',
        })}
      </fieldset>

      <fieldset class="section">
        <legend>{t.form.contact}</legend>
        <button
          type="button"
          class="secondary small"
          onClick={() => {
            const next = {
              ...values,
              'contact.name': values['legalPerson.name'],
              'contact.phone': values['legalPerson.phone'],
            };
            setValues(next);
            setChanged(new Set(changed).add('contact.name').add('contact.phone'));
            props.onChange?.(next);
          }}
        >
          {t.form.sameAsLegal}
        </button>
        {text('contact.name', { maxLength: 50, autoComplete: 'name' })}
        {text('contact.phone', {
          type: 'tel',
          inputMode: 'tel',
          maxLength: 11,
          autoComplete: 'tel-national',
        })}
        {text('contact.email', { type: 'email', inputMode: 'email', maxLength: 254, autoComplete: 'email' })}
      </fieldset>

      <fieldset class="section">
        <legend>{t.form.settlement}</legend>
        <RadioGroup
          id={idOf('settlement.accountType')}
          legend={t.fields['settlement.accountType']}
          value={values['settlement.accountType']}
          onValue={(value) => update('settlement.accountType', value)}
          options={(['PERSONAL', 'CORPORATE'] as const).map((value) => ({
            value,
            label: t.form.accountTypes[value],
          }))}
          error={errorOf('settlement.accountType')}
          hint={reasonOf('settlement.accountType')}
        />
        {text('settlement.accountName', { maxLength: 100 })}
        {text('settlement.accountNumber', { inputMode: 'numeric', maxLength: 30 })}
        {text('settlement.bankName', { maxLength: 100 })}
        <RadioGroup
          id={idOf('settlement.cycle')}
          legend={t.fields['settlement.cycle']}
          value={values['settlement.cycle']}
          onValue={(value) => update('settlement.cycle', value)}
          options={(['T1', 'T0'] as const).map((value) => ({ value, label: t.form.cycles[value] }))}
          // The T+0 surcharge's rate comes from the fee plan (section 7) once fee plans exist.
          hint={
            <>
              {reasonOf('settlement.cycle') ? (
                <span class="reason">
                  {t.status.reasonLabel}: {reasonOf('settlement.cycle')}
                </span>
              ) : null}
              <span>{t.form.t0Surcharge}</span>
            </>
          }
        />
      </fieldset>

      <fieldset class="section">
        <legend>{t.form.terminal}</legend>
        <p class="hint">{t.form.terminalHint}</p>
        {text('terminal.serialNumber', { maxLength: 32 })}
        {text('terminal.model', { maxLength: 40 })}
      </fieldset>

      {props.children}
      <div class="actions">
        <button type="submit" class="wide" disabled={busy}>
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { findMcc } from '../../../../shared/reference/mcc';
import {
  ApiError,
  type ApplicationView,
  type DocumentKind,
  getApplication,
  requiredDocumentKinds,
  submitApplication,
  updateApplication,
} from '../../../common/api';
import { Alert, StatusMessage } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf } from '../../../common/router';
import { useAsync } from '../../../common/use-async';
import { ApplicationForm } from '../application-form';
import { DocumentSlots } from '../document-slots';
import { MASKED_FIELDS, TEXT_FIELDS, valuesFromView } from '../form-model';
import { type Strings, useI18n } from '../i18n';
import { forgetDraft, loadDraft, type MerchantSession, saveDraft } from '../merchant-session';
import { maskedValue } from './apply';

/** States the workflow moves on from by itself: the page looks again every few seconds. */
const MOVING = new Set(['SUBMITTED', 'CHECKING']);
const DECIDED = new Set(['APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED']);

/**
 * Step 3: where the application stands, in plain words; the reviewer's reasons next to their fields;
 * for NEEDS_CHANGES the form and the documents to correct in place and resubmit; once approved, the
 * merchant number and the way to activation. (Section 9's `requirements` list replaces the derived
 * "what you need to do" once the API answers it; the agreement of section 7 comes before activation.)
 */
export function StatusPage(props: { session: MerchantSession }) {
  const { t, lang } = useI18n();
  const { session } = props;
  const view = useAsync(() => getApplication(session.token, session.applicationId), [session.applicationId]);
  const [resubmitted, setResubmitted] = useState(false);
  const status = view.value?.status;
  const painted = usePaintedOnce(view.value !== undefined);

  useEffect(() => {
    if (!status || !MOVING.has(status)) return;
    const timer = window.setTimeout(view.reload, 2000);
    return () => window.clearTimeout(timer);
  }, [status, view.value, view.reload]);
  useEffect(() => {
    if (status && DECIDED.has(status)) forgetDraft();
  }, [status]);

  if (view.loading && !view.value) return <p>{t.loading}</p>;
  if (!view.value)
    return <Alert>{view.error instanceof ApiError ? view.error.message : t.networkError}</Alert>;
  const app = view.value;
  const reasons = new Map(app.reasons.map((reason) => [reason.field, reason.reason]));

  return (
    <section>
      <h1>{t.status.title}</h1>
      <div class={`card status-card status-${app.status.toLowerCase()}`}>
        <p class="status-line">
          <span class="badge">{t.statuses[app.status] ?? app.status}</span>
        </p>
        <p class="headline" aria-live="polite">
          {t.status.headline[app.status] ?? app.status}
        </p>
        <dl class="facts">
          <dt>{t.status.applicationId}</dt>
          <dd class="mono">{app.applicationId}</dd>
          {app.merchantNo ? (
            <>
              <dt>{t.status.merchantNo}</dt>
              <dd class="mono">{app.merchantNo}</dd>
            </>
          ) : null}
          {app.terminalId ? (
            <>
              <dt>{t.status.terminalId}</dt>
              <dd class="mono">{app.terminalId}</dd>
            </>
          ) : null}
        </dl>
        {app.reasons.length > 0 ? (
          <div class="requirements">
            <h2>{app.status === 'NEEDS_CHANGES' ? t.status.requirements : t.status.reasonsIntro}</h2>
            <ul>
              {app.reasons.map((reason) => (
                <li key={`${reason.field}-${reason.reason}`}>
                  <strong>
                    {(t.fields[reason.field] ?? reason.field).replace(/（选填）| \(optional\)/, '')}
                  </strong>
                  {lang === 'en' ? ': ' : '：'}
                  {reason.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {resubmitted ? <StatusMessage>{t.status.resubmitted}</StatusMessage> : null}
        <div class="actions">
          {app.status === 'DRAFT' ? (
            <a class="button wide" href={hrefOf('/documents')}>
              {t.status.continueDocuments}
            </a>
          ) : null}
          {app.status === 'APPROVED' ? (
            <>
              <a class="button wide" href={hrefOf('/agreement')}>
                {t.status.agreement}
              </a>
              <a class="button secondary wide" href={hrefOf('/activate')}>
                {t.status.activate}
              </a>
            </>
          ) : null}
          <button type="button" class="secondary" onClick={view.reload}>
            {t.status.refresh}
          </button>
        </div>
      </div>

      {!painted ? null : app.status === 'NEEDS_CHANGES' ? (
        <Correction
          key={app.updatedAt}
          app={app}
          reasons={reasons}
          session={session}
          onResubmitted={() => {
            setResubmitted(true);
            view.reload();
          }}
        />
      ) : (
        <Summary t={t} lang={lang} app={app} reasons={reasons} />
      )}

      {painted ? <History t={t} lang={lang} app={app} /> : null}
    </section>
  );
}

/**
 * Whether the page has been painted once since `ready`: the status card is painted first, and what
 * follows it (the correction form, the summary, the history: most of the page's rendering, and the
 * date formatter, whose locale data takes a slow phone a few hundred milliseconds to load) right
 * after, so the merchant reads where the application stands without waiting for the rest.
 */
function usePaintedOnce(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  // Preact runs effects after the browser has painted the frame.
  useEffect(() => {
    if (ready) setPainted(true);
  }, [ready]);
  return painted;
}

/** What happened so far, in plain words, newest last. */
function History(props: { t: Strings; lang: 'zh-CN' | 'en'; app: ApplicationView }) {
  const { t, lang, app } = props;
  return (
    <section class="card" aria-labelledby="history-heading">
      <h2 id="history-heading">{t.status.timeline}</h2>
      <ol class="timeline">
        {app.timeline.map((entry, index) => (
          <li key={index}>
            <time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time>
            {(entry.action && t.timeline[entry.action]) || (t.statuses[entry.status] ?? entry.status)}
            {entry.fields && entry.fields.length > 0 ? (
              <span class="subtle">
                {' '}
                ·{' '}
                {entry.fields
                  .map((field) => (t.fields[field] ?? field).replace(/（选填）| \(optional\)/, ''))
                  .join(lang === 'en' ? ', ' : '、')}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The application as stored (masked), each reviewer reason under its field. */
function Summary(props: {
  t: Strings;
  lang: 'zh-CN' | 'en';
  app: ApplicationView;
  reasons: ReadonlyMap<string, string>;
}) {
  const { t, app, reasons } = props;
  const rows: [string, string][] = [
    ['type', t.form.types[app.type] ?? app.type],
    ...TEXT_FIELDS.map((field): [string, string] => {
      const value = maskedValue(app, field);
      const mcc = field === 'business.mcc' && typeof value === 'string' ? findMcc(value) : undefined;
      const text = typeof value === 'string' ? value : '';
      return [field, mcc ? `${text} ${props.lang === 'en' ? mcc.description : mcc.descriptionZh}` : text];
    }),
    ['settlement.accountType', t.form.accountTypes[app.settlement.accountType] ?? ''],
    ['settlement.cycle', t.form.cycles[app.settlement.cycle] ?? ''],
    ...app.documents.map((doc): [string, string] => [`documents.${doc.kind}`, doc.uploaded ? '✓' : '—']),
  ];
  return (
    <section class="card" aria-labelledby="summary-heading">
      <h2 id="summary-heading">{t.status.summary}</h2>
      <dl class="facts summary">
        {rows
          .filter(([, value]) => value !== '')
          .map(([field, value]) => [
            <dt key={`${field}-dt`}>{(t.fields[field] ?? field).replace(/（选填）| \(optional\)/, '')}</dt>,
            <dd key={`${field}-dd`}>
              <span class={/Number|phone|idNumber|Code|mcc/.test(field) ? 'mono' : undefined}>{value}</span>
              {reasons.has(field) ? (
                <span class="reason">
                  {t.status.reasonLabel}: {reasons.get(field)}
                </span>
              ) : null}
            </dd>,
          ])}
      </dl>
      <p class="hint">{t.status.maskedNote}</p>
    </section>
  );
}

/** NEEDS_CHANGES: the form and the documents with the reasons in place, then PUT and submit. */
function Correction(props: {
  app: ApplicationView;
  reasons: ReadonlyMap<string, string>;
  session: MerchantSession;
  onResubmitted: () => void;
}) {
  const { t } = useI18n();
  const { app, session } = props;
  const draft = loadDraft();
  const initial = valuesFromView(app, draft?.applicationId === app.applicationId ? draft.values : undefined);
  const masked = Object.fromEntries(
    MASKED_FIELDS.map((field) => {
      const onFile = maskedValue(app, field);
      return [field, typeof onFile === 'string' && onFile.includes('*') ? onFile : ''];
    }),
  );
  const kinds = requiredDocumentKinds(app.type);
  const [uploaded, setUploaded] = useState<ReadonlySet<DocumentKind>>(
    new Set(app.documents.filter((doc) => doc.uploaded).map((doc) => doc.kind)),
  );
  const [problems, setProblems] = useState<ReadonlyMap<string, { code: string; message: string }>>(new Map());
  // A corrected phone or email must be verified again before the resubmission (spec 6).
  const unverified = [...problems.values()].some((problem) => problem.code === 'UNVERIFIED');

  return (
    <section class="correction" aria-labelledby="correction-heading">
      <h2 id="correction-heading">{t.status.correction}</h2>
      {unverified ? (
        <p class="notice">
          {t.verify.needed} <a href={hrefOf('/verify')}>{t.verify.title}</a>
        </p>
      ) : null}
      <ApplicationForm
        initial={initial}
        reasons={props.reasons}
        masked={masked}
        submitLabel={t.status.resubmit}
        onChange={(values) => saveDraft(values, app.applicationId)}
        onSubmit={async (body, values) => {
          await updateApplication(session.token, session.applicationId, body);
          saveDraft(values, app.applicationId);
          try {
            await submitApplication(session.token, session.applicationId);
          } catch (caught) {
            if (caught instanceof ApiError) setProblems(new Map(caught.fields.map((p) => [p.field, p])));
            throw caught;
          }
          props.onResubmitted();
        }}
      >
        <fieldset class="section">
          <legend>{t.documents.title}</legend>
          <DocumentSlots
            session={session}
            kinds={kinds}
            uploaded={uploaded}
            problems={problems}
            reasons={props.reasons}
            onUploaded={(kind) => setUploaded((all) => new Set(all).add(kind))}
          />
        </fieldset>
      </ApplicationForm>
    </section>
  );
}

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { findMcc } from '../../../../shared/reference/mcc';
import {
  ApiError,
  type Decision,
  decideReview,
  getReview,
  getReviewDocuments,
  listFeePlans,
  type RequiredCheck,
  type RevealAudit,
  type ReviewClaim,
  type ReviewDetail,
  type ReviewDocuments,
  revealReviewField,
  type TimelineEntry,
} from '../../../common/api';
import { Alert, FieldNotes, StatusMessage, TextField } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { plansForMcc } from '../fee-plan-offer';
import { FeePlanPicker } from '../fee-plans';
import { actorText, label, type Strings, useI18n } from '../i18n';
import { keepFieldErrors, useSession } from '../session-context';
import { ClaimPanel, liveClaimOf, useNow } from './claim-panel';
import { DailyCheckCase } from './daily-check-case';
import { DecisionOutcome } from './decision-outcome';

/** Subject keys that are not application fields. */
const META_KEYS = new Set(['applicationId', 'status', 'documents', 'timeline', 'locale']);

/** `[dotted path, value]` of every leaf of a (masked) subject. */
function leaves(value: unknown, prefix = ''): [string, string][] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object') return [[prefix, String(value)]];
  if (Array.isArray(value)) return [[prefix, value.map((item) => JSON.stringify(item)).join(', ')]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    prefix === '' && META_KEYS.has(key) ? [] : leaves(child, prefix ? `${prefix}.${key}` : key),
  );
}

/**
 * A case (spec section 10): the masked subject, the automated checks, the documents from presigned
 * GETs, the required checks with notes, the decision with per-field reasons and, approving an
 * application, its fee plan (section 7), and the timeline.
 */
export function CasePage(props: { taskId: string }) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const task = useAsync(() => getReview(session.token, props.taskId), [props.taskId, session.token]);

  if (task.loading && !task.value) return <p>{t.loading}</p>;
  if (!task.value)
    return (
      <>
        <Alert>{describeError(task.error)}</Alert>
        <a href={hrefOf('/queue')}>{t.case.back}</a>
      </>
    );
  // Risk alerts and limit requests have a merchant, evidence and decisions of their own (section 8).
  if (task.value.kind === 'RISK_ALERT' || task.value.kind === 'LIMIT_INCREASE')
    return <DailyCheckCase key={task.value.taskId} item={task.value} onDecided={task.reload} />;
  return <ApplicationCase key={task.value.taskId} item={task.value} onDecided={task.reload} />;
}

/** An application, change request or terminal transfer: the subject, its checks and documents. */
function ApplicationCase(props: { item: ReviewDetail; onDecided: () => void }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const { item } = props;
  const documents = useAsync(
    () => getReviewDocuments(session.token, item.taskId),
    [item.taskId, session.token],
  );
  // The claim as this page last saw it: from the task, then from each claim or renewal.
  const [claimed, setClaimed] = useState<{ taskId: string; claim: ReviewClaim } | undefined>();
  const now = useNow();
  const subject = item.subject;
  // In the catalogue's order (type, business, legal person, contact, settlement, terminal), not the item's.
  const order = Object.keys(t.fields);
  const rank = (path: string) => (order.includes(path) ? order.indexOf(path) : order.length);
  const fields = leaves(subject ?? {}).sort(([a], [b]) => rank(a) - rank(b));
  const claim = liveClaimOf(
    claimed?.taskId === item.taskId ? claimed.claim : item.claim,
    Math.max(now, Date.now()),
  );
  const mine = claim?.by === session.sub;
  const maskedPhone = fields.find(([path]) => path === 'contact.phone')?.[1];

  return (
    <article class="case">
      <p>
        <a href={hrefOf('/queue')}>{t.case.back}</a>
      </p>
      <h1>
        {label(t.kinds, item.kind)} · {item.summary}
      </h1>
      <dl class="facts">
        <dt>{t.case.task}</dt>
        <dd class="mono">{item.taskId}</dd>
        <dt>{t.case.subjectId}</dt>
        <dd class="mono">{item.subjectId}</dd>
        <dt>{t.case.status}</dt>
        <dd>
          {label(t.statuses, item.status)}
          {typeof subject?.status === 'string' ? ` · ${label(t.statuses, subject.status)}` : ''}
        </dd>
        <dt>{t.case.createdAt}</dt>
        <dd>{formatDateTime(item.createdAt, lang)}</dd>
        <dt>{t.case.deadline}</dt>
        <dd>
          {formatDateTime(item.deadline, lang)}{' '}
          {item.escalated ? <span class="badge badge--bad">{t.case.escalated}</span> : null}
        </dd>
      </dl>

      <div class="case-columns">
        <div>
          <section class="card" aria-labelledby="subject-heading">
            <h2 id="subject-heading">{t.case.subject}</h2>
            {subject ? <SubjectFacts t={t} lang={lang} fields={fields} /> : <p>{t.case.noSubject}</p>}
          </section>

          <section class="card" aria-labelledby="checks-heading">
            <h2 id="checks-heading">{t.case.checks}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.case.checkName}</th>
                  <th scope="col">{t.case.checkResult}</th>
                  <th scope="col">{t.case.checkDetail}</th>
                </tr>
              </thead>
              <tbody>
                {item.automatedChecks.map((check) => (
                  <tr key={check.name}>
                    <td>{label(t.checkNames, check.name)}</td>
                    <td>
                      <span
                        class={`badge ${check.result === 'PASS' ? 'badge--ok' : check.result === 'FAIL' ? 'badge--bad' : 'badge--warn'}`}
                      >
                        {label(t.results, check.result)}
                      </span>
                    </td>
                    <td>{check.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <DocumentsSection
            t={t}
            documents={documents.value}
            error={documents.error}
            describe={describeError}
          />
        </div>

        <div>
          {item.status === 'PENDING' ? (
            <ClaimPanel
              taskId={item.taskId}
              claim={claim}
              mine={mine}
              now={now}
              onClaimed={(next) => setClaimed({ taskId: item.taskId, claim: next })}
            />
          ) : null}
          <DecisionForm
            key={item.taskId}
            item={item}
            mcc={fields.find(([path]) => path === 'business.mcc')?.[1]}
            cycle={fields.find(([path]) => path === 'settlement.cycle')?.[1]}
            callback={<RevealPhone taskId={item.taskId} masked={maskedPhone} canReveal={mine} />}
            fieldOptions={[
              ...fields.map(([path]) => path),
              ...(documents.value?.documents ?? []).map((doc) => `documents.${doc.kind}`),
            ]}
            onDecided={props.onDecided}
          />
          {item.reveals && item.reveals.length > 0 ? <RevealAuditSection reveals={item.reveals} /> : null}
          {subject?.timeline ? (
            <section class="card" aria-labelledby="timeline-heading">
              <h2 id="timeline-heading">{t.case.timeline}</h2>
              <Timeline t={t} entries={subject.timeline} lang={lang} />
            </section>
          ) : null}
        </div>
      </div>
    </article>
  );
}

function SubjectFacts(props: { t: Strings; lang: 'zh-CN' | 'en'; fields: [string, string][] }) {
  const { t, fields } = props;
  return (
    <dl class="facts">
      {fields.map(([path, value]) => {
        const mcc = path === 'business.mcc' ? findMcc(value) : undefined;
        return [
          <dt key={`${path}-dt`}>{label(t.fields, path)}</dt>,
          <dd
            key={`${path}-dd`}
            class={/Number|phone|idNumber|divisionCode|mcc/.test(path) ? 'mono' : undefined}
          >
            {path === 'type'
              ? label(t.merchantTypes, value)
              : path === 'settlement.accountType' || path === 'settlement.cycle'
                ? label(t.values, value)
                : value}
            {mcc ? (
              <>
                {' '}
                · {props.lang === 'en' ? mcc.description : mcc.descriptionZh} ·{' '}
                <span class={`badge ${mcc.riskLevel === 'LOW' ? '' : 'badge--warn'}`}>{mcc.riskLevel}</span>
              </>
            ) : null}
          </dd>,
        ];
      })}
    </dl>
  );
}

/** The zoom steps of a document image (1 = fitted to its frame). */
const ZOOMS = [1, 1.5, 2, 3] as const;

function DocumentsSection(props: {
  t: Strings;
  documents: ReviewDocuments | undefined;
  error: unknown;
  describe: (error: unknown) => string;
}) {
  const { t, documents } = props;
  const [rotation, setRotation] = useState<Record<string, number>>({});
  const [zoom, setZoom] = useState<Record<string, number>>({});
  return (
    <section class="card" aria-labelledby="documents-heading">
      <h2 id="documents-heading">{t.case.documents}</h2>
      {props.error ? <Alert>{props.describe(props.error)}</Alert> : null}
      {documents && documents.documents.length === 0 ? <p>{t.case.noDocuments}</p> : null}
      <div class="documents">
        {(documents?.documents ?? []).map((doc) => {
          const name = label(t.fields, `documents.${doc.kind}`);
          const turns = rotation[doc.kind] ?? 0;
          const step = zoom[doc.kind] ?? 0;
          const scale = ZOOMS[step] ?? 1;
          const zoomed = step > 0;
          const isImage = doc.url !== null && doc.contentType.startsWith('image/');
          return (
            <figure key={doc.kind} class="document">
              {isImage && doc.url ? (
                // Zoomed, the frame scrolls: it takes the keyboard focus so that it can be scrolled.
                <div class={`document-frame${zoomed ? ' zoomed' : ''}`} tabIndex={zoomed ? 0 : undefined}>
                  <img
                    src={doc.url}
                    alt={doc.kind}
                    class={`rot-${turns * 90} zoom-${Math.round(scale * 100)}`}
                  />
                </div>
              ) : null}
              <figcaption>
                <strong>{name}</strong>
                {!doc.uploaded ? <span class="badge badge--bad">{t.case.notUploaded}</span> : null}
                {doc.url && doc.contentType === 'application/pdf' ? (
                  <span> · {t.case.pdfDocument}</span>
                ) : null}
                {isImage ? <span class="subtle">{`${Math.round(scale * 100)}%`}</span> : null}
              </figcaption>
              {doc.url ? (
                <div class="actions compact">
                  {isImage ? (
                    <>
                      <button
                        type="button"
                        class="secondary"
                        disabled={step >= ZOOMS.length - 1}
                        onClick={() => setZoom({ ...zoom, [doc.kind]: Math.min(step + 1, ZOOMS.length - 1) })}
                      >
                        {t.documentTools.zoomIn}
                        <span class="visually-hidden"> {name}</span>
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        disabled={step === 0}
                        onClick={() => setZoom({ ...zoom, [doc.kind]: Math.max(step - 1, 0) })}
                      >
                        {t.documentTools.zoomOut}
                        <span class="visually-hidden"> {name}</span>
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => setRotation({ ...rotation, [doc.kind]: (turns + 1) % 4 })}
                      >
                        {t.case.rotate}
                        <span class="visually-hidden"> {name}</span>
                      </button>
                    </>
                  ) : null}
                  <a href={doc.url} target="_blank" rel="noopener noreferrer">
                    {t.case.openDocument}
                    <span class="visually-hidden"> {name}</span>
                  </a>
                </div>
              ) : null}
            </figure>
          );
        })}
      </div>
    </section>
  );
}

/**
 * The phone the call-back dials, masked until the holder of the claim reveals it: the reveal is
 * audited by the API (who, when, which field) and the number lives in this component only.
 */
function RevealPhone(props: { taskId: string; masked: string | undefined; canReveal: boolean }) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const [value, setValue] = useState<string>();
  const { busy, error, run } = useAction((caught) =>
    caught instanceof ApiError && caught.code === 'CLAIM_REQUIRED'
      ? t.claim.revealNeedsClaim
      : describeError(caught),
  );

  const reveal = () =>
    run(async () => {
      setValue((await revealReviewField(session.token, props.taskId, 'contact.phone')).value);
    });

  return (
    <div class="reveal">
      <p>
        <span id="callback-phone-label">{t.reveal.phone}</span>:{' '}
        <span class="mono" aria-live="polite">
          {value ?? props.masked ?? t.reveal.masked}
        </span>{' '}
        {value ? (
          <button type="button" class="link-button" onClick={() => setValue(undefined)}>
            {t.reveal.hide}
          </button>
        ) : (
          <button
            type="button"
            class="secondary"
            aria-describedby="callback-phone-label callback-phone-hint"
            disabled={busy || !props.canReveal}
            onClick={() => void reveal()}
          >
            {t.reveal.reveal}
          </button>
        )}
      </p>
      <p id="callback-phone-hint" class="hint">
        {value ? t.reveal.recorded : props.canReveal ? t.reveal.hint : t.claim.revealNeedsClaim}
      </p>
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}

/** Who revealed which field when (the values are never kept). */
function RevealAuditSection(props: { reveals: readonly RevealAudit[] }) {
  const { t, lang } = useI18n();
  return (
    <section class="card" aria-labelledby="reveals-heading">
      <h2 id="reveals-heading">{t.reveal.audit}</h2>
      <ol class="timeline">
        {props.reveals.map((reveal) => (
          <li key={`${reveal.at}-${reveal.by}`}>
            <time dateTime={reveal.at}>{formatDateTime(reveal.at, lang)}</time>
            {t.reveal.revealedBy(label(t.fields, reveal.field), reveal.by)}
          </li>
        ))}
      </ol>
    </section>
  );
}

interface ReasonRow {
  readonly key: number;
  field: string;
  reason: string;
}

const CHECKS: readonly RequiredCheck[] = ['phoneCallback', 'siteInspection'];

function DecisionForm(props: {
  item: ReviewDetail;
  /** The application's MCC and settlement cycle: the fee plans it may get and their T+0 line. */
  mcc: string | undefined;
  cycle: string | undefined;
  fieldOptions: readonly string[];
  onDecided: () => void;
  /** Shown with the phone call-back: the number to dial (revealed on demand). */
  callback?: ComponentChildren;
}) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const { item } = props;
  const [checks, setChecks] = useState<Record<RequiredCheck, { done: boolean; notes: string }>>({
    phoneCallback: { done: false, notes: '' },
    siteInspection: { done: false, notes: '' },
  });
  const [reasons, setReasons] = useState<ReasonRow[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const { busy, error, setError, run } = useAction(keepFieldErrors(describeError));
  const [recorded, setRecorded] = useState(false);
  const decided = item.status !== 'PENDING';
  // Approving an application fixes its fee plan: the plans its MCC's risk level may have.
  const picksPlan = item.kind === 'APPLICATION' && !decided;
  const plans = useAsync(
    () => (picksPlan ? listFeePlans(session.token) : Promise.resolve(undefined)),
    [picksPlan, session.token],
  );
  const offer = plansForMcc(plans.value?.items ?? [], props.mcc);
  const [picked, setPicked] = useState<string>();
  // Until the reviewer picks one, the default of the MCC's risk level (or the first plan offered).
  const feePlanCode = picked ?? offer.defaultCode ?? offer.plans[0]?.code;
  const [approvedPlan, setApprovedPlan] = useState<{ code: string; version: number }>();

  const problem = (field: string) =>
    error instanceof ApiError ? error.fields.find((p) => p.field === field)?.message : undefined;

  const decide = (decision: Decision) =>
    run(async () => {
      const answer = await decideReview(session.token, item.taskId, {
        decision,
        // Only with the list loaded: without a code the API gives the default plan.
        ...(decision === 'APPROVE' && picksPlan && plans.value && feePlanCode ? { feePlanCode } : {}),
        reasons: reasons.map(({ field, reason }) => ({ field, reason: reason.trim() })),
        checks: Object.fromEntries(
          CHECKS.map((check) => [
            check,
            {
              done: checks[check].done,
              ...(checks[check].notes.trim() ? { notes: checks[check].notes.trim() } : {}),
            },
          ]),
        ),
      });
      setRecorded(true);
      if ('feePlan' in answer && answer.feePlan) setApprovedPlan(answer.feePlan);
      props.onDecided();
    });

  const checkNames: Record<RequiredCheck, { done: string; notes: string }> = {
    phoneCallback: { done: t.case.phoneCallbackDone, notes: t.case.phoneCallbackNotes },
    siteInspection: { done: t.case.siteInspectionDone, notes: t.case.siteInspectionNotes },
  };
  const options = [...new Set(props.fieldOptions)];

  return (
    <section class="card decision" aria-labelledby="decision-heading">
      <h2 id="decision-heading">{t.case.decision}</h2>
      {recorded ? <StatusMessage>{t.case.decisionRecorded}</StatusMessage> : null}
      {approvedPlan ? <p>{t.feePlans.chosen(approvedPlan.code, approvedPlan.version)}</p> : null}
      {decided ? (
        <DecisionOutcome
          item={item}
          reasons={
            item.reasons && item.reasons.length > 0 ? (
              <ul>
                {item.reasons.map((reason) => (
                  <li key={`${reason.field}-${reason.reason}`}>
                    <strong>{label(t.fields, reason.field)}</strong>: {reason.reason}
                  </li>
                ))}
              </ul>
            ) : null
          }
        />
      ) : null}
      {decided ? null : (
        <form onSubmit={(e) => e.preventDefault()} noValidate>
          {typeof error === 'string' ? <Alert>{error}</Alert> : null}
          {error instanceof ApiError ? (
            <Alert>
              {error.message}
              {error.fields.length > 0 ? (
                <ul>
                  {error.fields.map((p) => (
                    <li key={`${p.field}-${p.code}`}>
                      {label(t.fields, p.field)}: {p.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </Alert>
          ) : null}
          <fieldset>
            <legend>{t.case.requiredChecks}</legend>
            {CHECKS.map((check) => {
              const required = item.requiredChecks.includes(check);
              const id = `check-${check}`;
              const issue = problem(`checks.${check}`);
              return (
                <div key={check} class="check-block">
                  <label class="checkbox" for={id}>
                    <input
                      id={id}
                      type="checkbox"
                      checked={checks[check].done}
                      aria-describedby={`${id}-hint${issue ? ` ${id}-error` : ''}`}
                      onChange={(e) => {
                        setChecks({
                          ...checks,
                          [check]: { ...checks[check], done: e.currentTarget.checked },
                        });
                        setError(undefined);
                      }}
                    />
                    {checkNames[check].done}
                  </label>
                  <FieldNotes
                    id={id}
                    hint={required ? t.case.requiredForApproval : t.case.optionalCheck}
                    error={issue}
                  />
                  {check === 'phoneCallback' ? props.callback : null}
                  <TextField
                    id={`${id}-notes`}
                    label={checkNames[check].notes}
                    value={checks[check].notes}
                    multiline
                    maxLength={2000}
                    onValue={(notes) => setChecks({ ...checks, [check]: { ...checks[check], notes } })}
                  />
                </div>
              );
            })}
          </fieldset>

          <fieldset>
            <legend>{t.case.reasons}</legend>
            <p class="hint">{t.case.reasonsHint}</p>
            {reasons.map((row, index) => (
              <div key={row.key} class="reason-row">
                <div class="field">
                  <label for={`reason-field-${row.key}`}>{t.case.field}</label>
                  <select
                    id={`reason-field-${row.key}`}
                    value={row.field}
                    aria-invalid={problem(`reasons.${index}.field`) ? 'true' : undefined}
                    onChange={(e) => {
                      row.field = e.currentTarget.value;
                      setReasons([...reasons]);
                    }}
                  >
                    <option value="">—</option>
                    {options.map((path) => (
                      <option key={path} value={path}>
                        {label(t.fields, path)}
                      </option>
                    ))}
                  </select>
                </div>
                <TextField
                  id={`reason-text-${row.key}`}
                  label={t.case.reason}
                  value={row.reason}
                  maxLength={500}
                  error={problem(`reasons.${index}.reason`)}
                  onValue={(value) => {
                    row.reason = value;
                    setReasons([...reasons]);
                  }}
                />
                <button
                  type="button"
                  class="link-button"
                  onClick={() => setReasons(reasons.filter((other) => other !== row))}
                >
                  {t.case.removeReason}
                </button>
              </div>
            ))}
            <FieldNotes id="reasons" error={problem('reasons')} />
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setReasons([...reasons, { key: nextKey, field: '', reason: '' }]);
                setNextKey(nextKey + 1);
              }}
            >
              {t.case.addReason}
            </button>
          </fieldset>

          {picksPlan ? (
            <fieldset>
              <legend>{t.case.onApproval}</legend>
              {plans.error ? <p class="notice">{t.feePlans.loadFailed}</p> : null}
              {plans.value && feePlanCode ? (
                <FeePlanPicker
                  id="fee-plan"
                  plans={offer.plans}
                  value={feePlanCode}
                  onValue={(code) => {
                    setPicked(code);
                    if (problem('feePlanCode')) setError(undefined);
                  }}
                  defaultCode={offer.defaultCode}
                  level={offer.level}
                  cycle={props.cycle}
                  error={problem('feePlanCode')}
                />
              ) : plans.loading ? (
                <p>{t.loading}</p>
              ) : null}
            </fieldset>
          ) : null}

          <div class="actions">
            <button type="button" disabled={busy || recorded} onClick={() => void decide('APPROVE')}>
              {t.case.approve}
            </button>
            <button
              type="button"
              class="danger"
              disabled={busy || recorded}
              onClick={() => void decide('REJECT')}
            >
              {t.case.reject}
            </button>
            {item.kind === 'APPLICATION' ? (
              <button
                type="button"
                class="secondary"
                disabled={busy || recorded}
                onClick={() => void decide('REQUEST_CHANGES')}
              >
                {t.case.requestChanges}
              </button>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}

/** The timeline in plain words. */
export function Timeline(props: { t: Strings; entries: readonly TimelineEntry[]; lang: 'zh-CN' | 'en' }) {
  const { t } = props;
  return (
    <ol class="timeline">
      {props.entries.map((entry, index) => {
        const actor = actorText(t, entry.actor);
        return (
          <li key={index}>
            <time dateTime={entry.at}>{formatDateTime(entry.at, props.lang)}</time>
            {entry.action && t.timelineActions[entry.action]
              ? t.timelineActions[entry.action]
              : label(t.statuses, entry.status)}{' '}
            <span class="subtle">· {actor}</span>
            {entry.fields && entry.fields.length > 0 ? (
              <span class="subtle"> · {entry.fields.map((field) => label(t.fields, field)).join('、')}</span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

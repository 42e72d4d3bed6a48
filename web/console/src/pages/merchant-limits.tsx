import { useState } from 'preact/hooks';
import {
  ApiError,
  getDailySummaries,
  getLimitAudit,
  getMerchantLimits,
  type LimitsAndUsage,
  putMerchantLimits,
} from '../../../common/api';
import { Alert, FieldNotes, StatusMessage, TextField } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { useCursorPages } from '../../../common/use-cursor-pages';
import { actorText, label, useI18n } from '../i18n';
import { LimitsEditor, limitProblemText, UsageMeter } from '../limits';
import { CARD_TYPES, changedLimits, draftOf, formatYuan, LIMIT_NAMES, type LimitsDraft } from '../money';
import { keepFieldErrors, useSession } from '../session-context';
import { isOperator } from '../staff-session';

/*
 * A merchant's limits and usage (spec section 8): per card type the limits in force, today's and
 * this month's usage with their share of the limit, whether the limits are the merchant's own or the
 * defaults of its type; operators change them with a reason (the API audits it); the audit of those
 * changes; and the daily summaries the daily run writes.
 */

/** The limits and usage of a merchant, the operators' change, and the daily summaries. */
export function LimitsSection(props: { merchantNo: string }) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const limits = useAsync(
    () => getMerchantLimits(session.token, props.merchantNo),
    [props.merchantNo, session.token],
  );
  const l = limits.value;
  return (
    <section class="card" aria-labelledby="limits-heading">
      <h2 id="limits-heading">{t.limits.title}</h2>
      {limits.loading && !l ? <p>{t.loading}</p> : null}
      {limits.error ? <Alert>{describeError(limits.error)}</Alert> : null}
      {l ? <UsageTable limits={l} /> : null}
      {l && isOperator(session) ? (
        <ChangeLimits merchantNo={props.merchantNo} limits={l} onChanged={limits.reload} />
      ) : null}
      {l ? <LimitChanges merchantNo={props.merchantNo} version={l.version} /> : null}
      <DailySummaries merchantNo={props.merchantNo} />
    </section>
  );
}

function UsageTable(props: { limits: LimitsAndUsage }) {
  const { t } = useI18n();
  const { limits, usage } = props.limits;
  return (
    <>
      <div class="table-scroll">
        <table class="usage-table">
          <caption>{t.limits.caption(usage.day)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.limits.cardType}</th>
              <th scope="col" class="numeric">
                {t.limits.perTransaction}
              </th>
              <th scope="col" class="numeric">
                {t.limits.daily}
              </th>
              <th scope="col">{t.limits.today}</th>
              <th scope="col" class="numeric">
                {t.limits.monthly}
              </th>
              <th scope="col">{t.limits.thisMonth}</th>
              <th scope="col" class="numeric">
                {t.limits.salesToday}
              </th>
              <th scope="col">{t.limits.source}</th>
            </tr>
          </thead>
          <tbody>
            {CARD_TYPES.map((card) => {
              const cardName = label(t.cardTypes, card);
              const limit = limits[card];
              const used = usage[card];
              return (
                <tr key={card}>
                  <th scope="row">{cardName}</th>
                  <td class="numeric">{formatYuan(limit.perTransactionFen)}</td>
                  <td class="numeric">{formatYuan(limit.dailyFen)}</td>
                  <td>
                    <UsageMeter
                      used={used.dayFen}
                      limit={limit.dailyFen}
                      card={cardName}
                      period={t.limits.today}
                    />
                  </td>
                  <td class="numeric">{formatYuan(limit.monthlyFen)}</td>
                  <td>
                    <UsageMeter
                      used={used.monthFen}
                      limit={limit.monthlyFen}
                      card={cardName}
                      period={t.limits.thisMonth}
                    />
                  </td>
                  <td class="numeric">{used.count}</td>
                  <td>
                    {props.limits.own.includes(card) ? (
                      <span class="badge badge--warn">{t.limits.own}</span>
                    ) : (
                      <span class="badge">{t.limits.defaults}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {props.limits.version > 0 ? <p class="hint">{t.limits.version(props.limits.version)}</p> : null}
    </>
  );
}

/** An operator sets new limits for the card types changed, with a reason, at the version read. */
function ChangeLimits(props: { merchantNo: string; limits: LimitsAndUsage; onChanged: () => void }) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const current = props.limits.limits;
  const [edited, setEdited] = useState<LimitsDraft>();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();
  const { busy, error, setError, run } = useAction((caught) => {
    if (caught instanceof ApiError && caught.code === 'CONFLICT') {
      // Someone changed them since this page read them: read again, keep what was typed.
      props.onChanged();
      return t.limits.conflict;
    }
    return keepFieldErrors(describeError)(caught);
  });
  const draft = edited ?? draftOf(current);
  const problem = (field: string) =>
    error instanceof ApiError ? error.fields.find((p) => p.field === field)?.message : undefined;
  const refuse = (fields: { field: string; code: string; message: string }[]) =>
    setError(new ApiError(400, 'VALIDATION_FAILED', fields[0]?.message ?? '', fields));
  const fieldErrors = error instanceof ApiError ? error.fields : [];
  const atFields = (field: string) => field === 'reason' || field.startsWith('limits');

  const submit = async () => {
    setDone(undefined);
    const changed = changedLimits(draft, current);
    const problems: { field: string; code: string; message: string }[] = changed.problems.map((p) => ({
      field: p.field,
      code: p.code,
      message: limitProblemText(t, p),
    }));
    if (Object.keys(changed.limits).length === 0 && problems.length === 0)
      problems.push({ field: 'limits', code: 'REQUIRED', message: t.limits.noChange });
    if (!reason.trim())
      problems.push({ field: 'reason', code: 'REQUIRED', message: t.limits.reasonRequired });
    if (problems.length > 0) {
      refuse(problems);
      return;
    }
    await run(async () => {
      const answer = await putMerchantLimits(session.token, props.merchantNo, {
        limits: changed.limits,
        reason: reason.trim(),
        expectedVersion: props.limits.version,
      });
      setDone(t.limits.changed(answer.version));
      setEdited(undefined);
      setReason('');
      props.onChanged();
    });
  };

  return (
    <form
      class="limits-change"
      aria-labelledby="limits-change-heading"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="limits-change-heading">{t.limits.change}</h3>
      <p class="hint">{t.limits.changeHint}</p>
      {done ? <StatusMessage>{done}</StatusMessage> : null}
      {typeof error === 'string' ? <Alert>{error}</Alert> : null}
      {error instanceof ApiError && fieldErrors.every((p) => !atFields(p.field)) ? (
        <Alert>
          {fieldErrors.length > 0
            ? fieldErrors.map((p) => p.message).join(' ')
            : `${error.message} (${error.code})`}
        </Alert>
      ) : null}
      <LimitsEditor
        id="change"
        caption={t.risk.newLimits}
        hideCaption
        draft={draft}
        current={current}
        problem={problem}
        onDraft={(next) => {
          setEdited(next);
          if (fieldErrors.some((p) => p.field.startsWith('limits'))) setError(undefined);
        }}
      />
      <FieldNotes id="limits" error={problem('limits')} />
      <TextField
        id="limits-reason"
        label={t.limits.reason}
        value={reason}
        onValue={(value) => {
          setReason(value);
          if (problem('reason')) setError(undefined);
        }}
        hint={t.limits.reasonHint}
        error={problem('reason')}
        maxLength={500}
        required
      />
      <button type="submit" disabled={busy}>
        {t.limits.submit}
      </button>
    </form>
  );
}

/**
 * The audit of the limits, newest first: when, who, the source, the new figures of the card types
 * changed, the reason and the review task behind a reviewer's change. Read again whenever the
 * limits reach a new version (an operator's change on this page, or one read after a conflict), so
 * the change just made is the first row; "Load more" goes on from the last page's cursor.
 */
function LimitChanges(props: { merchantNo: string; version: number }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const { first, items, nextCursor, loadMore } = useCursorPages(
    (cursor) => getLimitAudit(session.token, props.merchantNo, cursor),
    [props.merchantNo, props.version, session.token],
  );
  const { busy, error, run } = useAction(describeError);
  return (
    <div class="limit-changes">
      <h3 id="limit-changes-heading">{t.limitChanges.title}</h3>
      <p class="hint">{t.limitChanges.hint}</p>
      {first.error ? <Alert>{describeError(first.error)}</Alert> : null}
      {error ? <Alert>{error}</Alert> : null}
      {first.value && items.length === 0 ? <p>{t.limitChanges.none}</p> : null}
      {items.length > 0 ? (
        <div class="table-scroll">
          <table>
            {/* The heading says it; the caption names the table for assistive technology. */}
            <caption class="visually-hidden">{t.limitChanges.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.limitChanges.at}</th>
                <th scope="col">{t.limitChanges.actor}</th>
                <th scope="col">{t.limitChanges.source}</th>
                <th scope="col">{t.limitChanges.limits}</th>
                <th scope="col">{t.limitChanges.reason}</th>
                <th scope="col">{t.limitChanges.task}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((change) => (
                <tr key={change.version}>
                  <td class="nowrap">
                    <time dateTime={change.at}>{formatDateTime(change.at, lang)}</time>
                    <span class="subtle">{t.limitChanges.version(change.version)}</span>
                  </td>
                  <td class="nowrap">{actorText(t, change.actor)}</td>
                  <td>{label(t.limitSources, change.source)}</td>
                  <td>
                    <ul class="limit-figures">
                      {change.cardTypes.map((card) => {
                        const figures = change.limits[card];
                        return (
                          <li key={card}>
                            <strong>{label(t.cardTypes, card)}</strong>{' '}
                            {figures
                              ? LIMIT_NAMES.map((name, index) => (
                                  <span key={name}>
                                    {index > 0 ? ' · ' : null}
                                    <span class="nowrap">
                                      {label(t.limitNames, name)} {formatYuan(figures[name])}
                                    </span>
                                  </span>
                                ))
                              : '—'}
                          </li>
                        );
                      })}
                    </ul>
                  </td>
                  <td class="break">{change.reason || '—'}</td>
                  <td>
                    {change.taskId ? (
                      <a class="mono" href={hrefOf(`/cases/${encodeURIComponent(change.taskId)}`)}>
                        {change.taskId}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {nextCursor ? (
        <div class="actions compact">
          <button type="button" class="secondary" disabled={busy} onClick={() => void run(loadMore)}>
            {t.limitChanges.loadMore}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** The daily run's summaries of the last 30 days, newest first, one row per day and card type with activity. */
function DailySummaries(props: { merchantNo: string }) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const summaries = useAsync(
    () => getDailySummaries(session.token, props.merchantNo),
    [props.merchantNo, session.token],
  );
  const rows = [...(summaries.value?.items ?? [])]
    .reverse()
    .flatMap((summary) =>
      CARD_TYPES.map((card) => ({ day: summary.day, card, figures: summary.cards[card] })).filter(
        (row) =>
          row.figures.count + row.figures.declines + row.figures.alerts > 0 || row.figures.amountFen !== 0,
      ),
    );
  return (
    <div class="summaries">
      <h3 id="summaries-heading">{t.summaries.title}</h3>
      <p class="hint">{t.summaries.hint}</p>
      {summaries.error ? <Alert>{describeError(summaries.error)}</Alert> : null}
      {summaries.value && rows.length === 0 ? <p>{t.summaries.none}</p> : null}
      {rows.length > 0 ? (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t.summaries.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.summaries.day}</th>
                <th scope="col">{t.summaries.cardType}</th>
                <th scope="col" class="numeric">
                  {t.summaries.count}
                </th>
                <th scope="col" class="numeric">
                  {t.summaries.amount}
                </th>
                <th scope="col" class="numeric">
                  {t.summaries.declines}
                </th>
                <th scope="col" class="numeric">
                  {t.summaries.alerts}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.day}-${row.card}`}>
                  <td class="mono">{row.day}</td>
                  <td>{label(t.cardTypes, row.card)}</td>
                  <td class="numeric">{row.figures.count}</td>
                  <td class="numeric">{formatYuan(row.figures.amountFen)}</td>
                  <td class="numeric">{row.figures.declines}</td>
                  <td class="numeric">
                    {row.figures.alerts > 0 ? (
                      <span class="badge badge--warn">{row.figures.alerts}</span>
                    ) : (
                      row.figures.alerts
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

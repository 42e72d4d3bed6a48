import { useState } from 'preact/hooks';
import {
  ApiError,
  type CardType,
  type Decision,
  decideReview,
  getMerchant,
  getMerchantLimits,
  type LimitsAndUsage,
  type MerchantView,
  type ReviewClaim,
  type ReviewDetail,
} from '../../../common/api';
import { Alert, ConfirmStep, FieldNotes, StatusMessage, TextField } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { label, type Strings, useI18n } from '../i18n';
import { LimitsEditor, limitProblemText, UsageMeter } from '../limits';
import { changedLimits, draftOf, formatYuan, type LimitsDraft, percentOf } from '../money';
import { keepFieldErrors, useSession } from '../session-context';
import { ClaimPanel, liveClaimOf, useNow } from './claim-panel';
import { DecisionOutcome } from './decision-outcome';

/*
 * The case of a RISK_ALERT or a LIMIT_INCREASE task (spec section 8): the merchant (and terminal)
 * it is about, the evidence or the request beside the limits in force and their usage, and the
 * decisions these kinds take. The API makes each decision's effect in the same transaction as the
 * decision (merchant or terminal suspended, limits replaced), so after one the page reads the
 * merchant and its limits again and shows the effect.
 */

/** The field a decision's reason is recorded on (the API keeps reasons per field). */
const REASON_FIELD: Partial<Record<Decision, string>> = {
  DISMISS: 'alert',
  SUSPEND_TERMINAL: 'terminal',
  SUSPEND_MERCHANT: 'merchant',
  LOWER_LIMITS: 'limits',
  APPROVE: 'request',
  REJECT: 'request',
};

/** What the decision route answered for these kinds. */
interface Recorded {
  readonly decision: Decision;
  readonly notices: readonly { channel: string; result: string }[];
}

/** A RISK_ALERT or LIMIT_INCREASE task. */
export function DailyCheckCase(props: { item: ReviewDetail; onDecided: () => void }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const { item } = props;
  const merchantNo = item.merchantNo ?? item.subjectId;
  const merchant = useAsync(() => getMerchant(session.token, merchantNo), [merchantNo, session.token]);
  const limits = useAsync(() => getMerchantLimits(session.token, merchantNo), [merchantNo, session.token]);
  const [claimed, setClaimed] = useState<ReviewClaim>();
  const now = useNow();
  const claim = liveClaimOf(claimed ?? item.claim, Math.max(now, Date.now()));
  const isAlert = item.kind === 'RISK_ALERT';
  const cardType = (isAlert ? item.cardType : item.request?.cardType) as CardType | undefined;
  const m = merchant.value;
  const terminal = m?.terminals.find((one) => one.serialNumber === item.serialNumber);

  const decided = () => {
    props.onDecided();
    merchant.reload();
    limits.reload();
  };

  return (
    <article class="case">
      <p>
        <a href={hrefOf('/queue')}>{t.case.back}</a>
      </p>
      <h1>
        {label(t.kinds, item.kind)} · {isAlert ? label(t.rules, item.rule) : label(t.cardTypes, cardType)}
      </h1>
      {isAlert && item.rule ? <p class="lead">{label(t.ruleHelp, item.rule)}</p> : null}
      <dl class="facts">
        <dt>{t.case.task}</dt>
        <dd class="mono">{item.taskId}</dd>
        <dt>{t.case.status}</dt>
        <dd>{label(t.statuses, item.status)}</dd>
        <dt>{t.risk.merchant}</dt>
        <dd>
          <MerchantLink merchantNo={merchantNo} merchant={m} t={t} />
        </dd>
        {isAlert ? (
          <>
            <dt>{t.risk.terminal}</dt>
            <dd>
              {item.serialNumber ? (
                <>
                  <a class="mono" href={hrefOf(`/terminals/${encodeURIComponent(item.serialNumber)}`)}>
                    {item.serialNumber}
                  </a>
                  {terminal ? <span class="mono subtle"> · {terminal.terminalId}</span> : null}{' '}
                  {terminal?.suspended ? <span class="badge badge--bad">{t.merchants.suspended}</span> : null}
                </>
              ) : (
                t.risk.noTerminal
              )}
            </dd>
            <dt>{t.risk.day}</dt>
            <dd>{item.day ?? '—'}</dd>
          </>
        ) : null}
        <dt>{t.risk.cardType}</dt>
        <dd>{label(t.cardTypes, cardType)}</dd>
        <dt>{t.case.createdAt}</dt>
        <dd>{formatDateTime(item.createdAt, lang)}</dd>
        <dt>{t.case.deadline}</dt>
        <dd>
          {formatDateTime(item.deadline, lang)}{' '}
          {item.escalated ? <span class="badge badge--bad">{t.case.escalated}</span> : null}
        </dd>
      </dl>
      {merchant.error ? <Alert>{describeError(merchant.error)}</Alert> : null}
      {limits.error ? <Alert>{describeError(limits.error)}</Alert> : null}

      <div class="case-columns even">
        <div>
          {isAlert ? <EvidenceSection item={item} /> : <RequestSection item={item} limits={limits.value} />}
          {isAlert && cardType && limits.value ? (
            <LimitsInForce card={cardType} limits={limits.value} />
          ) : null}
        </div>
        <div>
          {item.status === 'PENDING' ? (
            <ClaimPanel
              taskId={item.taskId}
              claim={claim}
              mine={claim?.by === session.sub}
              now={now}
              onClaimed={setClaimed}
            />
          ) : null}
          <DecisionSection item={item} limits={limits.value} cardType={cardType} onDecided={decided} />
        </div>
      </div>
    </article>
  );
}

function MerchantLink(props: { merchantNo: string; merchant: MerchantView | undefined; t: Strings }) {
  const { merchant, t } = props;
  return (
    <>
      <a href={hrefOf(`/merchants/${encodeURIComponent(props.merchantNo)}`)}>
        {merchant ? `${merchant.business.name} · ` : ''}
        <span class="mono">{props.merchantNo}</span>
      </a>{' '}
      {merchant ? (
        <span class={`badge ${merchant.status === 'SUSPENDED' ? 'badge--bad' : ''}`}>
          {label(t.statuses, merchant.status)}
        </span>
      ) : null}
    </>
  );
}

/** A figure of the evidence in words: fen as yuan, the broken limit's name, shares and windows. */
function figureValue(t: Strings, key: string, value: number | string): string {
  if (typeof value === 'number' && key.endsWith('Fen')) return formatYuan(value);
  if (key === 'limit') return label(t.limitKinds, String(value));
  if (key === 'percent' || key === 'maxPercent') return `${value}%`;
  if (key === 'windowMinutes' && typeof value === 'number') return t.minutes(value);
  if (key === 'hour' && typeof value === 'number')
    return `${String(value).padStart(2, '0')}:00–${String(value + 1).padStart(2, '0')}:00`;
  return String(value);
}

/** How many transaction ids are listed before "Show all". */
const SHOWN_IDS = 10;

/** What broke the rule: the comparison with the limit, the figures, the transactions. */
function EvidenceSection(props: { item: ReviewDetail }) {
  const { t } = useI18n();
  const figures = props.item.evidence?.figures ?? {};
  const ids = props.item.evidence?.transactionIds ?? [];
  const { limitFen, usedFen, limit } = figures;
  const compared =
    typeof limitFen === 'number' && typeof usedFen === 'number'
      ? t.risk.comparison(
          label(t.limitKinds, String(limit)),
          formatYuan(usedFen),
          formatYuan(limitFen),
          percentOf(usedFen, limitFen),
        )
      : undefined;
  const idList = (list: readonly string[]) => (
    <ol class="ids mono">
      {list.map((id) => (
        <li key={id}>{id}</li>
      ))}
    </ol>
  );
  return (
    <section class="card" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{t.risk.evidence}</h2>
      {compared ? <p class="notice">{compared}</p> : null}
      <table>
        <caption>{t.risk.figuresCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.risk.figure}</th>
            <th scope="col" class="numeric">
              {t.risk.value}
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(figures).map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{label(t.figureNames, key)}</th>
              <td class={typeof value === 'number' ? 'numeric' : undefined}>{figureValue(t, key, value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 class="after-table">{t.risk.transactions(ids.length)}</h3>
      {ids.length === 0 ? <p>{t.risk.noTransactions}</p> : idList(ids.slice(0, SHOWN_IDS))}
      {ids.length > SHOWN_IDS ? (
        <details>
          <summary>{t.risk.showAll(ids.length)}</summary>
          {idList(ids.slice(SHOWN_IDS))}
        </details>
      ) : null}
    </section>
  );
}

/** The card type's limits in force beside today's and this month's usage. */
function LimitsInForce(props: { card: CardType; limits: LimitsAndUsage }) {
  const { t } = useI18n();
  const { card, limits } = props;
  const cardName = label(t.cardTypes, card);
  const current = limits.limits[card];
  const usage = limits.usage[card];
  return (
    <section class="card" aria-labelledby="limits-in-force-heading">
      <h2 id="limits-in-force-heading">{t.risk.limitsInForce(cardName)}</h2>
      <p class="hint">{limits.own.includes(card) ? t.risk.ownLimits : t.risk.defaultLimits}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.risk.limit}</th>
            <th scope="col" class="numeric">
              {t.risk.inForce}
            </th>
            <th scope="col">{t.risk.used}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t.limits.perTransaction}</th>
            <td class="numeric">{formatYuan(current.perTransactionFen)}</td>
            <td>—</td>
          </tr>
          <tr>
            <th scope="row">{t.limits.daily}</th>
            <td class="numeric">{formatYuan(current.dailyFen)}</td>
            <td>
              <UsageMeter
                used={usage.dayFen}
                limit={current.dailyFen}
                card={cardName}
                period={t.risk.usedToday(limits.usage.day)}
              />
            </td>
          </tr>
          <tr>
            <th scope="row">{t.limits.monthly}</th>
            <td class="numeric">{formatYuan(current.monthlyFen)}</td>
            <td>
              <UsageMeter
                used={usage.monthFen}
                limit={current.monthlyFen}
                card={cardName}
                period={t.risk.usedThisMonth}
              />
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** A LIMIT_INCREASE request: what the merchant asked for beside the limits in force and the usage. */
function RequestSection(props: { item: ReviewDetail; limits: LimitsAndUsage | undefined }) {
  const { t } = useI18n();
  const request = props.item.request;
  if (!request) return null;
  const card = request.cardType;
  const cardName = label(t.cardTypes, card);
  const current = props.limits?.limits[card];
  const usage = props.limits?.usage[card];
  const inForce = (fen: number | undefined) => (fen === undefined ? '…' : formatYuan(fen));
  return (
    <section class="card" aria-labelledby="request-heading">
      <h2 id="request-heading">{t.risk.request}</h2>
      <dl class="facts">
        <dt>{t.risk.cardType}</dt>
        <dd>{cardName}</dd>
        <dt>{t.risk.merchantReason}</dt>
        <dd>{request.reason}</dd>
      </dl>
      <table>
        <caption>{t.risk.requestCaption(cardName)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.risk.limit}</th>
            <th scope="col" class="numeric">
              {t.risk.inForce}
            </th>
            <th scope="col" class="numeric">
              {t.risk.requested}
            </th>
            <th scope="col">{t.risk.used}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t.limits.perTransaction}</th>
            <td class="numeric">{inForce(current?.perTransactionFen)}</td>
            <td class="numeric">{t.risk.unchanged}</td>
            <td>—</td>
          </tr>
          <tr>
            <th scope="row">{t.limits.daily}</th>
            <td class="numeric">{inForce(current?.dailyFen)}</td>
            <td class="numeric">
              <strong>{formatYuan(request.dailyFen)}</strong>
            </td>
            <td>
              {current && usage && props.limits ? (
                <UsageMeter
                  used={usage.dayFen}
                  limit={current.dailyFen}
                  card={cardName}
                  period={t.risk.usedToday(props.limits.usage.day)}
                />
              ) : null}
            </td>
          </tr>
          <tr>
            <th scope="row">{t.limits.monthly}</th>
            <td class="numeric">{inForce(current?.monthlyFen)}</td>
            <td class="numeric">
              <strong>{formatYuan(request.monthlyFen)}</strong>
            </td>
            <td>
              {current && usage ? (
                <UsageMeter
                  used={usage.monthFen}
                  limit={current.monthlyFen}
                  card={cardName}
                  period={t.risk.usedThisMonth}
                />
              ) : null}
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/**
 * The decision: a required reason and the kind's decisions (a risk alert: Dismiss, Suspend terminal
 * when it names one, Suspend merchant, Lower limits with the new limits; a limit request: Approve,
 * Reject). A decided task says what was decided, by whom and why.
 */
function DecisionSection(props: {
  item: ReviewDetail;
  limits: LimitsAndUsage | undefined;
  cardType: CardType | undefined;
  onDecided: () => void;
}) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const { item } = props;
  const isAlert = item.kind === 'RISK_ALERT';
  const [reason, setReason] = useState('');
  const [edited, setEdited] = useState<LimitsDraft>();
  const [recorded, setRecorded] = useState<Recorded>();
  const [confirmingSuspend, setConfirmingSuspend] = useState(false);
  const merchantNo = item.merchantNo ?? item.subjectId;
  const { busy, error, setError, run } = useAction(keepFieldErrors(describeError));
  const current = props.limits?.limits;
  const draft = edited ?? (current ? draftOf(current) : undefined);
  const decided = item.status !== 'PENDING';

  const problem = (field: string) =>
    error instanceof ApiError ? error.fields.find((p) => p.field === field)?.message : undefined;
  const refuse = (fields: { field: string; code: string; message: string }[]) =>
    setError(new ApiError(400, 'VALIDATION_FAILED', fields[0]?.message ?? '', fields));

  /** Whether a reason is missing; if so, it is said at the reason's field. */
  const reasonMissing = () => {
    if (reason.trim()) return false;
    refuse([{ field: 'reasons', code: 'REQUIRED', message: t.risk.reasonRequired }]);
    return true;
  };

  const decide = async (decision: Decision) => {
    if ((isAlert || decision === 'REJECT') && reasonMissing()) return;
    let limits: ReturnType<typeof changedLimits>['limits'] | undefined;
    if (decision === 'LOWER_LIMITS') {
      if (!draft || !current) return;
      const changed = changedLimits(draft, current, { lowerOnly: true });
      if (changed.problems.length > 0) {
        refuse(
          changed.problems.map((p) => ({ field: p.field, code: p.code, message: limitProblemText(t, p) })),
        );
        return;
      }
      if (Object.keys(changed.limits).length === 0) {
        refuse([{ field: 'limits', code: 'REQUIRED', message: t.risk.noChange }]);
        return;
      }
      limits = changed.limits;
    }
    await run(async () => {
      const answer = await decideReview(session.token, item.taskId, {
        decision,
        reasons: reason.trim() ? [{ field: REASON_FIELD[decision] ?? 'alert', reason: reason.trim() }] : [],
        ...(limits ? { limits } : {}),
      });
      setRecorded({ decision, notices: 'notices' in answer ? answer.notices : [] });
      setEdited(undefined);
      props.onDecided();
    });
  };

  const fieldErrors = error instanceof ApiError ? error.fields : [];
  const shownAtFields = (field: string) => field === 'reasons' || field.startsWith('limits');
  const notices = recorded?.notices
    .map((notice) => `${label(t.channels, notice.channel)} ${label(t.noticeResults, notice.result)}`)
    .join(lang === 'en' ? ', ' : '、');

  return (
    <section class="card decision" aria-labelledby="decision-heading">
      <h2 id="decision-heading">{t.case.decision}</h2>
      {recorded ? <StatusMessage>{t.case.decisionRecorded}</StatusMessage> : null}
      {recorded && notices ? <p>{t.risk.notices(notices)}</p> : null}
      {decided ? (
        <DecisionOutcome
          item={item}
          reasons={
            item.reasons && item.reasons.length > 0 ? (
              <dl class="facts">
                {item.reasons.map((r) => [
                  <dt key={`${r.field}-dt`}>{t.risk.reasonGiven}</dt>,
                  <dd key={`${r.field}-dd`}>{r.reason}</dd>,
                ])}
              </dl>
            ) : null
          }
        />
      ) : null}
      {decided ? null : (
        <form onSubmit={(e) => e.preventDefault()} noValidate>
          <p class="hint decision-hint">{isAlert ? t.risk.decisionHint : t.risk.requestHint}</p>
          {typeof error === 'string' ? <Alert>{error}</Alert> : null}
          {error instanceof ApiError && fieldErrors.every((p) => !shownAtFields(p.field)) ? (
            <Alert>
              {fieldErrors.length > 0
                ? fieldErrors.map((p) => p.message).join(' ')
                : `${error.message} (${error.code})`}
            </Alert>
          ) : null}
          <TextField
            id="decision-reason"
            label={t.risk.reason}
            value={reason}
            multiline
            required={isAlert}
            maxLength={500}
            hint={isAlert ? undefined : t.risk.reasonOptional}
            error={problem('reasons')}
            onValue={(value) => {
              setReason(value);
              if (problem('reasons')) setError(undefined);
            }}
          />
          {isAlert ? (
            <>
              <div class="actions">
                <button
                  type="button"
                  class="secondary"
                  disabled={busy || !!recorded}
                  onClick={() => void decide('DISMISS')}
                >
                  {t.risk.dismiss}
                </button>
                {item.serialNumber ? (
                  <button
                    type="button"
                    class="danger"
                    aria-describedby="suspend-terminal-hint"
                    disabled={busy || !!recorded}
                    onClick={() => void decide('SUSPEND_TERMINAL')}
                  >
                    {t.risk.suspendTerminal}
                  </button>
                ) : null}
                <button
                  type="button"
                  class="danger"
                  disabled={busy || !!recorded || confirmingSuspend}
                  onClick={() => {
                    // Suspending a merchant stops every terminal it has: asked once more, with the
                    // reason already given (a missing one is refused before the question).
                    if (reasonMissing()) return;
                    setError(undefined);
                    setConfirmingSuspend(true);
                  }}
                >
                  {t.risk.suspendMerchant}
                </button>
              </div>
              <p id="suspend-terminal-hint" class="hint">
                {item.serialNumber
                  ? t.risk.suspendTerminalHint(item.serialNumber)
                  : t.risk.noTerminalToSuspend}
              </p>
              {confirmingSuspend && !recorded ? (
                <ConfirmStep
                  question={t.risk.confirmSuspendMerchant(merchantNo)}
                  confirmLabel={t.risk.confirmSuspend(merchantNo)}
                  cancelLabel={t.risk.cancelSuspend}
                  busy={busy}
                  onConfirm={() => void decide('SUSPEND_MERCHANT').finally(() => setConfirmingSuspend(false))}
                  onCancel={() => setConfirmingSuspend(false)}
                />
              ) : null}
              {draft && current ? (
                <fieldset class="lower-limits" aria-describedby="lower-limits-hint">
                  <legend>{t.risk.newLimits}</legend>
                  <p id="lower-limits-hint" class="hint">
                    {t.risk.newLimitsHint}
                  </p>
                  <LimitsEditor
                    id="lower"
                    caption={t.risk.newLimits}
                    hideCaption
                    draft={draft}
                    current={current}
                    first={props.cardType}
                    problem={problem}
                    onDraft={(next) => {
                      setEdited(next);
                      if (fieldErrors.some((p) => p.field.startsWith('limits'))) setError(undefined);
                    }}
                  />
                  <FieldNotes id="limits" error={problem('limits')} />
                  <button
                    type="button"
                    class="lower-submit"
                    disabled={busy || !!recorded}
                    onClick={() => void decide('LOWER_LIMITS')}
                  >
                    {t.risk.lowerLimits}
                  </button>
                </fieldset>
              ) : null}
            </>
          ) : (
            <div class="actions">
              <button type="button" disabled={busy || !!recorded} onClick={() => void decide('APPROVE')}>
                {t.risk.approve}
              </button>
              <button
                type="button"
                class="danger"
                disabled={busy || !!recorded}
                onClick={() => void decide('REJECT')}
              >
                {t.risk.reject}
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}

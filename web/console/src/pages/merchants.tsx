import { useEffect, useRef, useState } from 'preact/hooks';
import { findMcc } from '../../../../shared/reference/mcc';
import {
  type AgreementView,
  ApiError,
  changeMerchantFeePlan,
  getAgreement,
  getMerchant,
  listFeePlans,
  listMerchantVersions,
} from '../../../common/api';
import { Alert, StatusMessage, TextField } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf, navigate } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { plansForMcc } from '../fee-plan-offer';
import { FeePlanPicker, PlanRates } from '../fee-plans';
import { label, useI18n } from '../i18n';
import { keepFieldErrors, useSession } from '../session-context';
import { isOperator } from '../staff-session';
import { LimitsSection } from './merchant-limits';

/**
 * Merchants (section 10): lookup by merchant number with status, terminals, the agreement (section
 * 7: the newest version, the one in force, the PDF; operators change the fee plan), limits and usage
 * with the daily summaries (section 8: operators change limits) and change history.
 */
export function MerchantsPage(props: { merchantNo?: string | undefined }) {
  const { t } = useI18n();
  const [query, setQuery] = useState(props.merchantNo ?? '');
  return (
    <section>
      <h1>{t.merchants.title}</h1>
      <form
        class="lookup"
        aria-label={t.merchants.lookup}
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) navigate(`/merchants/${encodeURIComponent(query.trim())}`);
        }}
      >
        <TextField
          id="merchant-no"
          label={t.merchants.merchantNo}
          value={query}
          onValue={setQuery}
          inputMode="numeric"
          maxLength={15}
        />
        <button type="submit">{t.merchants.submit}</button>
      </form>
      {props.merchantNo ? <MerchantDetails key={props.merchantNo} merchantNo={props.merchantNo} /> : null}
    </section>
  );
}

function MerchantDetails(props: { merchantNo: string }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const merchant = useAsync(() => getMerchant(session.token, props.merchantNo), [props.merchantNo]);
  const versions = useAsync(() => listMerchantVersions(session.token, props.merchantNo), [props.merchantNo]);
  if (merchant.loading) return <p>{t.loading}</p>;
  if (!merchant.value) return <Alert>{describeError(merchant.error)}</Alert>;
  const m = merchant.value;
  const mcc = findMcc(m.business.mcc);
  const address = m.business.address as { divisionCode?: string; detail?: string } | undefined;
  const settlement = m.settlement as { accountName?: string; accountNumber?: string; bankName?: string };
  return (
    <>
      <section class="card" aria-labelledby="merchant-heading">
        <h2 id="merchant-heading">
          {m.business.name} <span class="mono subtle">{m.merchantNo}</span>
        </h2>
        <dl class="facts">
          <dt>{t.merchants.status}</dt>
          <dd>
            <span
              class={`badge ${m.status === 'SUSPENDED' ? 'badge--bad' : m.status === 'ACTIVE' ? 'badge--ok' : ''}`}
            >
              {label(t.statuses, m.status)}
            </span>
          </dd>
          <dt>{t.merchants.type}</dt>
          <dd>{label(t.merchantTypes, m.type)}</dd>
          <dt>{t.merchants.version}</dt>
          <dd>{m.version}</dd>
          <dt>{t.merchants.mcc}</dt>
          <dd>
            <span class="mono">{m.business.mcc}</span>
            {mcc ? ` · ${lang === 'en' ? mcc.description : mcc.descriptionZh}` : ''}
          </dd>
          <dt>{t.merchants.address}</dt>
          <dd>
            <span class="mono">{address?.divisionCode}</span> {address?.detail}
          </dd>
          <dt>{t.merchants.contact}</dt>
          <dd>
            {m.contact.name} · <span class="mono">{m.contact.phone}</span> · {m.contact.email}
          </dd>
          <dt>{t.merchants.settlement}</dt>
          <dd>
            {settlement.accountName} · <span class="mono">{settlement.accountNumber}</span> ·{' '}
            {settlement.bankName}
          </dd>
          <dt>{t.merchants.cycle}</dt>
          <dd>{label(t.values, m.settlement.cycle)}</dd>
        </dl>
      </section>
      <LimitsSection merchantNo={m.merchantNo} />
      <AgreementSection merchantNo={m.merchantNo} mcc={m.business.mcc} />
      <section class="card">
        <div class="table-scroll">
          <table>
            <caption>{t.merchants.terminals}</caption>
            <thead>
              <tr>
                <th scope="col">{t.merchants.serialNumber}</th>
                <th scope="col">{t.merchants.terminalId}</th>
                <th scope="col">{t.merchants.status}</th>
              </tr>
            </thead>
            <tbody>
              {m.terminals.map((terminal) => (
                <tr key={terminal.serialNumber}>
                  <td>
                    <a class="mono" href={hrefOf(`/terminals/${encodeURIComponent(terminal.serialNumber)}`)}>
                      {terminal.serialNumber}
                    </a>
                  </td>
                  <td class="mono">{terminal.terminalId}</td>
                  <td>
                    {label(t.statuses, terminal.status)}
                    {terminal.suspended ? (
                      <>
                        {' '}
                        <span class="badge badge--bad">{t.merchants.suspended}</span>
                        <span class="visually-hidden"> {t.merchants.suspendedHint}</span>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {m.terminals.length === 0 ? <p>{t.merchants.noTerminals}</p> : null}
      </section>
      <section class="card">
        {versions.error ? <Alert>{describeError(versions.error)}</Alert> : null}
        <div class="table-scroll">
          <table>
            <caption>{t.merchants.history}</caption>
            <thead>
              <tr>
                <th scope="col">{t.merchants.version}</th>
                <th scope="col">{t.merchants.at}</th>
                <th scope="col">{t.merchants.actor}</th>
                <th scope="col">{t.merchants.action}</th>
                <th scope="col">{t.merchants.fields}</th>
              </tr>
            </thead>
            <tbody>
              {(versions.value?.items ?? []).map((version) => (
                <tr key={version.version}>
                  <td>{version.version}</td>
                  <td>{formatDateTime(version.at, lang)}</td>
                  <td class="mono">{version.actor}</td>
                  <td>{version.action}</td>
                  <td>{version.fields.map((field) => label(t.fields, field)).join('、') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function AgreementSection(props: { merchantNo: string; mcc: string }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const agreement = useAsync(() => getAgreement(session.token, props.merchantNo), [props.merchantNo]);
  const a = agreement.value;
  const missing = agreement.error instanceof ApiError && agreement.error.status === 404;
  // A new version's PDF is rendered seconds after it is made: look again a few times until it is.
  const polls = useRef(0);
  const rendering = a !== undefined && a.documentUrl === null && !agreement.loading;
  useEffect(() => {
    if (!rendering || polls.current >= 20) return;
    polls.current += 1;
    const timer = setTimeout(agreement.reload, 2000);
    return () => clearTimeout(timer);
  }, [rendering, agreement.reload]);
  return (
    <section class="card" aria-labelledby="agreement-heading">
      <h2 id="agreement-heading">{t.agreement.title}</h2>
      {agreement.loading && !a ? <p>{t.loading}</p> : null}
      {missing ? <p>{t.agreement.none}</p> : null}
      {agreement.error && !missing ? <Alert>{describeError(agreement.error)}</Alert> : null}
      {a ? <AgreementFacts agreement={a} /> : null}
      {a?.documentUrl ? (
        <p>
          <a href={a.documentUrl} target="_blank" rel="noopener noreferrer">
            {t.agreement.pdf(a.version)}
          </a>
        </p>
      ) : a ? (
        <p class="notice">{t.agreement.preparing}</p>
      ) : null}
      {a && a.timeline.length > 0 ? (
        <>
          <h3>{t.agreement.history}</h3>
          <ol class="timeline">
            {a.timeline.map((entry, index) => (
              <li key={index}>
                <time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time>
                {label(t.agreementActions, entry.action)} <span class="subtle">· {entry.actor}</span>
                {entry.reason ? <span class="subtle"> · {entry.reason}</span> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {a && isOperator(session) ? (
        <ChangeFeePlan
          merchantNo={props.merchantNo}
          mcc={props.mcc}
          cycle={a.settlementCycle}
          current={a.feePlan.code}
          onChanged={agreement.reload}
        />
      ) : null}
    </section>
  );
}

/** The newest agreement version, and the signed one in force while a newer one waits. */
function AgreementFacts(props: { agreement: AgreementView }) {
  const { t, lang } = useI18n();
  const a = props.agreement;
  const olderInForce = a.inForce && a.inForce.version !== a.version ? a.inForce : undefined;
  return (
    <dl class="facts">
      <dt>{t.agreement.version}</dt>
      <dd>
        {a.version} <span class="mono subtle">{a.agreementId}</span>
      </dd>
      <dt>{t.agreement.status}</dt>
      <dd>
        <span
          class={`badge ${a.status === 'SIGNED' ? 'badge--ok' : a.status === 'AWAITING_SIGNATURE' ? 'badge--warn' : ''}`}
        >
          {label(t.agreementStatuses, a.status)}
        </span>
      </dd>
      <dt>{t.agreement.cause}</dt>
      <dd>{label(t.agreementActions, a.cause)}</dd>
      <dt>{t.agreement.feePlan}</dt>
      <dd>
        <span class="mono">
          {a.feePlan.code} v{a.feePlan.version}
        </span>{' '}
        · {a.feePlan.name}
      </dd>
      <dt>{t.agreement.rates}</dt>
      <dd>
        <PlanRates
          rates={a.feePlan.rates}
          t0SurchargeBps={a.feePlan.t0SurchargeBps}
          cycle={a.settlementCycle}
        />
      </dd>
      <dt>{t.agreement.cycle}</dt>
      <dd>{label(t.values, a.settlementCycle)}</dd>
      <dt>{t.agreement.createdAt}</dt>
      <dd>{formatDateTime(a.createdAt, lang)}</dd>
      <dt>{t.agreement.signedAt}</dt>
      <dd>{a.signedAt ? formatDateTime(a.signedAt, lang) : t.agreement.notSigned}</dd>
      <dt>{t.agreement.inForce}</dt>
      <dd>
        {olderInForce
          ? t.agreement.inForceOlder(
              olderInForce.version,
              formatDateTime(olderInForce.signedAt, lang),
              a.version,
            )
          : a.inForce
            ? a.inForce.version
            : t.agreement.noneInForce}
      </dd>
    </dl>
  );
}

/** An operator moves the merchant to another plan (with a reason): the next agreement version. */
function ChangeFeePlan(props: {
  merchantNo: string;
  mcc: string;
  cycle: string;
  current: string;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const plans = useAsync(() => listFeePlans(session.token), [session.token]);
  const offer = plansForMcc(plans.value?.items ?? [], props.mcc);
  const [picked, setPicked] = useState<string>();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();
  const { busy, error, setError, run } = useAction(keepFieldErrors(describeError));
  const feePlanCode = picked ?? props.current;
  const problem = (field: string) =>
    error instanceof ApiError ? error.fields.find((p) => p.field === field)?.message : undefined;

  const submit = async () => {
    setDone(undefined);
    if (!reason.trim()) {
      setError(
        new ApiError(400, 'VALIDATION_FAILED', t.agreement.reasonRequired, [
          { field: 'reason', code: 'REQUIRED', message: t.agreement.reasonRequired },
        ]),
      );
      return;
    }
    await run(async () => {
      const changed = await changeMerchantFeePlan(session.token, props.merchantNo, {
        feePlanCode,
        reason: reason.trim(),
      });
      setDone(t.agreement.changed(changed.agreement.version, changed.feePlan.code, changed.feePlan.version));
      setReason('');
      props.onChanged();
    });
  };

  return (
    <form
      class="fee-plan-change"
      aria-labelledby="fee-plan-change-heading"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="fee-plan-change-heading">{t.agreement.change}</h3>
      {done ? <StatusMessage>{done}</StatusMessage> : null}
      {typeof error === 'string' ? <Alert>{error}</Alert> : null}
      {error instanceof ApiError && !problem('reason') && !problem('feePlanCode') ? (
        <Alert>{`${error.message} (${error.code})`}</Alert>
      ) : null}
      {plans.error ? <Alert>{describeError(plans.error)}</Alert> : null}
      {plans.value ? (
        <FeePlanPicker
          id="change-fee-plan"
          plans={offer.plans}
          value={feePlanCode}
          onValue={setPicked}
          defaultCode={offer.defaultCode}
          level={offer.level}
          cycle={props.cycle}
          error={problem('feePlanCode')}
        />
      ) : null}
      <TextField
        id="change-fee-plan-reason"
        label={t.agreement.reason}
        value={reason}
        onValue={(value) => {
          setReason(value);
          if (problem('reason')) setError(undefined);
        }}
        hint={t.agreement.reasonHint}
        error={problem('reason')}
        maxLength={500}
        required
      />
      <button type="submit" disabled={busy || !plans.value}>
        {t.agreement.submit}
      </button>
    </form>
  );
}

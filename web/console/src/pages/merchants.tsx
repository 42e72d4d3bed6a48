import { useState } from 'preact/hooks';
import { findMcc } from '../../../../shared/reference/mcc';
import { getMerchant, listMerchantVersions } from '../../../common/api';
import { Alert, TextField } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf, navigate } from '../../../common/router';
import { useAsync } from '../../../common/use-async';
import { label, useI18n } from '../i18n';
import { useSession } from '../session-context';

/**
 * Merchants (section 10): lookup by merchant number with status, terminals and change history. The
 * agreement (section 7) and limits and usage (section 8) join this page once their APIs exist.
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
          <dd>{label(t.statuses, m.status)}</dd>
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
          <dd>{m.settlement.cycle}</dd>
        </dl>
      </section>
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
                  <td>{label(t.statuses, terminal.status)}</td>
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

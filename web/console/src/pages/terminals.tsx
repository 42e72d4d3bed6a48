import { useState } from 'preact/hooks';
import {
  ApiError,
  bindTerminal,
  getTerminal,
  registerTerminals,
  reissueActivationCode,
  type TerminalView,
  unbindTerminal,
} from '../../../common/api';
import { Alert, StatusMessage, TextField } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf, navigate } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { type StockRow, stockRows } from '../csv';
import { label, useI18n } from '../i18n';
import { useSession } from '../session-context';
import { isOperator } from '../staff-session';

const BATCH = 100;
const MAX_ROWS = 1000;

/** Terminals (section 10): lookup by SN with history, CSV stock import, bind, unbind, reissue code. */
export function TerminalsPage(props: { serialNumber?: string | undefined }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [query, setQuery] = useState(props.serialNumber ?? '');
  return (
    <section>
      <h1>{t.terminals.title}</h1>
      <form
        class="lookup"
        aria-label={t.terminals.lookup}
        onSubmit={(e) => {
          e.preventDefault();
          const sn = query.trim().toUpperCase();
          if (sn) navigate(`/terminals/${encodeURIComponent(sn)}`);
        }}
      >
        <TextField
          id="terminal-sn"
          label={t.terminals.serialNumber}
          value={query}
          onValue={setQuery}
          maxLength={32}
        />
        <button type="submit">{t.terminals.submit}</button>
      </form>
      {props.serialNumber ? (
        <TerminalDetails key={props.serialNumber} serialNumber={props.serialNumber} />
      ) : null}
      {isOperator(session) ? <StockImport /> : null}
    </section>
  );
}

function TerminalDetails(props: { serialNumber: string }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const terminal = useAsync(() => getTerminal(session.token, props.serialNumber), [props.serialNumber]);
  if (terminal.loading && !terminal.value) return <p>{t.loading}</p>;
  if (!terminal.value) return <Alert>{describeError(terminal.error)}</Alert>;
  const view = terminal.value;
  return (
    <>
      <section class="card" aria-labelledby="terminal-heading">
        <h2 id="terminal-heading" class="mono">
          {view.serialNumber}
        </h2>
        <dl class="facts">
          <dt>{t.terminals.model}</dt>
          <dd>{view.model}</dd>
          <dt>{t.terminals.status}</dt>
          <dd>{label(t.statuses, view.status)}</dd>
          <dt>{t.terminals.merchantNo}</dt>
          <dd>
            {view.merchantNo ? (
              <a class="mono" href={hrefOf(`/merchants/${encodeURIComponent(view.merchantNo)}`)}>
                {view.merchantNo}
              </a>
            ) : (
              '—'
            )}
          </dd>
          <dt>{t.terminals.terminalId}</dt>
          <dd class="mono">{view.terminalId ?? '—'}</dd>
        </dl>
        {isOperator(session) ? <TerminalActions view={view} onChanged={terminal.reload} /> : null}
      </section>
      <section class="card">
        <div class="table-scroll">
          <table>
            <caption>{t.terminals.history}</caption>
            <thead>
              <tr>
                <th scope="col">{t.terminals.at}</th>
                <th scope="col">{t.terminals.action}</th>
                <th scope="col">{t.terminals.merchantNo}</th>
                <th scope="col">{t.terminals.terminalId}</th>
                <th scope="col">{t.terminals.actor}</th>
              </tr>
            </thead>
            <tbody>
              {view.history.map((entry) => (
                <tr key={`${entry.at}-${entry.action}`}>
                  <td>{formatDateTime(entry.at, lang)}</td>
                  <td>{entry.action}</td>
                  <td class="mono">{entry.merchantNo ?? '—'}</td>
                  <td class="mono">{entry.terminalId ?? '—'}</td>
                  <td class="mono">{entry.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function TerminalActions(props: { view: TerminalView; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const { view } = props;
  const [merchantNo, setMerchantNo] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction((caught) =>
    caught instanceof ApiError && caught.fields.length > 0
      ? `${caught.message}: ${caught.fields.map((p) => `${p.field} ${p.message}`).join('; ')}`
      : describeError(caught),
  );

  const act = (action: () => Promise<string>) =>
    run(async () => {
      setDone(undefined);
      setDone(await action());
      props.onChanged();
    });

  return (
    <div class="terminal-actions">
      <h3>{t.terminals.actions}</h3>
      {done ? <StatusMessage>{done}</StatusMessage> : null}
      {error ? <Alert>{error}</Alert> : null}
      {view.status === 'IN_STOCK' ? (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const bound = await bindTerminal(session.token, view.serialNumber, merchantNo.trim());
              // A recently unbound SN moves to another merchant only with a second operator.
              return bound.status === 'PENDING_APPROVAL'
                ? t.terminals.rebindRequested(formatDateTime(bound.approvalExpiresAt, lang))
                : t.terminals.bound(bound.terminalId);
            });
          }}
        >
          <TextField
            id="bind-merchant-no"
            label={t.terminals.bindMerchantNo}
            value={merchantNo}
            onValue={setMerchantNo}
            inputMode="numeric"
            maxLength={15}
          />
          <button type="submit" disabled={busy}>
            {t.terminals.bind}
          </button>
        </form>
      ) : (
        <>
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                await unbindTerminal(session.token, view.serialNumber, reason.trim());
                return t.terminals.unbound;
              });
            }}
          >
            <TextField
              id="unbind-reason"
              label={t.terminals.unbindReason}
              value={reason}
              onValue={setReason}
              maxLength={500}
            />
            <button type="submit" class="danger" disabled={busy}>
              {t.terminals.unbind}
            </button>
          </form>
          {view.status === 'BOUND' ? (
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await reissueActivationCode(session.token, view.serialNumber);
                  return t.terminals.reissued;
                })
              }
            >
              {t.terminals.reissue}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

interface ReportRow extends StockRow {
  result: string;
  message?: string;
}

/** Registers the terminals of a CSV file in batches; rows the API refuses are reported, the rest sent again. */
async function importRows(token: string, rows: readonly StockRow[]): Promise<ReportRow[]> {
  const report: ReportRow[] = [];
  for (let start = 0; start < rows.length; start += BATCH) {
    let batch = rows.slice(start, start + BATCH);
    for (let attempt = 0; attempt < 2 && batch.length > 0; attempt++) {
      try {
        const answer = await registerTerminals(
          token,
          batch.map(({ serialNumber, model }) => ({ serialNumber, model })),
        );
        batch.forEach((row, index) => {
          report.push({ ...row, result: answer.results[index]?.result ?? 'UNKNOWN' });
        });
        batch = [];
      } catch (caught) {
        // The API checks the whole batch first: the refused rows are named by index (terminals.3.model).
        if (!(caught instanceof ApiError) || caught.code !== 'VALIDATION_FAILED' || attempt > 0) throw caught;
        const refused = new Map<number, string>();
        for (const problem of caught.fields) {
          const match = /^terminals\.(\d+)\./.exec(problem.field);
          if (match) refused.set(Number(match[1]), `${problem.field.split('.').pop()}: ${problem.message}`);
        }
        if (refused.size === 0) throw caught;
        batch.forEach((row, index) => {
          const message = refused.get(index);
          if (message !== undefined) report.push({ ...row, result: 'INVALID', message });
        });
        batch = batch.filter((_, index) => !refused.has(index));
      }
    }
  }
  return report.sort((a, b) => a.line - b.line);
}

function StockImport() {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const [file, setFile] = useState<File>();
  const { busy, error, setError, run } = useAction(describeError);
  const [report, setReport] = useState<ReportRow[]>();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    await run(async () => {
      setReport(undefined);
      const rows = stockRows(await file.text());
      if (rows.length === 0) setError(t.terminals.importEmpty);
      else if (rows.length > MAX_ROWS) setError(t.terminals.importTooMany);
      else setReport(await importRows(session.token, rows));
    });
  };

  const registered = report?.filter((row) => row.result === 'REGISTERED').length ?? 0;
  return (
    <section class="card" aria-labelledby="import-heading">
      <h2 id="import-heading">{t.terminals.importTitle}</h2>
      <form onSubmit={submit}>
        <div class="field">
          <label for="stock-csv">{t.terminals.importFile}</label>
          <input
            id="stock-csv"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="stock-csv-hint"
            onChange={(e) => setFile(e.currentTarget.files?.[0])}
          />
          <p id="stock-csv-hint" class="hint">
            {t.terminals.importHint}
          </p>
        </div>
        <button type="submit" disabled={busy || !file}>
          {t.terminals.importSubmit}
        </button>
      </form>
      {error ? <Alert>{error}</Alert> : null}
      {report ? (
        <>
          <StatusMessage>{t.terminals.importSummary(registered, report.length)}</StatusMessage>
          <div class="table-scroll">
            <table>
              <caption>{t.terminals.importReport}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.terminals.row}</th>
                  <th scope="col">{t.terminals.serialNumber}</th>
                  <th scope="col">{t.terminals.model}</th>
                  <th scope="col">{t.terminals.result}</th>
                </tr>
              </thead>
              <tbody>
                {report.map((row) => (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    <td class="mono">
                      {row.result === 'REGISTERED' || row.result === 'ALREADY_REGISTERED' ? (
                        <a href={hrefOf(`/terminals/${encodeURIComponent(row.serialNumber)}`)}>
                          {row.serialNumber}
                        </a>
                      ) : (
                        row.serialNumber || '—'
                      )}
                    </td>
                    <td>{row.model || '—'}</td>
                    <td>
                      <span
                        class={`badge ${row.result === 'REGISTERED' ? 'badge--ok' : row.result === 'INVALID' ? 'badge--bad' : 'badge--warn'}`}
                      >
                        {label(t.importResults, row.result)}
                      </span>
                      {row.message ? <span class="subtle"> {row.message}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

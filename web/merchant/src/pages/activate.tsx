import { useState } from 'preact/hooks';
import {
  ApiError,
  activateTerminal,
  getApplication,
  getMerchant,
  runTestTransaction,
} from '../../../common/api';
import { Alert, SelectField, StatusMessage, TextField } from '../../../common/components';
import { hrefOf } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { useI18n } from '../i18n';
import type { MerchantSession } from '../merchant-session';

/**
 * Terminal activation with the SMS code, then the test transaction (spec 4.1). The agreement must be
 * signed first (activation answers 409 AGREEMENT_NOT_SIGNED): the signing page comes between the
 * status page and this one, and is linked from here.
 */
export function ActivatePage(props: { session: MerchantSession }) {
  const { t } = useI18n();
  const { session } = props;
  const terminals = useAsync(async () => {
    const app = await getApplication(session.token, session.applicationId);
    if (!app.merchantNo) return [];
    const merchant = await getMerchant(session.token, app.merchantNo);
    return merchant.terminals;
  }, [session.applicationId]);
  const [chosen, setChosen] = useState<string>();
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction((caught) => {
    if (!(caught instanceof ApiError)) return t.networkError;
    if (caught.code === 'ACTIVATION_CODE_INVALID' && typeof caught.details.attemptsLeft === 'number')
      return t.activate.attemptsLeft(caught.details.attemptsLeft);
    if (caught.code === 'ACTIVATION_LOCKED') return t.activate.locked;
    if (caught.code === 'ACTIVATION_CODE_EXPIRED') return t.activate.expired;
    if (caught.code === 'AGREEMENT_NOT_SIGNED') return t.activate.signFirst;
    return `${caught.message} (${caught.code})`;
  });
  const [activated, setActivated] = useState<ReadonlySet<string>>(new Set());
  const [result, setResult] = useState<string>();

  if (terminals.loading && !terminals.value) return <p>{t.loading}</p>;
  if (!terminals.value)
    return <Alert>{terminals.error instanceof ApiError ? terminals.error.message : t.networkError}</Alert>;
  const list = terminals.value;
  const serialNumber = chosen ?? list[0]?.serialNumber;
  const terminal = list.find((each) => each.serialNumber === serialNumber);
  const isActivated =
    terminal !== undefined &&
    (activated.has(terminal.serialNumber) ||
      terminal.status === 'ACTIVATED' ||
      terminal.status === 'VERIFIED');

  return (
    <section>
      <h1>{t.activate.title}</h1>
      <p>
        <a href={hrefOf('/status')}>{t.activate.back}</a> ·{' '}
        <a href={hrefOf('/agreement')}>{t.status.agreement}</a>
      </p>
      {list.length === 0 || !terminal ? (
        <p class="notice">{t.activate.noTerminal}</p>
      ) : (
        <>
          {list.length > 1 ? (
            <SelectField
              id="terminal"
              label={t.activate.terminal}
              value={terminal.serialNumber}
              onValue={setChosen}
              options={list.map((each) => ({
                value: each.serialNumber,
                label: `${each.serialNumber} · ${each.terminalId}`,
              }))}
            />
          ) : (
            <dl class="facts">
              <dt>{t.activate.terminal}</dt>
              <dd class="mono">
                {terminal.serialNumber} · {terminal.terminalId}
              </dd>
            </dl>
          )}
          {error ? <Alert>{error}</Alert> : null}
          {isActivated ? (
            <StatusMessage>{t.activate.activated}</StatusMessage>
          ) : (
            <form
              class="card"
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                void run(async () => {
                  await activateTerminal(session.token, terminal.serialNumber, code.trim());
                  setActivated(new Set(activated).add(terminal.serialNumber));
                });
              }}
            >
              <p class="hint">{t.activate.intro}</p>
              <TextField
                id="activation-code"
                label={t.activate.code}
                value={code}
                onValue={setCode}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
              />
              <button type="submit" class="wide" disabled={busy || !/^\d{6}$/.test(code.trim())}>
                {t.activate.submit}
              </button>
            </form>
          )}
          {isActivated ? (
            <section class="card" aria-labelledby="test-heading">
              <h2 id="test-heading">{t.activate.testTitle}</h2>
              <p>{t.activate.testIntro}</p>
              {result ? <StatusMessage>{result}</StatusMessage> : null}
              {result || terminal.status === 'VERIFIED' ? null : (
                <button
                  type="button"
                  class="wide"
                  disabled={busy}
                  onClick={() =>
                    run(async () => {
                      const answer = await runTestTransaction(session.token, terminal.serialNumber);
                      setResult(
                        answer.result === 'APPROVED'
                          ? t.activate.testApproved(answer.saleId, answer.voidId)
                          : t.activate.testDeclined(answer.step, answer.responseCode ?? '-'),
                      );
                    })
                  }
                >
                  {t.activate.testSubmit}
                </button>
              )}
            </section>
          ) : null}
        </>
      )}
    </section>
  );
}

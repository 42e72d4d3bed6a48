import { useState } from 'preact/hooks';
import { rateLines, surchargeLine } from '../../../../shared/fee-plans/plan';
import {
  ApiError,
  getAgreement,
  getApplication,
  requestSignatureCode,
  signAgreement,
} from '../../../common/api';
import { Alert, StatusMessage, TextField } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { useI18n } from '../i18n';
import type { MerchantSession } from '../merchant-session';

/**
 * The merchant agreement (签约), between approval and activation: the rates and settlement of the
 * newest version, its PDF to read (a presigned link, opened in a new tab), a code sent by SMS to
 * the legal person's phone, and the signature with the PDF's sha256, so what is signed is exactly
 * the document that was shown. A version being rendered shows a notice and a refresh button.
 */
export function AgreementPage(props: { session: MerchantSession }) {
  const { t, lang } = useI18n();
  const { session } = props;
  const view = useAsync(async () => {
    const app = await getApplication(session.token, session.applicationId);
    if (!app.merchantNo) return undefined;
    return { merchantNo: app.merchantNo, agreement: await getAgreement(session.token, app.merchantNo) };
  }, [session.applicationId]);
  const [sentTo, setSentTo] = useState<string>();
  const [code, setCode] = useState('');
  const [read, setRead] = useState(false);
  const { busy, error, run } = useAction((caught) => {
    if (!(caught instanceof ApiError)) return t.networkError;
    if (caught.code === 'VERIFICATION_CODE_INVALID' && typeof caught.details.attemptsLeft === 'number')
      return t.agreement.attemptsLeft(caught.details.attemptsLeft);
    if (caught.code === 'VERIFICATION_LOCKED') return t.agreement.locked;
    if (caught.code === 'VERIFICATION_EXPIRED') return t.agreement.expired;
    if (caught.code === 'AGREEMENT_CHANGED') return t.agreement.changed;
    if (caught.code === 'RATE_LIMITED') return t.agreement.rateLimited;
    if (caught.fields.some((problem) => problem.code === 'UNDELIVERABLE')) return t.agreement.undeliverable;
    return `${caught.message} (${caught.code})`;
  });
  const [signedAt, setSignedAt] = useState<string>();

  if (view.loading && !view.value) return <p>{t.loading}</p>;
  if (view.error)
    return (
      <Alert>
        {view.error instanceof ApiError ? `${view.error.message} (${view.error.code})` : t.networkError}
      </Alert>
    );
  if (!view.value) return <p class="notice">{t.agreement.notApproved}</p>;
  const { merchantNo, agreement } = view.value;
  const signed = signedAt ?? (agreement.status === 'SIGNED' ? agreement.signedAt : null);
  const surcharge = surchargeLine(agreement.feePlan.t0SurchargeBps, agreement.settlementCycle, lang);

  return (
    <section>
      <h1>{t.agreement.title}</h1>
      <p>
        <a href={hrefOf('/status')}>{t.activate.back}</a>
      </p>
      <section class="card" aria-labelledby="terms-heading">
        <h2 id="terms-heading">{t.agreement.terms(agreement.version)}</h2>
        <dl class="facts">
          <dt>{t.agreement.merchantNo}</dt>
          <dd class="mono">{merchantNo}</dd>
          <dt>{t.agreement.plan}</dt>
          <dd>
            {agreement.feePlan.code} · v{agreement.feePlan.version}
          </dd>
          <dt>{t.agreement.rates}</dt>
          <dd class="below">
            <ul>
              {[...rateLines(agreement.feePlan.rates, lang), ...(surcharge ? [surcharge] : [])].map(
                (line) => (
                  <li key={line}>{line}</li>
                ),
              )}
            </ul>
          </dd>
          <dt>{t.agreement.cycle}</dt>
          <dd>{agreement.settlementCycle === 'T0' ? 'T+0' : 'T+1'}</dd>
        </dl>
        {agreement.documentUrl ? (
          <p>
            <a href={agreement.documentUrl} target="_blank" rel="noopener noreferrer">
              {t.agreement.readPdf}
            </a>
          </p>
        ) : (
          <p class="notice">{t.agreement.preparing}</p>
        )}
        {agreement.sha256 ? (
          <p class="hint">
            {t.agreement.digest} <span class="mono">{agreement.sha256.slice(0, 16)}…</span>
          </p>
        ) : null}
      </section>
      {error ? <Alert>{error}</Alert> : null}
      {signed ? (
        <>
          <StatusMessage>{t.agreement.signed(formatDateTime(signed, lang))}</StatusMessage>
          <p>
            <a class="button wide" href={hrefOf('/activate')}>
              {t.status.activate}
            </a>
          </p>
        </>
      ) : !agreement.sha256 ? (
        <button type="button" class="secondary" onClick={view.reload}>
          {t.status.refresh}
        </button>
      ) : (
        <form
          class="card"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const { sha256 } = agreement;
            if (!sha256) return;
            void run(async () => {
              const answer = await signAgreement(session.token, merchantNo, {
                agreementId: agreement.agreementId,
                sha256,
                code: code.trim(),
              }).catch((caught: unknown) => {
                // A newer version was rendered meanwhile: show it, to be read and signed instead.
                if (caught instanceof ApiError && caught.code === 'AGREEMENT_CHANGED') view.reload();
                throw caught;
              });
              setSignedAt(answer.signedAt);
            });
          }}
        >
          <h2>{t.agreement.signTitle}</h2>
          {agreement.inForce ? <p class="hint">{t.agreement.inForce(agreement.inForce.version)}</p> : null}
          <p class="hint">{t.agreement.codeIntro}</p>
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              run(async () => {
                const answer = await requestSignatureCode(session.token, merchantNo);
                setSentTo(answer.sentTo);
              })
            }
          >
            {t.agreement.sendCode}
          </button>
          {sentTo ? <StatusMessage>{t.agreement.codeSent(sentTo)}</StatusMessage> : null}
          <TextField
            id="signature-code"
            label={t.agreement.code}
            value={code}
            onValue={setCode}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
          />
          <label class="checkbox" for="agreement-read">
            <input
              id="agreement-read"
              type="checkbox"
              checked={read}
              onChange={(e) => setRead(e.currentTarget.checked)}
            />
            {t.agreement.haveRead}
          </label>
          <button type="submit" class="wide" disabled={busy || !read || !/^\d{6}$/.test(code.trim())}>
            {t.agreement.sign}
          </button>
        </form>
      )}
    </section>
  );
}

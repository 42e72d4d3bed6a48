import { useState } from 'preact/hooks';
import { ApiError, confirmSession, startSession } from '../../../common/api';
import { Alert, StatusMessage, TextField } from '../../../common/components';
import { navigate } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { explainCodeError } from '../code-errors';
import { useI18n } from '../i18n';
import { forgetAll, type MerchantSession, saveSession } from '../merchant-session';

const APPLICATION_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Coming back later (spec 11): the application id and a code sent by SMS to the verified contact
 * mobile give a new access token, kept in this tab's session storage only. The API answers alike
 * for any id, so the page says "if the id is right" and never whether it exists.
 */
export function SignInPage(props: { onSession: (session: MerchantSession) => void }) {
  const { t } = useI18n();
  const [applicationId, setApplicationId] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction((caught): string => {
    const known = explainCodeError(t, caught);
    if (known !== undefined || !(caught instanceof ApiError)) return known ?? t.networkError;
    if (caught.code === 'NOT_FOUND') return t.signIn.invalidId;
    return `${caught.message} (${caught.code})`;
  });
  const id = applicationId.trim().toUpperCase();

  return (
    <section>
      <h1>{t.signIn.title}</h1>
      <p class="intro">{t.signIn.intro}</p>
      {error ? <Alert>{error}</Alert> : null}
      <form
        class="card"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            await startSession(id);
            setSent(true);
          });
        }}
      >
        <TextField
          id="sign-in-application-id"
          label={t.signIn.applicationId}
          value={applicationId}
          onValue={setApplicationId}
          autoComplete="username"
          maxLength={26}
          error={applicationId.trim() !== '' && !APPLICATION_ID.test(id) ? t.signIn.invalidId : undefined}
        />
        <button
          type="submit"
          class={sent ? 'secondary wide' : 'wide'}
          disabled={busy || !APPLICATION_ID.test(id)}
        >
          {t.signIn.send}
        </button>
      </form>
      {sent ? (
        <form
          class="card"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              const signedIn = await confirmSession(id, code.trim());
              // A new application's leftovers (draft, Idempotency-Key) belong to nobody now.
              forgetAll();
              const session = { applicationId: signedIn.applicationId, token: signedIn.accessToken };
              saveSession(session);
              props.onSession(session);
              navigate('/status');
            });
          }}
        >
          <StatusMessage>{t.signIn.sent}</StatusMessage>
          <TextField
            id="sign-in-code"
            label={t.signIn.code}
            value={code}
            onValue={setCode}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
          />
          <button type="submit" class="wide" disabled={busy || !/^\d{6}$/.test(code.trim())}>
            {t.signIn.submit}
          </button>
        </form>
      ) : null}
    </section>
  );
}

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { localStaffToken } from '../../../common/api';
import { Alert, SelectField, TextField } from '../../../common/components';
import { langFromUrl } from '../../../common/i18n';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import type { OidcSignIn } from '../../../runtime-config';
import { consoleBaseUrl, loadConsoleConfig } from '../console-config';
import { useI18n } from '../i18n';
import {
  beginSignIn,
  completeSignIn,
  isCallback,
  type KeyValueStorage,
  SignInError,
  withoutCallbackParameters,
} from '../pkce';
import { errorMessage } from '../session-context';
import { type StaffSession, saveSession, sessionFromToken, sessionFromTokens } from '../staff-session';

const ROLE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  reviewer: ['reviewer'],
  operator: ['operator'],
  both: ['reviewer', 'operator'],
};

type SignedIn = (session: StaffSession) => void;

/**
 * Sign-in, as the console's `config.json` says (web/runtime-config.ts): locally the "Sign in" form
 * of spec section 10 (a user name and a role, a token from `/_local/tokens`); deployed, a "Sign in"
 * button that goes to the identity provider (Cognito Hosted UI, or an OIDC provider) with
 * authorization code + PKCE, and the completion of that sign-in when the provider redirects back.
 */
export function SignInPage(props: { onSignedIn: SignedIn }) {
  const { t } = useI18n();
  const config = useAsync(loadConsoleConfig, []);
  let body: ComponentChildren;
  if (config.value?.signIn.kind === 'local') body = <LocalSignIn onSignedIn={props.onSignedIn} />;
  else if (config.value?.signIn.kind === 'oidc')
    body = <ProviderSignIn signIn={config.value.signIn} onSignedIn={props.onSignedIn} />;
  else if (config.loading) body = <p role="status">{t.loading}</p>;
  else
    body = (
      <>
        <Alert>{t.signIn.unavailable}</Alert>
        <button type="button" onClick={config.reload}>
          {t.retry}
        </button>
      </>
    );
  return (
    <section class="narrow card">
      <h1>{t.signIn.title}</h1>
      {body}
    </section>
  );
}

/** The local stack's form: any user name, a role, a token signed by `/_local/tokens`. */
function LocalSignIn(props: { onSignedIn: SignedIn }) {
  const { t } = useI18n();
  const [user, setUser] = useState('');
  const [role, setRole] = useState('reviewer');
  const { busy, error, setError, run } = useAction(
    (caught) => `${t.signIn.failed}: ${errorMessage(t, caught)}`,
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    const sub = user.trim();
    if (!sub) {
      setError(`${t.signIn.user}?`);
      return;
    }
    await run(async () => {
      const groups = ROLE_GROUPS[role] ?? ['reviewer'];
      const { token } = await localStaffToken(sub, groups);
      props.onSignedIn(saveSession(sessionFromToken(token, sub, groups)));
    });
  };

  return (
    <>
      {error ? <Alert>{error}</Alert> : null}
      <form onSubmit={submit} noValidate>
        <TextField
          id="user"
          label={t.signIn.user}
          value={user}
          onValue={setUser}
          autoComplete="username"
          required
        />
        <SelectField
          id="role"
          label={t.signIn.role}
          value={role}
          onValue={setRole}
          options={Object.keys(ROLE_GROUPS).map((value) => ({ value, label: t.roles[value] ?? value }))}
        />
        <button type="submit" disabled={busy}>
          {t.signIn.submit}
        </button>
      </form>
      <p class="hint">{t.signIn.note}</p>
    </>
  );
}

/** The tab's session storage, or nothing when the browser refuses it (then no sign-in can start). */
function tabStorage(): KeyValueStorage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * Sign-in at the identity provider: a button that starts the authorization code flow with PKCE,
 * and, when the provider redirects back with `code` and `state`, the exchange for tokens.
 */
function ProviderSignIn(props: { signIn: OidcSignIn; onSignedIn: SignedIn }) {
  const { t, setLang } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(() => isCallback(new URL(window.location.href)));
  const completing = useRef(false);

  useEffect(() => {
    const url = new URL(window.location.href);
    if (!isCallback(url) || completing.current) return;
    completing.current = true;
    const storage = tabStorage();
    const back = (returnTo: string) => {
      // The provider's parameters leave the address bar (and the history) at once.
      const clean = withoutCallbackParameters(url);
      window.history.replaceState(null, '', returnTo ? `${clean.pathname}${returnTo}` : clean);
      // replaceState fires no event: the router learns the restored hash route this way.
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    };
    if (!storage) {
      back('');
      setError(t.signIn.storageRefused);
      setBusy(false);
      return;
    }
    completeSignIn(props.signIn, url, { redirectUri: consoleBaseUrl(), storage }).then(
      (tokens) => {
        back(tokens.returnTo);
        setLang(langFromUrl());
        props.onSignedIn(saveSession(sessionFromTokens(tokens, props.signIn.groupsClaim)));
      },
      (caught: unknown) => {
        back('');
        const reason = caught instanceof SignInError ? caught.reason : 'token';
        setError(
          reason === 'state'
            ? t.signIn.stateMismatch
            : reason === 'provider'
              ? t.signIn.providerRefused
              : t.signIn.failed,
        );
        setBusy(false);
      },
    );
  }, [props.signIn]);

  const start = async () => {
    const storage = tabStorage();
    if (!storage) {
      setError(t.signIn.storageRefused);
      return;
    }
    setBusy(true);
    setError(undefined);
    // The query (language) and the hash route come back after the provider's round trip.
    const returnTo = `${window.location.search}${window.location.hash}`;
    window.location.assign(
      await beginSignIn(props.signIn, { redirectUri: consoleBaseUrl(), returnTo, storage }),
    );
  };

  return (
    <>
      {error ? <Alert>{error}</Alert> : null}
      {busy && !error ? <p role="status">{t.signIn.signingIn}</p> : null}
      <button type="button" onClick={start} disabled={busy}>
        {t.signIn.submit}
      </button>
      <p class="hint">{t.signIn.providerNote}</p>
    </>
  );
}

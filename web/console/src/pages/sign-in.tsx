import { useState } from 'preact/hooks';
import { localStaffToken } from '../../../common/api';
import { Alert, SelectField, TextField } from '../../../common/components';
import { useI18n } from '../i18n';
import { errorMessage } from '../session-context';
import { type StaffSession, saveSession, sessionFromToken } from '../staff-session';

const ROLE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  reviewer: ['reviewer'],
  operator: ['operator'],
  both: ['reviewer', 'operator'],
};

/**
 * The local "Sign in" form (spec section 10): a user name and a role, a token from the local stack's
 * `/_local/tokens`. Deployed, this page is replaced by the Cognito Hosted UI (authorization code +
 * PKCE) and its redirect back here.
 */
export function SignInPage(props: { onSignedIn: (session: StaffSession) => void }) {
  const { t } = useI18n();
  const [user, setUser] = useState('');
  const [role, setRole] = useState('reviewer');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const sub = user.trim();
    if (!sub) {
      setError(`${t.signIn.user}?`);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const groups = ROLE_GROUPS[role] ?? ['reviewer'];
      const { token } = await localStaffToken(sub, groups);
      const session = sessionFromToken(token, sub, groups);
      saveSession(session);
      props.onSignedIn(session);
    } catch (caught) {
      setError(`${t.signIn.failed}: ${errorMessage(t, caught)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow card">
      <h1>{t.signIn.title}</h1>
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
    </section>
  );
}

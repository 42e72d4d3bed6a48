import { ApiError, createApplication, getApplication, updateApplication } from '../../../common/api';
import { Alert } from '../../../common/components';
import { hrefOf, navigate } from '../../../common/router';
import { useAsync } from '../../../common/use-async';
import { ApplicationForm } from '../application-form';
import { emptyForm, type FormValues, MASKED_FIELDS, valuesFromView } from '../form-model';
import { useI18n } from '../i18n';
import {
  forgetAll,
  idempotencyKey,
  loadDraft,
  type MerchantSession,
  saveDraft,
  saveSession,
} from '../merchant-session';

/**
 * Step 1: the application form. Creates the application (POST with an Idempotency-Key, the token kept
 * in session storage), or changes it while it is a draft (PUT). Contact verification (section 6)
 * comes next unless both contacts are verified already (a PUT that changes one drops its own).
 */
export function ApplyPage(props: {
  session: MerchantSession | undefined;
  onSession: (s: MerchantSession) => void;
}) {
  const { t } = useI18n();
  const { session } = props;
  const draft = loadDraft();
  const ownDraft = draft && (!session || draft.applicationId === session.applicationId) ? draft : undefined;
  // With an application but no draft in this tab, start from the stored (masked) application.
  const view = useAsync(
    () =>
      session && !ownDraft
        ? getApplication(session.token, session.applicationId)
        : Promise.resolve(undefined),
    [session?.applicationId],
  );
  if (session && !ownDraft && view.loading) return <p>{t.loading}</p>;
  if (view.error)
    return <Alert>{view.error instanceof ApiError ? view.error.message : t.networkError}</Alert>;
  if (view.value && view.value.status !== 'DRAFT') {
    navigate('/status');
    return null;
  }
  const initial: FormValues =
    ownDraft?.values ?? (view.value ? valuesFromView(view.value, undefined) : emptyForm());
  const masked = view.value
    ? Object.fromEntries(
        MASKED_FIELDS.map((field) => {
          const onFile = maskedValue(view.value, field);
          return [field, typeof onFile === 'string' && onFile.includes('*') ? onFile : ''];
        }),
      )
    : undefined;

  return (
    <section>
      <h1>{t.form.title}</h1>
      <p class="intro">{t.form.intro}</p>
      <ApplicationForm
        initial={initial}
        masked={masked}
        submitLabel={t.form.save}
        onChange={(values) => saveDraft(values, session?.applicationId)}
        onSubmit={async (body, values) => {
          if (session) {
            const updated = await updateApplication(session.token, session.applicationId, body);
            saveDraft(values, session.applicationId);
            if (updated.contactVerified.phone && updated.contactVerified.email) {
              navigate('/documents');
              return;
            }
          } else {
            try {
              const created = await createApplication(body, idempotencyKey());
              const next = { applicationId: created.applicationId, token: created.accessToken };
              saveSession(next);
              saveDraft(values, created.applicationId);
              props.onSession(next);
            } catch (caught) {
              // Nothing was stored for a refused body: the next attempt is a new request.
              if (caught instanceof ApiError && caught.status === 400) forgetAll();
              saveDraft(values);
              throw caught;
            }
          }
          navigate('/verify');
        }}
      />
      {session ? null : (
        <p class="hint">
          <a href={hrefOf('/sign-in')}>{t.signIn.link}</a>
        </p>
      )}
    </section>
  );
}

/** A field of the (masked) application by its path. */
export function maskedValue(view: object | undefined, field: string): unknown {
  return field
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key], view);
}

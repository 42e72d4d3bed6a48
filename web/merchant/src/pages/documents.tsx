import { useState } from 'preact/hooks';
import {
  ApiError,
  type DocumentKind,
  getApplication,
  requiredDocumentKinds,
  submitApplication,
} from '../../../common/api';
import { Alert } from '../../../common/components';
import { hrefOf, navigate } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { DocumentSlots } from '../document-slots';
import { problemText, useI18n } from '../i18n';
import type { MerchantSession } from '../merchant-session';

/**
 * Step 3: the documents, then submit. A contact not verified yet (section 6) makes submit answer
 * `UNVERIFIED`: the page then points back to the verify step.
 */
export function DocumentsPage(props: { session: MerchantSession }) {
  const { t, lang } = useI18n();
  const { session } = props;
  const view = useAsync(() => getApplication(session.token, session.applicationId), [session.applicationId]);
  const [uploaded, setUploaded] = useState<ReadonlySet<DocumentKind>>(new Set());
  const [problems, setProblems] = useState<ReadonlyMap<string, { code: string; message: string }>>(new Map());
  const [unverified, setUnverified] = useState(false);
  const { busy, error, run } = useAction((caught) => {
    if (!(caught instanceof ApiError)) return t.networkError;
    if (caught.fields.length === 0) return `${caught.message} (${caught.code})`;
    // The missing documents show at their slots; other fields (a contact not verified) up here.
    setProblems(new Map(caught.fields.map((p) => [p.field, p])));
    setUnverified(caught.fields.some((p) => p.code === 'UNVERIFIED'));
    const other = caught.fields.filter((p) => !p.field.startsWith('documents.'));
    return other.length > 0
      ? other.map((p) => `${t.fields[p.field] ?? p.field}: ${problemText(t, lang, p)}`).join('; ')
      : t.documents.missing(caught.fields.length);
  });

  if (view.loading && !view.value) return <p>{t.loading}</p>;
  if (!view.value)
    return <Alert>{view.error instanceof ApiError ? view.error.message : t.networkError}</Alert>;
  if (view.value.status !== 'DRAFT') {
    navigate('/status');
    return null;
  }
  const kinds = requiredDocumentKinds(view.value.type);
  const done = new Set<DocumentKind>([
    ...view.value.documents.filter((doc) => doc.uploaded).map((doc) => doc.kind),
    ...uploaded,
  ]);
  const missing = kinds.filter((kind) => !done.has(kind)).length;

  const submit = () =>
    run(async () => {
      setUnverified(false);
      await submitApplication(session.token, session.applicationId);
      navigate('/status');
    });

  return (
    <section>
      <h1>{t.documents.title}</h1>
      <p class="intro">{t.documents.intro}</p>
      {error ? <Alert>{error}</Alert> : null}
      {unverified || !view.value.contactVerified.phone || !view.value.contactVerified.email ? (
        <p class="notice">
          {t.verify.needed} <a href={hrefOf('/verify')}>{t.verify.title}</a>
        </p>
      ) : null}
      <DocumentSlots
        session={session}
        kinds={kinds}
        uploaded={done}
        problems={problems}
        onUploaded={(kind) => setUploaded((all) => new Set(all).add(kind))}
      />
      <p class="hint" aria-live="polite">
        {missing > 0 ? t.documents.missing(missing) : ''}
      </p>
      <div class="actions">
        <button type="button" class="wide" disabled={busy} onClick={() => void submit()}>
          {t.documents.submit}
        </button>
        <a class="button secondary wide" href={hrefOf('/')}>
          {t.documents.back}
        </a>
      </div>
    </section>
  );
}

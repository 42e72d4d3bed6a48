import { useState } from 'preact/hooks';
import { ApiError, getApplication } from '../../../common/api';
import { Alert } from '../../../common/components';
import { hrefOf, navigate } from '../../../common/router';
import { useAsync } from '../../../common/use-async';
import { ContactVerification } from '../contact-verification';
import { useI18n } from '../i18n';
import type { MerchantSession } from '../merchant-session';

/**
 * Step 2: the contact mobile and email confirm a code each (spec 6), between the form and the
 * documents. Once both are verified the documents follow.
 */
export function VerifyPage(props: { session: MerchantSession }) {
  const { t } = useI18n();
  const { session } = props;
  const view = useAsync(() => getApplication(session.token, session.applicationId), [session.applicationId]);
  const [bothVerified, setBothVerified] = useState(false);

  if (view.loading && !view.value) return <p>{t.loading}</p>;
  if (!view.value)
    return <Alert>{view.error instanceof ApiError ? view.error.message : t.networkError}</Alert>;
  const app = view.value;
  if (app.status !== 'DRAFT' && app.status !== 'NEEDS_CHANGES') {
    navigate('/status');
    return null;
  }
  const ready = bothVerified || (app.contactVerified.phone && app.contactVerified.email);

  return (
    <section>
      <h1>{t.verify.title}</h1>
      <p class="intro">{t.verify.intro}</p>
      <ContactVerification
        app={app}
        session={session}
        onVerified={(verified) => setBothVerified(verified.phone && verified.email)}
      />
      <div class="actions">
        {ready ? (
          <a class="button wide" href={hrefOf(app.status === 'DRAFT' ? '/documents' : '/status')}>
            {t.verify.continue}
          </a>
        ) : (
          <p class="hint">{t.verify.needed}</p>
        )}
        <a class="button secondary wide" href={hrefOf('/')}>
          {t.documents.back}
        </a>
      </div>
    </section>
  );
}

import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { LangSwitch } from '../../common/components';
import { applyLang, type Lang, langFromUrl } from '../../common/i18n';
import { hrefOf, usePath } from '../../common/router';
import { CATALOGUES, I18nProvider, useI18n } from './i18n';
import { forgetAll, loadSession, type MerchantSession } from './merchant-session';
import { ActivatePage } from './pages/activate';
import { ApplyPage } from './pages/apply';
import { DocumentsPage } from './pages/documents';
import { SignInPage } from './pages/sign-in';
import { StatusPage } from './pages/status';
import { VerifyPage } from './pages/verify';

/*
 * Pages (hash routes): `/` the form, `/verify` (section 6: the contact mobile and email confirm a
 * code each), `/documents`, `/status`, `/activate`, and `/sign-in` (section 11: application id +
 * SMS code → a new session token for a merchant who comes back). `/agreement` (section 7, read and
 * sign, between approval and activation) has its place here too.
 */

/** The merchant pages: language, the page session, and the steps. */
export function App() {
  const [lang, setLangState] = useState<Lang>(langFromUrl);
  const [session, setSession] = useState<MerchantSession | undefined>(loadSession);
  const path = usePath();
  const setLang = useCallback((next: Lang) => {
    applyLang(next);
    setLangState(next);
  }, []);
  const i18n = useMemo(() => ({ lang, t: CATALOGUES[lang], setLang }), [lang, setLang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = CATALOGUES[lang].appTitle;
  }, [lang]);

  return (
    <I18nProvider value={i18n}>
      <Layout path={path} session={session}>
        <Page path={path} session={session} onSession={setSession} />
      </Layout>
    </I18nProvider>
  );
}

function Layout(props: { path: string; session: MerchantSession | undefined; children: ComponentChildren }) {
  const { t, lang, setLang } = useI18n();
  const steps = [
    { path: '/', text: t.steps.form },
    { path: '/verify', text: t.steps.verify },
    { path: '/documents', text: t.steps.documents },
    { path: '/status', text: t.steps.status },
  ];
  return (
    <>
      <header class="topbar">
        <p class="brand">
          {t.appTitle}
          <span class="tagline">{t.tagline}</span>
        </p>
        <LangSwitch lang={lang} onSwitch={setLang} />
      </header>
      {props.session ? (
        <nav aria-label={t.steps.label} class="steps">
          <ol>
            {steps.map((step) => (
              <li key={step.path}>
                <a href={hrefOf(step.path)} aria-current={props.path === step.path ? 'step' : undefined}>
                  {step.text}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <main id="main">{props.children}</main>
    </>
  );
}

function Page(props: {
  path: string;
  session: MerchantSession | undefined;
  onSession: (session: MerchantSession) => void;
}) {
  const { t } = useI18n();
  const { path, session } = props;
  if (path === '/sign-in') return <SignInPage onSession={props.onSession} />;
  if (path === '/' || !session) {
    if (path !== '/' && !session)
      return <SessionMissing message={t.sessionMissing} action={t.startOver} signIn={t.signInInstead} />;
    return <ApplyPage session={session} onSession={props.onSession} />;
  }
  if (path === '/verify') return <VerifyPage session={session} />;
  if (path === '/documents') return <DocumentsPage session={session} />;
  if (path === '/status') return <StatusPage session={session} />;
  if (path === '/activate') return <ActivatePage session={session} />;
  return <StatusPage session={session} />;
}

function SessionMissing(props: { message: string; action: string; signIn: string }) {
  return (
    <section class="card">
      <p>{props.message}</p>
      <div class="actions">
        <a class="button wide" href={hrefOf('/sign-in')}>
          {props.signIn}
        </a>
        <a
          class="button secondary wide"
          href={hrefOf('/')}
          onClick={() => {
            forgetAll();
          }}
        >
          {props.action}
        </a>
      </div>
    </section>
  );
}

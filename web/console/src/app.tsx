import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../common/api';
import { LangSwitch } from '../../common/components';
import { applyLang, type Lang, langFromUrl } from '../../common/i18n';
import { hrefOf, matchPath, usePath } from '../../common/router';
import { CATALOGUES, I18nProvider, label, useI18n } from './i18n';
import { CasePage } from './pages/case';
import { MerchantsPage } from './pages/merchants';
import { QueuePage } from './pages/queue';
import { SignInPage } from './pages/sign-in';
import { SupervisorPage } from './pages/supervisor';
import { TerminalsPage } from './pages/terminals';
import { WebhooksPage } from './pages/webhooks';
import { errorMessage, SessionContext } from './session-context';
import { forgetSession, isOperator, isReviewer, loadSession, type StaffSession } from './staff-session';

/** The console: language, sign-in, the signed-in layout and its pages. */
export function App() {
  const [lang, setLangState] = useState<Lang>(langFromUrl);
  const [session, setSession] = useState<StaffSession | undefined>(loadSession);
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

  const signOut = useCallback(() => {
    forgetSession();
    setSession(undefined);
  }, []);

  return (
    <I18nProvider value={i18n}>
      {session ? (
        <SignedIn session={session} path={path} onSignOut={signOut} />
      ) : (
        <Shell>
          <SignInPage onSignedIn={setSession} />
        </Shell>
      )}
    </I18nProvider>
  );
}

function Shell(props: { children: ComponentChildren; nav?: ComponentChildren }) {
  const { t, lang, setLang } = useI18n();
  return (
    <>
      <button type="button" class="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {t.skipToContent}
      </button>
      <header class="topbar">
        <p class="brand">{t.appTitle}</p>
        {props.nav}
        <LangSwitch lang={lang} onSwitch={setLang} />
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}

function SignedIn(props: { session: StaffSession; path: string; onSignOut: () => void }) {
  const { t } = useI18n();
  const { session, path, onSignOut } = props;
  const describeError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) onSignOut();
      return errorMessage(t, error);
    },
    [t, onSignOut],
  );
  const context = useMemo(() => ({ session, describeError }), [session, describeError]);
  const home = isReviewer(session) ? '/queue' : '/terminals';
  const links = [
    ...(isReviewer(session) ? [{ path: '/queue', text: t.nav.queue }] : []),
    ...(isReviewer(session) ? [{ path: '/queue?kind=RISK_ALERT', text: t.nav.riskAlerts }] : []),
    ...(isReviewer(session) ? [{ path: '/supervisor', text: t.supervisor.nav }] : []),
    { path: '/merchants', text: t.nav.merchants },
    { path: '/terminals', text: t.nav.terminals },
    ...(isOperator(session) ? [{ path: '/webhooks', text: t.nav.webhooks }] : []),
  ];
  const role =
    isReviewer(session) && isOperator(session) ? 'both' : isReviewer(session) ? 'reviewer' : 'operator';

  // `#/queue?kind=RISK_ALERT`: the page's own query rides in the hash, after the path.
  const [route = '/', search = ''] = path.split('?');
  const current = (link: string) =>
    link === path || (!link.includes('?') && route.startsWith(link) && !links.some((l) => l.path === path));
  const caseParams = matchPath('/cases/:taskId', path);
  const merchantParams = matchPath('/merchants/:merchantNo', path);
  const terminalParams = matchPath('/terminals/:sn', path);
  const webhookParams = matchPath('/webhooks/:endpointId', path);
  let page: ComponentChildren;
  if (route === '/queue' || (route === '/' && home === '/queue'))
    page = <QueuePage kind={new URLSearchParams(search).get('kind') ?? ''} />;
  else if (caseParams) page = <CasePage taskId={caseParams.taskId ?? ''} />;
  else if (route === '/supervisor') page = <SupervisorPage />;
  else if (route === '/merchants') page = <MerchantsPage />;
  else if (merchantParams) page = <MerchantsPage merchantNo={merchantParams.merchantNo} />;
  else if (route === '/terminals' || route === '/') page = <TerminalsPage />;
  else if (terminalParams) page = <TerminalsPage serialNumber={terminalParams.sn} />;
  else if (route === '/webhooks' && isOperator(session)) page = <WebhooksPage />;
  else if (webhookParams && isOperator(session))
    page = <WebhooksPage endpointId={webhookParams.endpointId} />;
  else page = <p>{t.notFound}</p>;

  return (
    <SessionContext.Provider value={context}>
      <Shell
        nav={
          <>
            <nav aria-label={t.nav.label}>
              <ul>
                {links.map((link) => (
                  <li key={link.path}>
                    <a href={hrefOf(link.path)} aria-current={current(link.path) ? 'page' : undefined}>
                      {link.text}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <p class="whoami">
              <span class="visually-hidden">{t.signedInAs} </span>
              {session.name ?? session.sub} · {label(t.roles, role)}
            </p>
            <button type="button" class="secondary" onClick={onSignOut}>
              {t.signOut}
            </button>
          </>
        }
      >
        {page}
      </Shell>
    </SessionContext.Provider>
  );
}

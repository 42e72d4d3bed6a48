/**
 * The staff console's runtime configuration: `/console/config.json`, a small file beside the app
 * that says how staff sign in. The deployment writes it (infra/constructs/web-content.ts), the local
 * server serves its own (local/web-static.ts), and the console reads it when it starts, so one build
 * of the app runs everywhere:
 *
 * - `local`: the local "Sign in" form (a user name and a role, a token from `/_local/tokens`),
 *   `npm run dev` only;
 * - `oidc`: OpenID Connect authorization code with PKCE (S256) at an identity provider — the
 *   Cognito Hosted UI of the staff user pool, or any OIDC provider (an acquirer's own IdP) given by
 *   its endpoints, public client id, scopes and the claim that carries the staff groups.
 *
 * No secret is ever in this file: the console is a public client.
 */
import * as z from 'zod/mini';

/** The file name, relative to the console's base path. */
export const CONSOLE_CONFIG_FILE = 'config.json';

/** An https URL, or plain http on the loopback address (a provider run by a local test). */
const httpsUrl = z
  .url({ protocol: /^https?$/ })
  .check(
    z.refine(
      (value) =>
        value.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(value),
      'must be an https URL',
    ),
  );

const oidcSignIn = z.object({
  kind: z.literal('oidc'),
  /** Where the browser is sent to sign in (Cognito: `<domain>/oauth2/authorize`). */
  authorizationEndpoint: httpsUrl,
  /**
   * Where the console exchanges the code and refreshes its tokens (Cognito: `<domain>/oauth2/token`).
   * The console's Content-Security-Policy allows `connect-src` to this origin.
   */
  tokenEndpoint: httpsUrl,
  /** Where the refresh token is revoked at sign-out (Cognito: `<domain>/oauth2/revoke`); absent: none. */
  revocationEndpoint: z.optional(httpsUrl),
  /**
   * Where the browser ends the provider's session at sign-out, and the query parameter naming the
   * page to come back to: Cognito's `logout` endpoint takes `logout_uri`, OpenID Connect RP-initiated
   * logout (`end_session_endpoint`) takes `post_logout_redirect_uri`. Absent: the console only
   * forgets its own session.
   */
  logout: z.optional(
    z.object({
      endpoint: httpsUrl,
      redirectParameter: z.enum(['logout_uri', 'post_logout_redirect_uri']),
    }),
  ),
  /** The console's public client id at the provider (no secret: PKCE protects the code). */
  clientId: z.string().check(z.minLength(1), z.maxLength(256)),
  /** Requested scopes; `openid` is required for an ID token. */
  scopes: z
    .array(z.string().check(z.regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)))
    .check(z.refine((scopes) => scopes.includes('openid'), 'scopes must include openid')),
  /** The ID token claim holding the staff member's groups (`cognito:groups`, or the provider's, e.g. `groups`). */
  groupsClaim: z.string().check(z.minLength(1)),
});

const consoleRuntimeConfig = z.object({
  signIn: z.discriminatedUnion('kind', [z.object({ kind: z.literal('local') }), oidcSignIn]),
});

/** Sign-in at an OpenID Connect provider with authorization code and PKCE. */
export type OidcSignIn = z.infer<typeof oidcSignIn>;

/** What `/console/config.json` holds. */
export type ConsoleRuntimeConfig = z.infer<typeof consoleRuntimeConfig>;

/** How staff sign in: the local form, or an OIDC provider. */
export type ConsoleSignIn = ConsoleRuntimeConfig['signIn'];

/** The configuration `npm run dev` serves: the local "Sign in" form. */
export const LOCAL_CONSOLE_CONFIG: ConsoleRuntimeConfig = { signIn: { kind: 'local' } };

/** A `config.json` that is not what the console expects (its first problem, with the field path). */
export class ConsoleConfigError extends Error {
  override readonly name = 'ConsoleConfigError';
}

/** Checks a parsed `config.json`; throws {@link ConsoleConfigError} naming the first bad field. */
export function parseConsoleConfig(value: unknown): ConsoleRuntimeConfig {
  const result = z.safeParse(consoleRuntimeConfig, value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(root)';
  throw new ConsoleConfigError(`config.json: ${path}: ${issue?.message ?? 'invalid'}`);
}

/**
 * The sign-in of a Cognito user pool's Hosted UI at `domainUrl` (`https://<prefix>.auth.<region>.amazoncognito.com`
 * or a custom domain), for the app client `clientId` (authorization code grant, no secret).
 */
export function cognitoHostedUiSignIn(domainUrl: string, clientId: string): OidcSignIn {
  const base = domainUrl.replace(/\/+$/, '');
  return {
    kind: 'oidc',
    authorizationEndpoint: `${base}/oauth2/authorize`,
    tokenEndpoint: `${base}/oauth2/token`,
    revocationEndpoint: `${base}/oauth2/revoke`,
    logout: { endpoint: `${base}/logout`, redirectParameter: 'logout_uri' },
    clientId,
    scopes: ['openid', 'email', 'profile'],
    groupsClaim: 'cognito:groups',
  };
}

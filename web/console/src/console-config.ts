import { CONSOLE_CONFIG_FILE, type ConsoleRuntimeConfig, parseConsoleConfig } from '../../runtime-config';

let loading: Promise<ConsoleRuntimeConfig> | undefined;

/**
 * The console's runtime configuration (`config.json` beside `index.html`, web/runtime-config.ts),
 * fetched once per page. A missing or malformed file is an error the sign-in page shows: the
 * console never guesses a way to sign in.
 */
export function loadConsoleConfig(): Promise<ConsoleRuntimeConfig> {
  loading ??= fetch(new URL(CONSOLE_CONFIG_FILE, consoleBaseUrl()), {
    cache: 'no-cache',
    credentials: 'omit',
    headers: { Accept: 'application/json' },
  })
    .then(async (response) => {
      if (!response.ok) throw new Error(`${CONSOLE_CONFIG_FILE}: HTTP ${response.status}`);
      return parseConsoleConfig(await response.json());
    })
    .catch((error: unknown) => {
      // Not kept: the next attempt (a retry, a reload of the sign-in page) fetches again.
      loading = undefined;
      throw error;
    });
  return loading;
}

/**
 * The console's own address without query or hash (`https://<host>/console/`): the redirect URI
 * registered at the identity provider, and where its logout comes back to.
 */
export function consoleBaseUrl(): string {
  return new URL('./', `${window.location.origin}${window.location.pathname}`).toString();
}

/**
 * Session storage only: a token lives as long as the browser tab, never on disk across sessions,
 * and is not shared with other tabs. Values are JSON; a storage that refuses (private mode, quota)
 * behaves as empty.
 */
export function readSession<T>(key: string): T | undefined {
  try {
    const text = window.sessionStorage.getItem(key);
    return text === null ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}

/** Stores a JSON value for this tab's session. */
export function writeSession(key: string, value: unknown): void {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage refused: the value lives only in memory for this page.
  }
}

/** Forgets a value. */
export function clearSession(key: string): void {
  try {
    window.sessionStorage.removeItem(key);
  } catch {
    // Nothing stored.
  }
}

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates a directory (and its parents) if it does not exist yet. */
export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

/**
 * Writes a file atomically (temporary file, then rename) so a crash or Ctrl-C in the middle of a
 * write never leaves a half-written JSON file that would break the next start.
 */
export function writeFileAtomic(path: string, content: string, mode?: number): void {
  ensureDir(dirname(path));
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, mode === undefined ? undefined : { mode });
  renameSync(tmp, path);
}

/** Writes `value` as pretty JSON, atomically. */
export function writeJsonAtomic(path: string, value: unknown, mode?: number): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode);
}

/** Reads a JSON file, or returns `undefined` when it does not exist. Throws on invalid JSON. */
export function readJsonFile(path: string): unknown {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Returns the secret stored at `path`, creating it (random, owner-readable only) on first use, so
 * values derived from it (keyed hashes, signatures) stay stable across restarts of the stack.
 */
export function loadOrCreateSecret(path: string, create: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = create();
  writeFileAtomic(path, `${secret}\n`, 0o600);
  try {
    chmodSync(path, 0o600);
  } catch {
    // Best effort: some file systems (e.g. mounted Windows drives) ignore permissions.
  }
  return secret;
}

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { WEB_APPS } from '../web/security-headers';
import { writeFileAtomic } from './files';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm run dev` and the tests serve the built apps from (`<dir>/console`, `<dir>/merchant`). */
export const DEFAULT_WEB_DIR = join(REPO_ROOT, '.dist', 'web');

/** What the apps are built from: a change in any of these makes the next start build again. */
const SOURCES = ['web', 'shared', 'package-lock.json'];
const FINGERPRINT_FILE = '.fingerprint';
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Builds both web apps with Vite unless `outDir` already holds a build of the current sources (a
 * content hash of `web/`, `shared/` and the lock file), so a restart of `npm run dev` costs nothing.
 * Safe to call from parallel processes (test files): one builds, the others wait for it. Each app is
 * built into a temporary directory and swapped in, so a running server never serves half a build.
 *
 * @returns whether a build ran, and how long the call took
 */
export async function ensureWebBuilt(
  options: { outDir?: string; log?: (message: string) => void; force?: boolean } = {},
): Promise<{ built: boolean; ms: number }> {
  const started = Date.now();
  const outDir = options.outDir ?? DEFAULT_WEB_DIR;
  const fingerprint = sourceFingerprint();
  const current = () =>
    !options.force &&
    readFileIfExists(join(outDir, FINGERPRINT_FILE)) === fingerprint &&
    WEB_APPS.every((app) => existsSync(join(outDir, app.name, 'index.html')));
  if (current()) return { built: false, ms: Date.now() - started };

  const release = await acquireLock(`${outDir}.lock`);
  try {
    if (current()) return { built: false, ms: Date.now() - started };
    options.log?.(`web: building ${WEB_APPS.map((app) => app.basePath).join(' and ')} with Vite`);
    mkdirSync(outDir, { recursive: true });
    await Promise.all(WEB_APPS.map((app) => buildApp(app.name, outDir)));
    writeFileAtomic(join(outDir, FINGERPRINT_FILE), fingerprint);
    options.log?.(`web: built in ${Date.now() - started} ms`);
    return { built: true, ms: Date.now() - started };
  } finally {
    release();
  }
}

async function buildApp(name: string, outDir: string): Promise<void> {
  const target = join(outDir, name);
  const temporary = `${target}.tmp-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  const vite = join(
    createRequire(import.meta.url)
      .resolve('vite/package.json')
      .replace(/package\.json$/, ''),
    'bin',
    'vite.js',
  );
  // A test runner's NODE_ENV=test must not turn the build into a development build.
  const { NODE_ENV: _ignored, ...env } = process.env;
  const args = [
    vite,
    'build',
    '--config',
    join(REPO_ROOT, 'web', name, 'vite.config.ts'),
    '--outDir',
    temporary,
    '--emptyOutDir',
    '--logLevel',
    'warn',
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolve(text);
      else reject(new Error(`vite build of web/${name} failed (exit ${code}):\n${text}`));
    });
  });
  if (output.trim()) process.stderr.write(output);
  rmSync(target, { recursive: true, force: true });
  renameSync(temporary, target);
}

/** SHA-256 over the relative path and content of every source file. */
function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) return;
    if (info.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        visit(join(path, entry));
      }
      return;
    }
    hash.update(relative(REPO_ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
  };
  for (const source of SOURCES) visit(join(REPO_ROOT, source));
  return hash.digest('hex');
}

function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A directory as a cross-process lock (mkdir is atomic); a lock older than 5 minutes is stale. */
async function acquireLock(path: string): Promise<() => void> {
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      mkdirSync(path, { recursive: false });
      return () => rmSync(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(path, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * The JavaScript a browser loads for an app's first page (the module scripts and modulepreload links
 * of its `index.html`), in bytes as sent gzipped: the budget figure of each app.
 */
export function firstPageJavaScript(appDir: string): {
  files: string[];
  gzipBytes: number;
  rawBytes: number;
} {
  const html = readFileSync(join(appDir, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((match) => (match[1] ?? '').replace(/^.*\/assets\//, 'assets/'));
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(appDir, file));
    rawBytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files, gzipBytes, rawBytes };
}

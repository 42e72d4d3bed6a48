import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONSOLE_CONFIG_FILE, type ConsoleRuntimeConfig, LOCAL_CONSOLE_CONFIG } from '../web/runtime-config';
import { WEB_APPS, webSecurityHeaders } from '../web/security-headers';

/** The built web apps, served by the local API server beside `/v1` (same origin, no CORS). */
export interface WebStatic {
  /** Whether `path` belongs to one of the apps (`/console/…`, `/m/…`). */
  handles(path: string): boolean;
  /** Answers the request from the built files. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Serves `<rootDir>/<app>/` (the output of `npm run build:web`) under each app's base path, with the
 * security headers of web/security-headers.ts on every answer. A path without a file extension is a
 * page of the app and gets its `index.html`; hashed files under `assets/` are cached for good.
 * `/console/config.json` is the console's runtime configuration (web/runtime-config.ts): locally,
 * the "Sign in" form of the local stack.
 */
export function createWebStatic(options: {
  rootDir: string;
  documentsOrigin: string;
  /** @default LOCAL_CONSOLE_CONFIG */
  consoleConfig?: ConsoleRuntimeConfig;
  /** Origins the pages may also call (`connect-src`): an identity provider's token endpoint. */
  connectOrigins?: readonly string[];
}): WebStatic {
  const consoleConfig = JSON.stringify(options.consoleConfig ?? LOCAL_CONSOLE_CONFIG);
  const security = webSecurityHeaders({
    documentsOrigin: options.documentsOrigin,
    ...(options.connectOrigins ? { connectOrigins: options.connectOrigins } : {}),
  });
  const send = (
    res: ServerResponse,
    status: number,
    body: Buffer | string,
    headers: Record<string, string>,
    head: boolean,
  ) => {
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { ...security, ...headers, 'Content-Length': String(payload.length) });
    res.end(head ? undefined : payload);
  };

  return {
    handles: (path) =>
      WEB_APPS.some((app) => path === app.basePath.slice(0, -1) || path.startsWith(app.basePath)),

    async serve(req, res, url) {
      const head = req.method === 'HEAD';
      const app = WEB_APPS.find((candidate) => url.pathname.startsWith(candidate.basePath));
      if (!app) {
        // `/console` → `/console/`: relative asset URLs resolve against the directory.
        send(res, 308, '', { Location: `${url.pathname}/${url.search}` }, head);
        return;
      }
      if (req.method !== 'GET' && !head) {
        send(res, 405, 'Method not allowed', { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, head);
        return;
      }
      const appDir = join(options.rootDir, app.name);
      if (!existsSync(join(appDir, 'index.html'))) {
        send(
          res,
          503,
          'The web apps are not built yet: run `npm run build:web` (npm run dev builds them when it starts).',
          { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' },
          head,
        );
        return;
      }
      if (app.name === 'console' && url.pathname === `${app.basePath}${CONSOLE_CONFIG_FILE}`) {
        const type = {
          'Content-Type': CONTENT_TYPES['.json'] ?? 'application/json',
          'Cache-Control': 'no-cache',
        };
        send(res, 200, consoleConfig, type, head);
        return;
      }
      const file = resolveFile(appDir, url.pathname.slice(app.basePath.length));
      if (!file) {
        send(res, 404, 'Not found', { 'Content-Type': 'text/plain; charset=utf-8' }, head);
        return;
      }
      const info = await stat(file.path).catch(() => undefined);
      if (!info?.isFile()) {
        send(res, 404, 'Not found', { 'Content-Type': 'text/plain; charset=utf-8' }, head);
        return;
      }
      const body = await readFile(file.path);
      send(
        res,
        200,
        body,
        {
          'Content-Type': CONTENT_TYPES[extname(file.path)] ?? 'application/octet-stream',
          // Hashed names change with their content; pages are revalidated so a new build shows at once.
          'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
        head,
      );
    },
  };
}

/** The file a path names inside `appDir`, or `undefined` for anything that tries to leave it. */
function resolveFile(appDir: string, relative: string): { path: string; immutable: boolean } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  // Pages are client-side routes (hash routes, or a path without an extension): the app's shell.
  if (decoded === '' || extname(decoded) === '')
    return { path: join(appDir, 'index.html'), immutable: false };
  const path = normalize(join(appDir, decoded));
  if (!path.startsWith(appDir + sep)) return undefined;
  return { path, immutable: decoded.startsWith('assets/') };
}

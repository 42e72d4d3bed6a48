import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebStatic } from '../../../local/web-static';

let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'web-static-'));
  mkdirSync(join(root, 'console', 'assets'), { recursive: true });
  writeFileSync(join(root, 'console', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(root, 'console', 'assets', 'index-abc.js'), 'export {}');
  writeFileSync(join(root, 'secret.txt'), 'outside the app');
  const web = createWebStatic({ rootDir: root, documentsOrigin: 'http://127.0.0.1:4569/bucket' });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (web.handles(url.pathname)) void web.serve(req, res, url);
    else res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('the local server of the built web apps', () => {
  it('serves pages and hashed assets with the security headers and the right caching', async () => {
    const page = await fetch(`${base}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src 'self' blob: http://127.0.0.1:4569;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const asset = await fetch(`${base}/console/assets/index-abc.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A page path without an extension is the app's shell (client-side route).
    expect(await (await fetch(`${base}/console/queue`)).text()).toContain('<title>console</title>');
  });

  it('serves the console’s runtime configuration: the local sign-in form, never cached', async () => {
    const config = await fetch(`${base}/console/config.json`);
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(config.headers.get('cache-control')).toBe('no-cache');
    expect(config.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await config.json()).toEqual({ signIn: { kind: 'local' } });
    expect((await fetch(`${base}/m/config.json`)).status).not.toBe(200);
  });

  it('redirects the bare prefix, refuses other methods, and answers 503 for an app not built yet', async () => {
    const bare = await fetch(`${base}/console?lang=en`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/?lang=en');
    expect((await fetch(`${base}/console/`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${base}/console/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const missing = await fetch(`${base}/m/`);
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain('npm run build:web');
    expect((await fetch(`${base}/mobile`)).status).toBe(418);
  });

  it('never serves a file outside the app directory', async () => {
    for (const path of [
      '/console/..%2fsecret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/..%5csecret.txt',
      '/console/assets/%00.js',
      '/console/assets/missing.js',
    ]) {
      const response = await fetch(`${base}${path}`);
      // (fetch itself resolves `%2e%2e` before sending: that one never reaches the apps at all.)
      expect(response.status, path).not.toBe(200);
      expect(await response.text(), path).not.toContain('outside the app');
    }
  });
});

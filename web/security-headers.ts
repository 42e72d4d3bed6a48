/**
 * The security headers of the two web apps (staff console and merchant pages), in one place: the
 * local API server sends them with every static file, and the hosting of the deployed apps sends the
 * same values (CloudFront response headers policies built from this module, infra/constructs/web-hosting.ts).
 *
 * The pages load nothing but their own hashed files: no inline script or style (`unsafe-inline` is
 * never allowed), no framing, no referrer (presigned document URLs must not leak to other sites).
 * Documents live in the documents bucket, a different origin: images are shown from presigned GETs
 * (`img-src`) and photos are uploaded with presigned PUTs (`connect-src`).
 */

/** Where the pages may reach besides their own origin. */
export interface WebSecurityOptions {
  /**
   * Origin of the documents bucket's presigned URLs, e.g. `http://127.0.0.1:4569` locally or
   * `https://<bucket>.s3.<region>.amazonaws.com` in AWS.
   */
  readonly documentsOrigin: string;
  /**
   * Further origins the page calls with `fetch` (`connect-src`): the deployed console's identity
   * provider, whose token endpoint exchanges the sign-in code (web/console/src/pkce.ts).
   */
  readonly connectOrigins?: readonly string[];
}

/** The Content-Security-Policy of both apps. */
export function contentSecurityPolicy(options: WebSecurityOptions): string {
  const documents = new URL(options.documentsOrigin).origin;
  const connect = (options.connectOrigins ?? []).map((origin) => ` ${new URL(origin).origin}`).join('');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // blob: previews of the merchant's own photos before upload.
    `img-src 'self' blob: ${documents}`,
    `connect-src 'self' ${documents}${connect}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Every security header of a page or asset response. */
export function webSecurityHeaders(options: WebSecurityOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    // Browsers ignore HSTS over plain http (local); it matters behind CloudFront.
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // `<input capture>` opens the phone's own camera app: no page-level camera access is needed.
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/** The path prefix each app is served under (same origin as `/v1`, so no CORS). */
export const WEB_APPS = [
  { name: 'console', basePath: '/console/' },
  { name: 'merchant', basePath: '/m/' },
] as const;

/** One of the two apps. */
export type WebAppName = (typeof WEB_APPS)[number]['name'];
